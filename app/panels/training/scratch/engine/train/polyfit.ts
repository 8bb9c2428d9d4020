// The tutorial's toy example ("Learning PyTorch with Examples"): fit y = a + b·x + c·x² + d·x³ to sin(x)
// with plain gradient descent, once with the gradients written by hand and once with loss.backward().
//
// Note: both columns are the engine, statement for statement as the tutorial writes them, in float32.
// "by hand" uses the engine's tensor ops on tensors that do not require grad (nothing is recorded);
// "autograd" builds the DAG on every iteration, calls backward() and updates under no_grad. Nothing here
// listens to events: the bulk run costs no event work, and a caller that subscribes (Inspect iteration)
// gets the same events the interpreter would emit for the program text of `polyfitProgram`, with the
// source positions of that text (see `polyfitSourceMap`).
import * as E from '../index';
import type { SourcePos } from '../events';
import { floatRepr } from '../lang/format';
import { recycling } from '../dtype';

export type Column = 'hand' | 'autograd';
export const COLUMNS: readonly Column[] = ['hand', 'autograd'];
export const COEFF_NAMES = ['a', 'b', 'c', 'd'] as const;
export type CoeffName = (typeof COEFF_NAMES)[number];
export type Coeffs = [number, number, number, number];

export interface PolyfitSetup {
  /** The start of a, b, c, d (float32 values; anything else is rounded to float32 as torch.tensor does). */
  start: Coeffs;
  learningRate: number;
  iterations: number;
  /** Points of linspace(-π, π, points). The tutorial: 2000. */
  points: number;
}

export const TUTORIAL: Omit<PolyfitSetup, 'start'> = { learningRate: 1e-6, iterations: 2000, points: 2000 };

/** The limits the panel validates against (the engine itself takes anything). */
export const LIMITS = { maxIterations: 100_000, maxLearningRate: 1, maxPoints: 100_000 };

/**
 * The tutorial's random start: `torch.manual_seed(seed)`, then `torch.randn(())` for a, b, c, d in that
 * order. Reseeds the engine's global generator, as torch.manual_seed does.
 */
export function seededStart(seed: number): Coeffs {
  E.manualSeed(seed);
  return COEFF_NAMES.map(() => E.randn([]).item()) as Coeffs;
}

/** Where a NaN or an infinity first showed up. */
export interface Divergence {
  /** 0-based iteration (as `range` counts). */
  iteration: number;
  /** What held it first, in the order the iteration computes them: 'loss', 'grad_a' ('a.grad'), 'a', ... */
  quantity: string;
  value: number;
}

export interface IterationResult {
  /** 0-based index of the iteration that just ran. */
  t: number;
  /** The loss of this iteration (before its update), as loss.item() gives it. */
  loss: number;
  /** The gradients this iteration computed. */
  grads: Coeffs;
  /** a, b, c, d after the update. */
  coeffs: Coeffs;
  divergence: Divergence | null;
}

/** Statement keys of the loop body, for source positions. */
export type StatementKey =
  | 'for'
  | 'y_pred'
  | 'loss'
  | 'print'
  | 'grad_y_pred'
  | `grad_${CoeffName}`
  | 'backward'
  | 'no_grad'
  | `update_${CoeffName}`
  | `clear_${CoeffName}`;

/** Positions of the program's statements (and the sub-expressions of y_pred and loss), 1-based as SourcePos. */
export interface PolyfitSourceMap {
  statements: Partial<Record<StatementKey, SourcePos>>;
  /** Leaf definitions: x, y, a, b, c, d, learning_rate. */
  defs: Record<string, SourcePos>;
  /** The for statement spanning its body (endLine set), as the interpreter reports loops. */
  loop: SourcePos;
  /** The closing print. */
  result?: SourcePos;
}

/** One column of the fit: the state of the tutorial's program between iterations. */
export class PolyfitTrainer {
  readonly x: E.Tensor;
  readonly y: E.Tensor;
  readonly params: E.Tensor[];
  /** Iterations run so far (the next iteration's t). */
  t = 0;
  divergence: Divergence | null = null;
  private readonly lr: number;
  /** Source positions, set when a caller wants events with positions (Inspect iteration). */
  sourceMap: PolyfitSourceMap | null = null;

