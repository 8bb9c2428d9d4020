// The inspector: what the selected node is (or, when nothing is selected, the node the stepper is on),
// its value and gradient, and the chain rule at that node with this run's numbers.
import { useMemo, useState } from 'react';
import { useAfterPaint, useApp } from '../store/useApp';
import { useGraph } from '../graph/GraphCanvas';
import { activeNodeKey, resolveSelection } from '../graph/view';
import { accumulatorOf, execOf, frameAt, gradAt, tensorGradAt, valueAt, type Frame } from '../store/frame';
import type { GraphNode } from '../graph/model';
import type { ExecRec, OpRec, RunModel, TensorRec } from '../store/types';
import { TensorView } from './TensorView';
import { Katex } from './Katex';
import { chainRule, formulaFor, sumLatex, valueLatex, isScalarOne } from '../formulas/chainRule';
import { outputName, tensorLabel } from '../graph/buildGraph';
import { formatConstant, formatNumber, formatValue } from '../format';
import { multiFormulaKey, select, setProgram, type OpFormula } from '../store/appStore';
import { runProgram } from '../bridge';
import { pyLiteral, replaceTensorLiteral } from './leafEdit';
import type { SourcePos } from '../../engine/events';
import { fillNodes, useT, type Tr } from '../i18n';

export function Inspector() {
  const current = useGraph();
  const segment = useApp((s) => s.segment);
  const position = useApp((s) => s.position);
  // Note: a step's graph and status are painted in one frame and the inspector in the next. Its formulas
  // and value views were half of a step's work on ResNet-18; drawn in the same frame (even deferred by
  // React, which renders right after the urgent commit), they made that frame miss its vsync.
  const formulasNow = useApp((s) => s.formulas);
  const sourceNow = useApp((s) => s.runSource);
  const at = useAfterPaint(
    useMemo(() => ({ run: current.run, graph: current.graph, segment, position, formulas: formulasNow, source: sourceNow }), [current.run, current.graph, segment, position, formulasNow, sourceNow]),
  );
  const { run, graph, formulas, source } = at;
  const selected = useApp((s) => s.selected);
  const frame = useMemo(() => frameAt(at.run, at.segment, at.position), [at]);
  const selKey = resolveSelection(graph, selected);
  const following = selKey === null;
  const key = selKey ?? activeNodeKey(run, frame, graph) ?? graph.nodes.find((n) => n.isRoot)?.key ?? null;
  const node = key ? graph.nodes.find((n) => n.key === key) ?? null : null;
  const t = useT();

  return (
    <section className="panel inspector" aria-labelledby="inspector-title">
      <header className="panel-head">
        <h2 id="inspector-title">{t('Inspector')}</h2>
        {node ? (
          following ? (
            <span className="hint">{t('following the stepper')}</span>
          ) : (
            <button type="button" className="link-btn" onClick={() => select(null)}>
              {t('Follow the stepper')}
            </button>
          )
        ) : null}
      </header>
      <div className="inspector-body">
        {node ? <NodeDetails node={node} run={run} frame={frame} formulas={formulas} source={source} /> : <p className="empty">{t('Select a node in the graph to see its value, its gradient and the chain rule at it.')}</p>}
      </div>
    </section>
  );
}

function sourceLine(source: string, pos?: SourcePos): string | null {
  if (!pos) return null;
  const line = source.split('\n')[pos.line - 1];
  return line === undefined ? null : line.trim();
}

/** A titled part of the inspector; the title comes translated. */
function Section({ title, children, tone }: { title: string; children: React.ReactNode; tone?: string }) {
  return (
    <div className={`insp-section ${tone ?? ''}`}>
      <h3>{title}</h3>
      {children}
    </div>
  );
}

