// The training panel (issue 4): the tutorial's cubic fit to sin(x), by hand and with autograd, in lockstep
// in a worker; live plots; the result line; Inspect iteration and Open as program.
import { useEffect, useMemo, useRef } from 'react';
import { useStore } from 'zustand';
import { COEFF_NAMES, type Column } from '../../../engine/train/polyfit';
import { useApp } from '../../store/useApp';
import {
  drawStart,
  editField,
  initTraining,
  inspect,
  onInspected,
  programText,
  reset,
  selectColumn,
  setInspectAt,
  setRate,
  stepOnce,
  togglePlay,
  trainingStore,
  type TrainingState,
} from '../../training/trainingStore';
import { LABELS, type Labels, type Lang } from '../../training/labels';
import { progressPrints, pyFloat, shortDiff, ulpDistance } from '../../training/numbers';
import { resultLine } from '../../../engine/train/polyfit';
import { openProgramInEditor, showInspectedInCanvas } from '../../training/appLink';
import { rebuiltAnew } from '../../training/inspectSummary';
import { showPage } from '../../training/page';
import type { FieldName } from '../../training/validate';
import type { Rate } from '../../training/protocol';
import { COLUMN_COLOR, FitPlot, LossPlot } from './Plots';
import { TRAINING_CSS } from './trainingCss';
import { useMessageT } from '../../i18n';

const useTraining = <T,>(selector: (s: TrainingState) => T): T => useStore(trainingStore, selector);

const RATES: Rate[] = [null, 200, 50, 10];

export interface TrainingPanelProps {
  /** Called after Inspect iteration put the recorded iteration into the canvas (switch to the graph view). */
  onShowGraph?: () => void;
  /** Called after Open as program put the code into the editor (switch to the editor). */
  onShowEditor?: () => void;
  /** The label set; the app store's language when not given. */
  lang?: Lang;
}

export function TrainingPanel(props: TrainingPanelProps) {
  const appLang = useApp((s) => s.lang);
  const L = LABELS[props.lang ?? appLang ?? 'en'];
  const showGraph = useRef(props.onShowGraph);
  showGraph.current = props.onShowGraph ?? (() => showPage('graph'));
  useEffect(() => {
    initTraining();
    onInspected((r) => {
      showInspectedInCanvas(r);
      showGraph.current?.();
    });
    return () => onInspected(null);
  }, []);
  useTrainingKeys();
  const columnNames: Record<Column, string> = { hand: L.hand, autograd: L.autograd };
  return (
    <section className="tp" aria-labelledby="tp-title">
      <style>{TRAINING_CSS}</style>
      <header className="tp-head">
        <h2 id="tp-title">{L.title}</h2>
        <p className="tp-sub">{L.subtitle}</p>
      </header>
      <SetupBar L={L} />
      <Transport L={L} />
      <DivergenceAlert L={L} names={columnNames} />
      <div className="tp-body">
        <div className="tp-left">
          <ColumnsTable L={L} />
          <Output L={L} names={columnNames} />
          <Actions L={L} names={columnNames} onShowEditor={props.onShowEditor ?? (() => showPage('graph'))} />
        </div>
        <div className="tp-right">
          <Plots L={L} names={columnNames} />
          <InspectedSummary L={L} names={columnNames} />
        </div>
      </div>
    </section>
  );
}

function isTyping(t: EventTarget | null): boolean {
  return t instanceof HTMLElement && (t.isContentEditable || t instanceof HTMLInputElement || t instanceof HTMLTextAreaElement || t instanceof HTMLSelectElement);
}

/**
 * While the panel is shown, space plays/pauses training and → runs one iteration. The graph's stepper keys
 * (listened to on window) would act on the hidden graph: this capture listener runs first and marks the
 * event handled, which the stepper's listener respects.
 */