  constructor(
    readonly column: Column,
    readonly setup: PolyfitSetup,
    options: { sourceMap?: PolyfitSourceMap } = {},
  ) {
    this.sourceMap = options.sourceMap ?? null;
    // x = torch.linspace(-math.pi, math.pi, 2000, dtype=dtype); y = torch.sin(x)
    this.at('defs', 'x');
    this.x = E.linspace(-Math.PI, Math.PI, setup.points, { dtype: 'float32' });
    this.bind('x', this.x);
    this.at('defs', 'y');
    this.y = E.sin(this.x);
    this.bind('y', this.y);
    const requiresGrad = column === 'autograd';
    this.params = COEFF_NAMES.map((name, i) => {
      this.at('defs', name);
      const p = E.tensor(setup.start[i], { dtype: 'float32', requiresGrad });
      this.bind(name, p);
      return p;
    });
    this.lr = setup.learningRate;
  }

  coeffs(): Coeffs {
    return this.params.map((p) => p.data[0]) as Coeffs;
  }

  get done(): boolean {
    return this.t >= this.setup.iterations || this.divergence !== null;
  }

  /** Runs one iteration of the loop body, exactly as the tutorial writes it. */
  step(): IterationResult {
    const t = this.t;
    const r = recycling(() => (this.column === 'autograd' ? this.stepAutograd() : this.stepByHand()));
    this.t++;
    const result: IterationResult = { t, ...r, coeffs: this.coeffs(), divergence: null };
    result.divergence = this.divergence = findDivergence(t, result);
    return result;
  }

  private stepByHand(): { loss: number; grads: Coeffs } {
    const [a, b, c, d] = this.params;
    const { x, y, lr } = this;
    const yPred = this.forward(a, b, c, d);
    // loss = (y_pred - y).pow(2).sum().item()
    this.at('statements', 'loss');
    const loss = E.sum(E.pow(E.sub(yPred, y), 2)).item();
    this.printLoss(this.t, loss);
    // grad_y_pred = 2.0 * (y_pred - y)
    this.at('statements', 'grad_y_pred');
    const gradYPred = E.mul(2.0, E.sub(yPred, y));
    this.bind('grad_y_pred', gradYPred);
    const grads = [
      () => E.sum(gradYPred),
      () => E.sum(E.mul(gradYPred, x)),
      () => E.sum(E.mul(gradYPred, E.pow(x, 2))),
      () => E.sum(E.mul(gradYPred, E.pow(x, 3))),
    ].map((g, i) => {
      this.at('statements', `grad_${COEFF_NAMES[i]}`);
      const grad = g();
      this.bind(`grad_${COEFF_NAMES[i]}`, grad);
      return grad;
    });
    // a -= learning_rate * grad_a (no autograd here: a does not require grad)
    this.params.forEach((p, i) => {
      this.at('statements', `update_${COEFF_NAMES[i]}`);
      E.inplace(p, E.OPS.sub, [E.mul(lr, grads[i])], {}, '-=');
    });
    return { loss, grads: grads.map((g) => g.data[0]) as Coeffs };
  }

  private stepAutograd(): { loss: number; grads: Coeffs } {
    const [a, b, c, d] = this.params;
    const { y, lr } = this;
    const yPred = this.forward(a, b, c, d);
    // loss = (y_pred - y).pow(2).sum()
    this.at('statements', 'loss');
    const lossT = E.sum(E.pow(E.sub(yPred, y), 2));
    this.bind('loss', lossT);
    const loss = lossT.data[0];
    this.printLoss(this.t, loss);
    this.at('statements', 'backward');
    E.backward(lossT);
    const grads = this.params.map((p) => (p.grad ? p.grad.data[0] : NaN)) as Coeffs;
    // with torch.no_grad(): a -= learning_rate * a.grad ... a.grad = None
    this.at('statements', 'no_grad');
    E.noGrad(() => {
      this.params.forEach((p, i) => {
        this.at('statements', `update_${COEFF_NAMES[i]}`);
        E.inplace(p, E.OPS.sub, [E.mul(lr, p.grad!)], {}, '-=');
      });
      this.params.forEach((p, i) => {
        this.at('statements', `clear_${COEFF_NAMES[i]}`);
        p.grad = null;
        if (E.events.active) E.events.emit({ type: 'grad-set', tensor: p.id, grad: null, pos: E.engine.pos });
      });
    });
    return { loss, grads };
  }