function NodeDetails({ node, run, frame, formulas, source }: { node: GraphNode; run: RunModel; frame: Frame; formulas: Record<string, OpFormula>; source: string }) {
  const tr = useT();
  const t = node.tensor !== null ? run.tensors[node.tensor] : undefined;
  const pending = node.appearSeq > frame.seq;
  const kindText: Record<GraphNode['kind'], string> = {
    leaf: tr('leaf tensor'),
    op: node.isRoot ? tr('root · op result') : tr('op result'),
    const: tr('Python number'),
    external: tr('tensor from earlier'),
    inplace: tr('in-place update'),
    grad: tr('grad_fn node'),
    accumulate: tr('AccumulateGrad node'),
    root: tr('root (output)'),
    module: tr('module'),
  };
  const op = node.op !== null ? run.ops[node.op] : t?.opIndex !== undefined ? run.ops[t.opIndex] : null;
  const pos = node.kind === 'inplace' && node.inplace !== null ? run.inplaces[node.inplace].pos : op?.pos ?? t?.pos;
  const line = sourceLine(source, pos);
  return (
    <div className="details">
      <div className="insp-title">
        <span className="insp-name">{node.label}</span>
        <span className={`chip chip-${node.kind}`}>{kindText[node.kind]}</span>
        {node.frozen ? <span className="chip chip-frozen">{tr('frozen')}</span> : null}
        {!node.recorded ? <span className="chip chip-unrecorded">{tr('no_grad · not recorded')}</span> : null}
      </div>
      {line ? (
        <div className="insp-source">
          <span className="lineno">{tr('line {0}', pos!.line)}</span>
          <code>{line}</code>
        </div>
      ) : null}
      {pending ? <p className="note">{tr('Not reached yet: step forward to compute it.')}</p> : null}
      {node.kind === 'const' ? <ConstDetails node={node} run={run} /> : null}
      {node.kind === 'inplace' && node.inplace !== null ? <InplaceDetails run={run} index={node.inplace} /> : null}
      {t && !pending && (node.kind === 'leaf' || node.kind === 'op' || node.kind === 'external' || node.kind === 'root') ? (
        <TensorDetails node={node} t={t} run={run} frame={frame} op={op} />
      ) : null}
      {(node.kind === 'grad' || node.kind === 'accumulate') && node.gradNode !== null ? <GradNodeDetails node={node} run={run} frame={frame} /> : null}
      {op && op.gradFn && node.kind !== 'accumulate' && node.kind !== 'leaf' && !pending ? <ChainRule run={run} op={op} frame={frame} formulas={formulas} /> : null}
      {op && !op.gradFn && (node.kind === 'op') && !pending ? (
        <Section title={tr('Backward')}>
          <p className="note">{tr(op.gradMode ? 'No input requires grad, so autograd recorded nothing here (grad_fn=None).' : 'Computed under torch.no_grad(): not recorded in the graph, no grad_fn.')}</p>
        </Section>
      ) : null}
      {(node.isRoot || node.kind === 'root') && t ? <RootSeed run={run} frame={frame} tensor={t.id} source={source} /> : null}
      {node.kind === 'leaf' && t && !pending ? <LeafEditor t={t} run={run} /> : null}
    </div>
  );
}

function ConstDetails({ node, run }: { node: GraphNode; run: RunModel }) {
  const t = useT();
  const op = node.op !== null ? run.ops[node.op] : null;
  return (
    <Section title={t('Value')}>
      <div className="tensor">
        <div className="scalar">{node.label}</div>
        <div className="tensor-meta">
          {op ? t('a Python number, input of {0}: wrapped as a 0-d tensor that never requires grad', op.op) : t('a Python number: wrapped as a 0-d tensor that never requires grad')}
        </div>
      </div>
    </Section>
  );
}

function InplaceDetails({ run, index }: { run: RunModel; index: number }) {
  const t = useT();
  const ip = run.inplaces[index];
  return (
    <Section title={t('Update')}>
      <p className="note">
        {ip.recorded
          ? t('An in-place op recorded by autograd.')
          : t('Under torch.no_grad(): the leaf is changed in place and autograd records nothing, so the next iteration builds a new graph from the updated value.')}
      </p>
      <TensorView value={ip.value} />
      <div className="kv">
        <span>{t('version')}</span>
        <span>{ip.version}</span>
      </div>
    </Section>
  );
}

/** "Q = sub(mul, pow)": how a tensor was made, in the program's names. */
function opCall(run: RunModel, op: OpRec): string {
  const t = run.tensors[op.tensor];
  const call = `${op.op}(${op.inputs.map((i) => inputLabel(run, op, i.slot)).join(', ')})`;
  return t?.name ? `${t.name} = ${call}` : call;
}