function useTrainingKeys(): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || isTyping(e.target)) return;
      if ((e.key === ' ' || e.key === 'Enter') && e.target instanceof HTMLButtonElement) return;
      if (e.key === ' ') togglePlay();
      else if (e.key === 'ArrowRight') stepOnce();
      else if (!['ArrowLeft', 'b', 'B'].includes(e.key)) return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, []);
}

function Field(props: { name: FieldName; label: string; value: string; error?: string; width?: string; mono?: boolean; hint?: string }) {
  const tm = useMessageT();
  const id = `tp-f-${props.name}`;
  return (
    <div className={`tp-field ${props.error ? 'has-error' : ''}`} style={{ width: props.width }}>
      <label htmlFor={id}>{props.label}</label>
      <input
        id={id}
        type="text"
        inputMode="decimal"
        spellCheck={false}
        autoComplete="off"
        className={props.mono === false ? '' : 'mono'}
        value={props.value}
        aria-invalid={props.error ? true : undefined}
        aria-describedby={props.error ? `${id}-err` : undefined}
        title={props.hint}
        onChange={(e) => editField(props.name, e.target.value)}
      />
      {props.error ? (
        <span id={`${id}-err`} className="tp-err" role="alert">
          {tm(props.error)}
        </span>
      ) : null}
    </div>
  );
}

function SetupBar({ L }: { L: Labels }) {
  const form = useTraining((s) => s.form);
  const errors = useTraining((s) => s.errors);
  return (
    <div className="tp-card tp-setup" role="group" aria-label={L.setup}>
      <div className="tp-setup-group">
        <Field name="seed" label={L.seed} value={form.seed} error={errors.seed} width="5.5rem" hint={L.drawHint} />
        <button type="button" className="tp-btn" onClick={drawStart} disabled={!!errors.seed} title={L.drawHint}>
          {L.draw}
        </button>
      </div>
      <div className="tp-setup-group tp-start" role="group" aria-label={L.start}>
        {COEFF_NAMES.map((n, i) => (
          <Field key={n} name={n} label={n} value={form.start[i]} error={errors[n]} width="9.5rem" />
        ))}
      </div>
      <div className="tp-setup-group">
        <Field name="learningRate" label={L.learningRate} value={form.learningRate} error={errors.learningRate} width="7.5rem" />
        <Field name="iterations" label={L.iterations} value={form.iterations} error={errors.iterations} width="6.5rem" />
      </div>
    </div>
  );
}

function Transport({ L }: { L: Labels }) {
  const status = useTraining((s) => s.status);
  const t = useTraining((s) => s.t);
  const iterations = useTraining((s) => s.setup.iterations);
  const rate = useTraining((s) => s.rate);
  const computeMs = useTraining((s) => s.computeMs);
  const blocked = useTraining((s) => (['a', 'b', 'c', 'd', 'learningRate', 'iterations'] as FieldName[]).some((f) => s.errors[f]));
  const running = status === 'running';
  const finished = status === 'done' || status === 'diverged';
  const pct = iterations ? (100 * t) / iterations : 0;
  return (
    <div className="tp-card tp-transport">
      <div className="tp-buttons">
        <button type="button" className="tp-btn primary tp-play" onClick={togglePlay} disabled={blocked} aria-label={running ? L.pause : L.play}>
          <svg viewBox="0 0 20 20" aria-hidden="true" className="tp-icon">
            {running ? <path d="M6 4h3v12H6zM11 4h3v12h-3z" /> : <path d="M6 4l10 6-10 6z" />}
          </svg>
          <span>{running ? L.pause : L.play}</span>
        </button>
        <button type="button" className="tp-btn" onClick={stepOnce} disabled={blocked || finished}>
          {L.step}
        </button>
        <button type="button" className="tp-btn" onClick={reset} disabled={blocked}>
          {L.reset}
        </button>
        <label className="tp-speed">
          <span>{L.speed}</span>
          <select value={rate === null ? 'fast' : String(rate)} onChange={(e) => setRate(e.target.value === 'fast' ? null : Number(e.target.value))}>
            {RATES.map((r) => (
              <option key={String(r)} value={r === null ? 'fast' : String(r)}>
                {r === null ? L.fast : L.perSecond(r)}
              </option>
            ))}
          </select>
        </label>
      </div>
      <div className="tp-progress-wrap">
        <div
          className={`tp-progress s-${status}`}
          role="progressbar"
          aria-label={L.progress}
          aria-valuemin={0}
          aria-valuemax={iterations}
          aria-valuenow={t}
          aria-valuetext={`${L.iterationsOf(t, iterations)} · ${L.status[status]}`}
        >
          <div className="tp-progress-fill" style={{ width: `${pct}%` }} />
        </div>
        <div className="tp-progress-text">
          <span className={`tp-chip s-${status}`} role="status">
            {L.status[status]}
          </span>
          <span className="tp-count mono">{L.iterationsOf(t, iterations)}</span>
          <span className="tp-time">{t > 0 ? L.computeTime(computeMs) : ''}</span>
        </div>
      </div>
    </div>
  );
}