  /** y_pred = a + b * x + c * x ** 2 + d * x ** 3, left to right as Python evaluates it. */
  private forward(a: E.Tensor, b: E.Tensor, c: E.Tensor, d: E.Tensor): E.Tensor {
    const x = this.x;
    this.at('statements', 'y_pred');
    const yPred = E.add(E.add(E.add(a, E.mul(b, x)), E.mul(c, E.pow(x, 2))), E.mul(d, E.pow(x, 3)));
    this.bind('y_pred', yPred);
    return yPred;
  }

  /** `if t % 100 == 99: print(t, loss)`: only visible when someone listens. */
  private printLoss(step: number, loss: number): void {
    if (!E.events.active || step % 100 !== 99) return;
    this.at('statements', 'print');
    E.events.emit({ type: 'print', text: `${step} ${floatRepr(loss)}`, pos: E.engine.pos });
  }

  private at(group: 'statements' | 'defs', key: string): void {
    if (!this.sourceMap) return;
    const table = this.sourceMap[group] as Record<string, SourcePos | undefined>;
    E.engine.pos = table[key];
  }

  private bind(name: string, tensor: E.Tensor): void {
    if (E.events.active) E.events.emit({ type: 'bind', name, tensor: tensor.id, pos: E.engine.pos });
  }
}

/** The first non-finite quantity of an iteration, in the order the iteration computed them. */
function findDivergence(t: number, r: Omit<IterationResult, 'divergence'>): Divergence | null {
  if (!Number.isFinite(r.loss)) return { iteration: t, quantity: 'loss', value: r.loss };
  for (let i = 0; i < 4; i++) {
    if (!Number.isFinite(r.grads[i])) return { iteration: t, quantity: `grad_${COEFF_NAMES[i]}`, value: r.grads[i] };
  }
  for (let i = 0; i < 4; i++) {
    if (!Number.isFinite(r.coeffs[i])) return { iteration: t, quantity: COEFF_NAMES[i], value: r.coeffs[i] };
  }
  return null;
}

/** Runs a whole fit (tests, benchmarks): returns the final coefficients and the last loss. */
export function runPolyfit(column: Column, setup: PolyfitSetup): { coeffs: Coeffs; loss: number; iterations: number; divergence: Divergence | null; losses: Float64Array } {
  const trainer = new PolyfitTrainer(column, setup);
  const losses = new Float64Array(setup.iterations);
  let loss = NaN;
  while (!trainer.done) {
    const r = trainer.step();
    losses[r.t] = loss = r.loss;
  }
  return { coeffs: trainer.coeffs(), loss, iterations: trainer.t, divergence: trainer.divergence, losses: losses.subarray(0, trainer.t) };
}

/** Python's repr of a float: what `{a.item()}` prints. */
export const pyFloat = floatRepr;

/** The tutorial's closing line: Result: y = … + … x + … x^2 + … x^3 */
export function resultLine(coeffs: Coeffs): string {
  const [a, b, c, d] = coeffs.map(pyFloat);
  return `Result: y = ${a} + ${b} x + ${c} x^2 + ${d} x^3`;
}

/** A float as a program's source writes it: Python's repr, with the exponent unpadded (1e-6, not 1e-06). */
export function pySourceFloat(v: number): string {
  return pyFloat(v).replace(/e([+-])0*(\d)/, (_m, sign: string, digit: string) => `e${sign === '-' ? '-' : ''}${digit}`);
}

/**
 * The fewest digits that give back the same float32 (what a person would type: -0.461, 1.541), so
 * `torch.tensor(<it>, dtype=torch.float)` is exactly the start the panel trains from.
 */
export function float32Literal(v: number): string {
  const f = Math.fround(v);
  if (!Number.isFinite(f)) return pyFloat(f);
  for (let digits = 1; digits <= 17; digits++) {
    const shortest = Number(f.toPrecision(digits));
    if (Math.fround(shortest) === f) return pySourceFloat(shortest);
  }
  return pySourceFloat(f);
}