function inputLabel(run: RunModel, op: OpRec, slot: number): string {
  const i = op.inputs[slot];
  if (!i) return '?';
  if (i.tensor === null) return formatConstant(i.constant ?? 'NaN');
  return tensorLabel(run, run.tensors[i.tensor]);
}

function TensorDetails({ node, t, run, frame, op }: { node: GraphNode; t: TensorRec; run: RunModel; frame: Frame; op: OpRec | null }) {
  const tr = useT();
  const value = valueAt(t, frame.seq);
  const isLeaf = t.kind === 'leaf';
  const grad = isLeaf ? gradAt(t, frame.seq) : tensorGradAt(run, frame.segment, t, frame.seq);
  const showOp = op && node.kind !== 'leaf' && node.kind !== 'external';
  return (
    <>
      {showOp ? (
        <Section title={tr('Op')}>
          <div className="op-line">
            <code className="op-name">{op!.op}</code>
            <span className="op-sym">{op!.label}</span>
            {op!.gradFn ? <code className="gradfn">grad_fn={op!.gradFn.name}</code> : <code className="gradfn none">grad_fn=None</code>}
          </div>
          <ol className="inputs">
            {op!.inputs.map((inp) => {
              const it = inp.tensor !== null ? run.tensors[inp.tensor] : undefined;
              const v = it ? valueAt(it, op!.seq) : null;
              return (
                <li key={inp.slot}>
                  <span className="slot">{tr('slot {0}', inp.slot)}</span>
                  <code>{inputLabel(run, op!, inp.slot)}</code>
                  <span className="inval">{v ? formatValue(v) : inp.tensor === null ? tr('number') : ''}</span>
                </li>
              );
            })}
          </ol>
          {Object.keys(op!.attrs).length ? (
            <div className="attrs">
              {Object.entries(op!.attrs).map(([k, v]) => (
                <span key={k}>
                  <code>{k}</code>={JSON.stringify(v)}
                </span>
              ))}
            </div>
          ) : null}
        </Section>
      ) : null}
      <Section title={tr('Value')}>{value ? <TensorView value={value} /> : <p className="note">—</p>}</Section>
      <div className="kv-grid">
        <span>requires_grad</span>
        <code>{t.requiresGrad ? 'True' : 'False'}</code>
        <span>is_leaf</span>
        <code>{isLeaf ? 'True' : 'False'}</code>
        {isLeaf && t.origin ? (
          <>
            <span>{tr('made by')}</span>
            <code>torch.{t.origin}</code>
          </>
        ) : null}
      </div>
      <Section title={isLeaf ? '.grad' : tr('Gradient flowing in')} tone="grad">
        {grad ? <TensorView value={grad} tone="grad" /> : <p className="note">{t.requiresGrad || node.isRoot ? tr('None yet: step through the backward pass.') : tr('None: this tensor does not require grad.')}</p>}
        {!isLeaf && grad ? <p className="note small">{tr('PyTorch does not keep this in .grad (not a leaf); it is what the backward pass sent here.')}</p> : null}
        {isLeaf && grad ? <LeafHookNote run={run} t={t} frame={frame} /> : null}
      </Section>
    </>
  );
}

function contributionsView(run: RunModel, exec: ExecRec, t: Tr) {
  const cs = exec.exec.contributions;
  if (cs.length <= 1) return null;
  return (
    <div className="fanout">
      <p className="note">{t('This tensor is used {0} times, so its gradient is the sum of {0} contributions:', cs.length)}</p>
      <ul className="contribs">
        {cs.map((c, i) => (
          <li key={i}>
            <span className="from">{c.from === null ? t('seed') : t('from {0}', run.gradNodes[c.from]?.name ?? 'node')}</span>
            <code>{formatValue(c.value)}</code>
          </li>
        ))}
      </ul>
      {/* The sum is what the hooks (if any) were handed; HookNote says what they returned. */}
      <Katex latex={sumLatex(cs.map((c) => c.value), exec.exec.hooks?.before ?? exec.exec.gradOutput)} display />
    </div>
  );
}