function quantityName(q: string, column: Column): string {
  const m = /^grad_([abcd])$/.exec(q);
  if (m) return column === 'autograd' ? `${m[1]}.grad` : q;
  return q;
}

function DivergenceAlert({ L, names }: { L: Labels; names: Record<Column, string> }) {
  const hand = useTraining((s) => s.columns.hand.divergence);
  const auto = useTraining((s) => s.columns.autograd.divergence);
  const failure = useTraining((s) => s.failure);
  const tm = useMessageT();
  const items = (
    [
      ['hand', hand],
      ['autograd', auto],
    ] as const
  ).filter(([, d]) => d);
  if (!items.length && !failure) return null;
  return (
    <div className="tp-alert" role="alert">
      {failure ? <div>{tm(failure)}</div> : null}
      {items.map(([c, d]) => (
        <div key={c}>{L.diverged(names[c], d!.iteration, quantityName(d!.quantity, c), pyFloat(d!.value))}</div>
      ))}
    </div>
  );
}

function Cell({ value, bad }: { value: number | null; bad?: boolean }) {
  if (value === null) return <td className="num muted">—</td>;
  return <td className={`num ${bad || !Number.isFinite(value) ? 'nonfinite' : ''}`}>{pyFloat(value)}</td>;
}

function ColumnsTable({ L }: { L: Labels }) {
  const columns = useTraining((s) => s.columns);
  const selected = useTraining((s) => s.column);
  const t = useTraining((s) => s.t);
  const losses = useTraining((s) => s.losses);
  useTraining((s) => s.lossVersion);
  const lossOf = (c: Column) => (t > 0 ? losses[c][t - 1] : null);
  const diffCell = (a: number | null, b: number | null) => {
    if (a === null || b === null) return <td className="num diff muted">—</td>;
    const d = Math.abs(a - b);
    const ulps = ulpDistance(a, b);
    return (
      <td className="num diff">
        {shortDiff(d)} <span className="ulp">{d === 0 ? L.identical : Number.isFinite(ulps) ? L.ulp(ulps) : ''}</span>
      </td>
    );
  };
  const divAt = (c: Column, q: string) => columns[c].divergence?.quantity === q;
  const head = (c: Column, title: string, note: string) => (
    <th scope="col" className={`col-head ${selected === c ? 'selected' : ''}`} style={{ ['--col' as string]: COLUMN_COLOR[c] }}>
      <span className="col-title">{title}</span>
      <span className="col-note mono">{note}</span>
    </th>
  );
  return (
    <div className="tp-card tp-table-wrap">
      <table className="tp-table">
        <thead>
          <tr>
            <th scope="col" className="row-head" />
            {head('hand', L.hand, 'grad_a = grad_y_pred.sum()')}
            {head('autograd', L.autograd, 'loss.backward()')}
            <th scope="col" className="diff-head">
              {L.difference}
            </th>
          </tr>
        </thead>
        <tbody>
          {COEFF_NAMES.map((n, i) => (
            <tr key={n}>
              <th scope="row" className="mono">
                {n}
              </th>
              <Cell value={columns.hand.coeffs[i]} bad={divAt('hand', n)} />
              <Cell value={columns.autograd.coeffs[i]} bad={divAt('autograd', n)} />
              {diffCell(columns.hand.coeffs[i], columns.autograd.coeffs[i])}
            </tr>
          ))}
          <tr className="sep">
            <th scope="row">{L.loss}</th>
            <Cell value={lossOf('hand')} bad={divAt('hand', 'loss')} />
            <Cell value={lossOf('autograd')} bad={divAt('autograd', 'loss')} />
            {diffCell(lossOf('hand'), lossOf('autograd'))}
          </tr>
          {COEFF_NAMES.map((n, i) => (
            <tr key={`g${n}`} className="grad">
              <th scope="row" className="mono">
                ∂loss/∂{n}
              </th>
              <Cell value={columns.hand.grads ? columns.hand.grads[i] : null} bad={divAt('hand', `grad_${n}`)} />
              <Cell value={columns.autograd.grads ? columns.autograd.grads[i] : null} bad={divAt('autograd', `grad_${n}`)} />
              {diffCell(columns.hand.grads?.[i] ?? null, columns.autograd.grads?.[i] ?? null)}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Actions({ L, names, onShowEditor }: { L: Labels; names: Record<Column, string>; onShowEditor?: () => void }) {
  const column = useTraining((s) => s.column);
  const inspectAt = useTraining((s) => s.inspectAt);
  const inspectError = useTraining((s) => s.inspectError);
  const inspecting = useTraining((s) => s.inspecting);
  const tm = useMessageT();
  return (
    <div className="tp-card tp-actions">
      <div className="tp-seg" role="radiogroup" aria-label={L.column}>
        {(['hand', 'autograd'] as const).map((c) => (
          <label key={c} className={`tp-seg-item ${column === c ? 'on' : ''}`} style={{ ['--col' as string]: COLUMN_COLOR[c] }}>
            <input type="radio" name="tp-column" value={c} checked={column === c} onChange={() => selectColumn(c)} />
            <span>{names[c]}</span>
          </label>
        ))}
      </div>
      <div className="tp-inspect">
        <div className={`tp-field ${inspectError ? 'has-error' : ''}`}>
          <label htmlFor="tp-inspect-at">{L.inspectLabel}</label>
          <input
            id="tp-inspect-at"
            className="mono"
            type="text"
            inputMode="numeric"
            value={inspectAt}
            aria-invalid={inspectError ? true : undefined}
            aria-describedby={inspectError ? 'tp-inspect-err' : undefined}
            onChange={(e) => setInspectAt(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') inspect();
            }}
          />
        </div>
        <button type="button" className="tp-btn" onClick={inspect} disabled={inspecting} aria-busy={inspecting || undefined}>
          {L.inspect}
        </button>
        <button
          type="button"
          className="tp-btn"
          onClick={() => {
            openProgramInEditor(programText(column));
            onShowEditor?.();
          }}
        >
          {L.openProgram}
        </button>
      </div>
      {inspectError ? (
        <div id="tp-inspect-err" className="tp-err" role="alert">
          {tm(inspectError)}
        </div>
      ) : (
        <p className="tp-note">{noteFor(L, inspectAt)}</p>
      )}
    </div>
  );
}

function noteFor(L: Labels, text: string): string {
  const k = Number(text);
  if (!Number.isInteger(k) || k < 0) return L.inspectNote(0, 1);
  return k === 0 ? L.inspectNote(0, 1) : L.inspectNote(k - 1, k);
}

function Output({ L, names }: { L: Labels; names: Record<Column, string> }) {
  const column = useTraining((s) => s.column);
  const t = useTraining((s) => s.t);
  const status = useTraining((s) => s.status);
  const losses = useTraining((s) => s.losses[column]);
  const coeffs = useTraining((s) => s.columns[column].coeffs);
  const version = useTraining((s) => s.lossVersion);
  const lines = useMemo(() => progressPrints(losses, t), [losses, t, version]);
  const ref = useRef<HTMLPreElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [lines.length, status]);
  return (
    <div className="tp-card tp-output">
      <div className="tp-output-head">{L.outputOf(names[column])}</div>
      <pre ref={ref} className="tp-console mono" aria-label={L.output} tabIndex={0}>
        {lines.map((l) => (
          <div key={l}>{l}</div>
        ))}
        {status === 'done' ? <div className="tp-result">{resultLine(coeffs)}</div> : null}
        {lines.length === 0 && status !== 'done' ? <div className="muted">…</div> : null}
      </pre>
    </div>
  );
}

function Plots({ L, names }: { L: Labels; names: Record<Column, string> }) {
  const hand = useTraining((s) => s.columns.hand.coeffs);
  const auto = useTraining((s) => s.columns.autograd.coeffs);
  const losses = useTraining((s) => s.losses);
  const version = useTraining((s) => s.lossVersion);
  const t = useTraining((s) => s.t);
  const iterations = useTraining((s) => s.setup.iterations);
  const coeffs = useMemo(() => ({ hand, autograd: auto }), [hand, auto]);
  return (
    <div className="tp-card tp-plots">
      <FitPlot coeffs={coeffs} label={L.fitPlot} xLabel="x" targetLabel={L.target} columnLabels={names} />
      <LossPlot losses={losses} t={t} iterations={iterations} version={version} label={L.lossPlot} xLabel={L.iteration} columnLabels={names} />
    </div>
  );
}

function InspectedSummary({ L, names }: { L: Labels; names: Record<Column, string> }) {
  const inspected = useTraining((s) => s.inspected);
  if (!inspected) return null;
  const [a, b] = inspected.iterations;
  const byHand = inspected.column === 'hand';
  const anew = !byHand && a && b ? rebuiltAnew(a, b) : false;
  const title = byHand ? L.handNothing : anew ? L.rebuilt : L.inspect;
  const ids = (r: [number, number] | null) => (r ? `#${r[0]}–#${r[1]}` : '—');
  return (
    <div className="tp-card tp-inspected" aria-live="polite">
      <div className="tp-inspected-head">
        <strong>{title}</strong>
        <span className="muted"> · {names[inspected.column]} · {L.shown}</span>
      </div>
      {byHand ? <p className="tp-note">{L.handNothingNote}</p> : anew ? <p className="tp-note">{L.rebuiltNote}</p> : null}
      <table className="tp-mini">
        <thead>
          <tr>
            <th scope="col">{L.iteration}</th>
            <th scope="col">{L.ops}</th>
            <th scope="col">{L.recorded}</th>
            <th scope="col">{L.tensorIds}</th>
            <th scope="col">{L.nodes}</th>
            <th scope="col">{L.lossTensor}</th>
          </tr>
        </thead>
        <tbody>
          {inspected.iterations.map((it) => (
            <tr key={it.iteration} className={it.iteration === inspected.iteration ? 'on' : ''}>
              <td className="mono">t = {it.iteration}</td>
              <td className="mono">{it.shape.length}</td>
              <td className="mono">{it.recorded}</td>
              <td className="mono">{ids(it.tensorIds)}</td>
              <td className="mono">{ids(it.nodeIds)}</td>
              <td className="mono">
                {it.names.loss !== undefined ? `#${it.names.loss}` : '—'}
                {it.lossNode ? ` ${it.lossNode.name} #${it.lossNode.id}` : ''}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="tp-note">
        {(byHand ? L.notRecordedHand : L.notRecorded)(inspected.iterations[0]?.unrecordedInplace ?? 0)}
      </p>
    </div>
  );
}