/**
 * The tutorial's program for one column, for a start, learning rate and iteration count. For the
 * reference start it is polyfit.json's program, with the tutorial's prints (`if t % 100 == 99` and the
 * closing Result line) in both columns.
 */
export function polyfitProgram(column: Column, setup: PolyfitSetup): string {
  const rg = column === 'autograd' ? ', requires_grad=True' : '';
  const lines = [
    'import torch',
    'import math',
    'dtype = torch.float',
    `x = torch.linspace(-math.pi, math.pi, ${setup.points}, dtype=dtype)`,
    'y = torch.sin(x)',
    ...COEFF_NAMES.map((n, i) => `${n} = torch.tensor(${float32Literal(setup.start[i])}, dtype=dtype${rg})`),
    `learning_rate = ${pySourceFloat(setup.learningRate)}`,
    `for t in range(${setup.iterations}):`,
    '    y_pred = a + b * x + c * x ** 2 + d * x ** 3',
  ];
  if (column === 'autograd') {
    lines.push(
      '    loss = (y_pred - y).pow(2).sum()',
      '    if t % 100 == 99:',
      '        print(t, loss.item())',
      '    loss.backward()',
      '    with torch.no_grad():',
      ...COEFF_NAMES.map((n) => `        ${n} -= learning_rate * ${n}.grad`),
      ...COEFF_NAMES.map((n) => `        ${n}.grad = None`),
    );
  } else {
    lines.push(
      '    loss = (y_pred - y).pow(2).sum().item()',
      '    if t % 100 == 99:',
      '        print(t, loss)',
      '    grad_y_pred = 2.0 * (y_pred - y)',
      '    grad_a = grad_y_pred.sum()',
      '    grad_b = (grad_y_pred * x).sum()',
      '    grad_c = (grad_y_pred * x ** 2).sum()',
      '    grad_d = (grad_y_pred * x ** 3).sum()',
      ...COEFF_NAMES.map((n) => `    ${n} -= learning_rate * grad_${n}`),
    );
  }
  lines.push("print(f'Result: y = {a.item()} + {b.item()} x + {c.item()} x^2 + {d.item()} x^3')");
  return lines.join('\n') + '\n';
}

/** The source positions of `polyfitProgram(column, setup)`'s statements, so events point into that text. */
export function polyfitSourceMap(program: string): PolyfitSourceMap {
  const lines = program.split('\n');
  const find = (pred: (l: string) => boolean): SourcePos | undefined => {
    const i = lines.findIndex(pred);
    if (i < 0) return undefined;
    const text = lines[i];
    const col = text.length - text.trimStart().length + 1;
    return { line: i + 1, col, endLine: i + 1, endCol: text.length + 1 };
  };
  const starts = (prefix: string) => (l: string) => l.trimStart().startsWith(prefix);
  const statements: PolyfitSourceMap['statements'] = {
    for: find(starts('for t in range(')),
    y_pred: find(starts('y_pred =')),
    loss: find(starts('loss =')),
    print: find(starts('print(t,')),
    grad_y_pred: find(starts('grad_y_pred =')),
    backward: find(starts('loss.backward()')),
    no_grad: find(starts('with torch.no_grad()')),
  };
  for (const n of COEFF_NAMES) {
    statements[`grad_${n}`] = find(starts(`grad_${n} =`));
    statements[`update_${n}`] = find(starts(`${n} -= learning_rate`));
    statements[`clear_${n}`] = find(starts(`${n}.grad = None`));
  }
  const defs: Record<string, SourcePos> = {};
  for (const n of ['x', 'y', ...COEFF_NAMES, 'learning_rate']) {
    const p = find((l) => l.startsWith(`${n} = `));
    if (p) defs[n] = p;
  }
  const forPos = statements.for ?? { line: 1, col: 1 };
  // The loop ends at the last indented line after the for.
  let end = forPos.line;
  while (end < lines.length && lines[end].startsWith('    ')) end++;
  const loop: SourcePos = { line: forPos.line, col: forPos.col, endLine: end, endCol: (lines[end - 1]?.length ?? 0) + 1 };
  return { statements, defs, loop, result: find(starts("print(f'Result")) };
}