/** What the tensor's hooks (register_hook) did to the gradient before its node used it. */
function HookNote({ exec }: { exec: ExecRec | null }) {
  const t = useT();
  const hooks = exec?.exec.hooks;
  if (!hooks) return null;
  const after = exec!.exec.gradOutput;
  const kept = formatValue(hooks.before) === formatValue(after);
  const handed = <code>{formatValue(hooks.before)}</code>;
  const returned = <code className="gradv">{formatValue(after)}</code>;
  const one = hooks.count === 1;
  return (
    <div className="hooknote" role="note">
      <span className="k">{t('hook')}</span>
      <span>
        {kept
          ? one
            ? fillNodes(t('A hook (register_hook) ran on this gradient and returned it unchanged: {0}'), returned)
            : fillNodes(t('{0} hooks (register_hook) ran on this gradient and returned it unchanged: {1}'), hooks.count, returned)
          : one
            ? fillNodes(t('A hook (register_hook) changed this gradient before the node used it: handed {0}, returned {1}.'), handed, returned)
            : fillNodes(t('{0} hooks (register_hook) changed this gradient before the node used it: handed {1}, returned {2}.'), hooks.count, handed, returned)}
      </span>
    </div>
  );
}

/** What a hook after the node (a module's backward hook, grad_fn.register_hook) made of the gradient it sends through `slot`. */
function PostHookNote({ exec, slot }: { exec: ExecRec | null; slot: number }) {
  const t = useT();
  const before = exec?.exec.postHooks?.before[slot];
  const sent = exec?.exec.gradInputs.find((g) => g.slot === slot)?.value;
  if (!before || !sent || formatValue(before) === formatValue(sent)) return null;
  return (
    <div className="hooknote" role="note">
      <span className="k">{t('hook')}</span>
      <span>
        {fillNodes(t('A hook after the node (a module backward hook, grad_fn.register_hook) changed this gradient: computed {0}, sent {1}.'), <code>{formatValue(before)}</code>, <code className="gradv">{formatValue(sent)}</code>)}
      </span>
    </div>
  );
}

function ChainRule({ run, op, frame, formulas }: { run: RunModel; op: OpRec; frame: Frame; formulas: Record<string, OpFormula> }) {
  const t = useT();
  const exec = op.gradFn ? execOf(run, frame.segment, op.gradFn.id, frame.seq) : null;
  if (op.gradFn?.outputs) return <MultiOutputRule run={run} op={op} exec={exec} formulas={formulas} />;
  const rules = chainRule(run, op, exec, formulas);
  const def = formulaFor(formulas, op);
  return (
    <Section title={t('Chain rule at {0}', op.gradFn!.name)} tone="chain">
      <p className="note">
        {t('upstream gradient × local derivative = what flows to each input')}
        {def ? null : ` ${t('(no formula text for this op)')}`}
      </p>
      {exec ? (
        <div className="upstream">
          <span className="k">{t('upstream grad')}</span>
          <code className="gradv">{formatValue(exec.exec.gradOutput)}</code>
        </div>
      ) : (
        <p className="note">{t("Step the backward pass to {0} to see this run's numbers.", op.gradFn!.name)}</p>
      )}
      {exec ? contributionsView(run, exec, t) : null}
      <HookNote exec={exec} />
      {rules.map((r) => (
        <div className="rule" key={r.slot}>
          <div className="rule-head">
            <span className="arrow">→</span> {fillNodes(t('to {0}'), <code>{inputLabel(run, op, r.slot)}</code>)} <span className="param">({r.param})</span>
            {r.to !== null && run.gradNodes[r.to] ? <span className="to-node">{run.gradNodes[r.to].name}</span> : null}
          </div>
          <dl className="rule-lines">
            {r.local ? (
              <>
                <dt>{t('local derivative')}</dt>
                <dd>
                  <Katex latex={r.local} display label={`local derivative for ${r.param}`} />
                </dd>
              </>
            ) : null}
            {r.vjp ? (
              <>
                <dt>{t('vector-Jacobian product')}</dt>
                <dd>
                  <Katex latex={r.vjp} display label={`formula for ${r.param}: ${r.formula ?? ''}`} />
                </dd>
              </>
            ) : null}
            {r.numbers ? (
              <>
                <dt>{t("this run's numbers")}</dt>
                <dd>
                  <Katex latex={r.numbers} display label={`with numbers: ${r.sent ? formatValue(r.sent) : ''}`} />
                </dd>
              </>
            ) : null}
          </dl>
          <PostHookNote exec={exec} slot={r.slot} />
          {r.formula ? (
            <div className="formula-src">
              derivatives.yaml: <code>{r.formula}</code>
            </div>
          ) : null}
        </div>
      ))}
    </Section>
  );
}

/**
 * A node with several outputs (chunk's SplitBackward0, std_mean's StdMeanBackward0): PyTorch runs it once, with
 * every output's gradient; an output no gradient reached counts as zeros.
 */
function MultiOutputRule({ run, op, exec, formulas }: { run: RunModel; op: OpRec; exec: ExecRec | null; formulas: Record<string, OpFormula> }) {
  const t = useT();
  const g = op.gradFn!;
  const outputs = g.outputs!;
  const def = formulas[multiFormulaKey(g.name)] ?? null;
  const names = def?.inputs ?? ['self'];
  return (
    <Section title={t('Chain rule at {0}', g.name)} tone="chain">
      {outputs.length > 1 ? (
        <p className="note">
          {fillNodes(t("One node for {0} outputs: PyTorch runs it once, with every output's gradient ({1}). An output no gradient reached counts as zeros."), outputs.length, <code>grads</code>)}
        </p>
      ) : null}
      <ol className="inputs multi-outputs">
        {outputs.map((tensor, k) => {
          const got = exec?.exec.outputs?.[k]?.value ?? null;
          return (
            <li key={k}>
              <span className="slot">{t('output {0}', k)}</span> <code>{outputName(run, tensor, k)}</code>{' '}
              {exec ? got ? <code className="gradv">{formatValue(got)}</code> : <span className="note">{t('none: zeros')}</span> : null}
            </li>
          );
        })}
      </ol>
      {!exec ? <p className="note">{t("Step the backward pass to {0} to see this run's numbers.", g.name)}</p> : null}
      {g.next.map((n) => {
        const param = names[n.input ?? n.slot] ?? `input${n.slot}`;
        const sent = exec?.exec.gradInputs.find((x) => x.slot === n.slot)?.value ?? null;
        const formula = def?.formulas[param] ?? null;
        return (
          <div className="rule" key={n.slot}>
            <div className="rule-head">
              <span className="arrow">→</span> {fillNodes(t('to {0}'), <code>{inputLabel(run, op, n.input ?? n.slot)}</code>)} <span className="param">({param})</span>
              {n.node !== null && run.gradNodes[n.node] ? <span className="to-node">{run.gradNodes[n.node].name}</span> : null}
            </div>
            {sent ? <code className="gradv">{formatValue(sent)}</code> : null}
            <PostHookNote exec={exec} slot={n.slot} />
            {formula ? (
              <div className="formula-src">
                derivatives.yaml: <code>{formula}</code>
              </div>
            ) : null}
          </div>
        );
      })}
    </Section>
  );
}

function RootSeed({ run, frame, tensor, source }: { run: RunModel; frame: Frame; tensor: number; source: string }) {
  const t = useT();
  const b = frame.segment.backwards.map((i) => run.backwards[i]).find((x) => x.root === tensor);
  if (!b) return null;
  const scalar = b.seed.numel === 1 && run.tensors[tensor]?.values[0].value.shape.length === 0;
  const call = sourceLine(source, b.pos);
  return (
    <Section title={t('Seed gradient')} tone="grad">
      {call ? (
        <div className="insp-source">
          <span className="lineno">{t('line {0}', b.pos!.line)}</span>
          <code>{call}</code>
        </div>
      ) : null}
      <TensorView value={b.seed} tone="grad" />
      {scalar && isScalarOne(b.seed) ? (
        <p className="note">{fillNodes(t('The output is a scalar, so {0} starts from ∂out/∂out = 1.'), <code>.backward()</code>)}</p>
      ) : (
        <>
          <p className="note">
            {fillNodes(
              t('The output is not a scalar, so {0} needs the seed v. Autograd never forms the Jacobian J = ∂out/∂x; it computes the vector-Jacobian product, for every leaf x:'),
              <code>backward(gradient=v)</code>,
            )}
          </p>
          <Katex latex={`x.\\mathrm{grad} \\mathrel{+}= J^{\\top} v, \\qquad v = ${valueLatex(b.seed)}`} display />
          <p className="note small">{t("With v = ones this is the gradient of out.sum(); the tutorial's external_grad is exactly that.")}</p>
        </>
      )}
    </Section>
  );
}

/** A leaf's hooks run before its AccumulateGrad: that node's exec tells what they did. */
function LeafHookNote({ run, t, frame }: { run: RunModel; t: TensorRec; frame: Frame }) {
  const acc = accumulatorOf(run, t.id);
  return <HookNote exec={acc !== null ? execOf(run, frame.segment, acc, frame.seq) : null} />;
}

function GradNodeDetails({ node, run, frame }: { node: GraphNode; run: RunModel; frame: Frame }) {
  const tr = useT();
  const g = run.gradNodes[node.gradNode!];
  const exec = execOf(run, frame.segment, node.gradNode!, frame.seq);
  const t = g?.tensor != null ? run.tensors[g.tensor] : undefined;
  if (node.kind === 'accumulate') {
    const acc = exec?.accumulates[0];
    return (
      <>
        <Section title={tr('Accumulates into')}>
          <p className="note">
            {fillNodes(
              tr(
                acc?.accumulated
                  ? 'the leaf {0}: its {1} already held a value, so the incoming gradient is added to it (grads accumulate).'
                  : 'the leaf {0}: its {1} receives the incoming gradient.',
              ),
              <code>{tensorLabel(run, t)}</code>,
              <code>.grad</code>,
            )}
          </p>
        </Section>
        {exec ? contributionsView(run, exec, tr) : null}
        <HookNote exec={exec} />
        <Section title={tr('Incoming')} tone="grad">
          {exec ? <TensorView value={exec.exec.gradOutput} tone="grad" /> : <p className="note">{tr('Not run yet.')}</p>}
        </Section>
        {acc ? (
          <Section title={tr('{0}.grad after', tensorLabel(run, t))} tone="grad">
            <TensorView value={acc.total} tone="grad" />
          </Section>
        ) : null}
      </>
    );
  }
  return (
    <>
      <Section title={tr('grad_fn of')}>
        <p className="note">
          <code>{g?.opIndex != null ? opCall(run, run.ops[g.opIndex]) : tensorLabel(run, t)}</code>
        </p>
      </Section>
      <Section title="next_functions">
        <ol className="inputs">
          {(g?.next ?? []).map((n) => (
            <li key={n.slot}>
              <span className="slot">{tr('slot {0}', n.slot)}</span>
              <code>{n.name ? `(${n.name}, ${n.inputNr})` : '(None, 0)'}</code>
            </li>
          ))}
        </ol>
      </Section>
      {!exec ? <p className="note">{tr('Not run yet in this backward pass.')}</p> : null}
    </>
  );
}

function LeafEditor({ t, run }: { t: TensorRec; run: RunModel }) {
  const tr = useT();
  const v = t.values[0].value;
  const source = useApp((s) => s.runSource);
  const [draft, setDraft] = useState<string[] | null>(null);
  if (!v.data || v.numel > 16 || !t.pos || t.origin !== 'tensor') return null;
  const values = draft ?? v.data.map((x) => formatNumber(x, 8));
  const float = v.dtype === 'float32' || v.dtype === 'float64';
  const commit = (next: string[]) => {
    const nums = next.map(Number);
    if (nums.some((x) => !Number.isFinite(x))) return;
    const updated = replaceTensorLiteral(source, t.pos!, pyLiteral(nums, v.shape, float));
    if (updated === null || updated === source) return;
    setProgram(updated);
    runProgram(updated);
    setDraft(null);
  };
  const label = tensorLabel(run, t);
  return (
    <Section title={tr('Edit value')}>
      <div className="leaf-edit">
        {values.map((x, i) => (
          <input
            key={i}
            type="text"
            inputMode="decimal"
            aria-label={`${label}[${i}]`}
            value={x}
            onChange={(e) => {
              const next = values.slice();
              next[i] = e.target.value;
              setDraft(next);
            }}
            onKeyDown={(e) => {
              if (e.key === 'Enter') commit(values);
            }}
            onBlur={() => draft && commit(values)}
          />
        ))}
      </div>
      <p className="note small">{tr('Changes the literal in the program and runs it again.')}</p>
    </Section>
  );
}
