// The recurrent layers: nn.RNN, nn.LSTM, nn.GRU and nn.RNNCell, nn.LSTMCell, nn.GRUCell, computed as PyTorch 1.13's
// CPU path does (the composite _VF.rnn_tanh / lstm / gru of aten/src/ATen/native/RNN.cpp), so that the graph has
// PyTorch's nodes: per layer and direction, the input projection of the whole sequence at once (linear, then
// unbind into steps); per step linear(h, w_hh, b_hh) + that step's projection, the gates cut with unsafe_chunk
// (UnsafeSplitBackward0); the step outputs stacked (StackBackward0), a bidirectional layer's two concatenated.
// The forward methods follow torch/nn/modules/rnn.py: unbatched input, zero initial states, the size checks.
//
// Note: RNN.cpp writes the cells with in-place ops (gates.add_(...), chunk.sigmoid_(), cy.add_(...)). Here they are
// out of place: PyTorch records the same nodes for either (AddBackward0, SigmoidBackward0, ...) with the same
// next_functions, and the values are the same.
import { allocStorage } from '../dtype';
import { EngineError, runtimeError } from '../context';
import { Tensor, normalizeDim } from '../tensor';
import { zeros } from '../creation';
import { add, mul, sub } from '../ops/arith';
import { relu, sigmoid, tanh } from '../ops/unary';
import { linear, matmul } from '../ops/linalg';
import { dropout } from '../ops/nn';
import { cat, splitPieces, squeeze, stack, t, transpose, transposeInplaceForm, unbind, unsqueeze } from '../ops/shape';
import { Module, announceParameter, pyRepr } from './module';
import { uniform_ } from './init';

/** RNNBase's mode: which cell runs. */
export type RnnMode = 'RNN_TANH' | 'RNN_RELU' | 'LSTM' | 'GRU';

/** A layer's state: h, or LSTM's (h, c). */
type State = Tensor | readonly [Tensor, Tensor];

const isPair = (s: State): s is readonly [Tensor, Tensor] => !(s instanceof Tensor);

/** One direction of one layer's weights (RNN.cpp's CellParams); w_hr only for an LSTM with projections. */
interface CellParams {
  wIh: Tensor;
  wHh: Tensor;
  bIh: Tensor | null;
  bHh: Tensor | null;
  wHr: Tensor | null;
}

/** Gates per cell: LSTM's i, f, g, o; GRU's r, z, n. */
const GATES: Record<RnnMode, number> = { RNN_TANH: 1, RNN_RELU: 1, LSTM: 4, GRU: 3 };

/** gates.unsafe_chunk(n, 1) of a (batch, n * hidden) tensor. */
const unsafeChunk = (gates: Tensor, n: number): Tensor[] => splitPieces(gates, 1, new Array<number>(n).fill(gates.shape[1] / n), false, true);

/**
 * One step of a cell (RNN.cpp's SimpleCell, LSTMCell, GRUCell). `projected`: the input is already
 * linear(x, w_ih, b_ih), as the full-sequence path computes it for every step at once.
 */
function cellStep(mode: RnnMode, input: Tensor, state: State, p: CellParams, projected: boolean): State {
  const ih = (): Tensor => (projected ? input : linear(input, p.wIh, p.bIh));
  if (mode === 'LSTM') {
    const [hx, cx] = state as readonly [Tensor, Tensor];
    const gates = add(linear(hx, p.wHh, p.bHh), ih());
    const [i, f, g, o] = unsafeChunk(gates, 4);
    const ingate = sigmoid(i);
    const forgetgate = sigmoid(f);
    const cellgate = tanh(g);
    const outgate = sigmoid(o);
    const cy = add(mul(forgetgate, cx), mul(ingate, cellgate));
    const hy = mul(outgate, tanh(cy));
    return [p.wHr ? matmul(hy, t(p.wHr)) : hy, cy];
  }
  const hx = state as Tensor;
  if (mode === 'GRU') {
    const igates = unsafeChunk(ih(), 3);
    const hgates = unsafeChunk(linear(hx, p.wHh, p.bHh), 3);
    const resetgate = sigmoid(add(hgates[0], igates[0]));
    const inputgate = sigmoid(add(hgates[1], igates[1]));
    const newgate = tanh(add(igates[2], mul(hgates[2], resetgate)));
    return add(mul(sub(hx, newgate), inputgate), newgate);
  }
  const pre = add(linear(hx, p.wHh, p.bHh), ih());
  return mode === 'RNN_TANH' ? tanh(pre) : relu(pre);
}

/** RNN.cpp's FullLayer over a (seq, batch, features) input, forwards or (`reverse`) from the last step back. */
function runLayer(mode: RnnMode, input: Tensor, state: State, p: CellParams, reverse: boolean): { output: Tensor; state: State } {
  const steps = unbind(linear(input, p.wIh, p.bIh), 0);
  if (reverse) steps.reverse();
  const outputs: Tensor[] = [];
  for (const x of steps) {
    state = cellStep(mode, x, state, p, true);
    outputs.push(isPair(state) ? state[0] : state);
  }
  if (!outputs.length) throw runtimeError('Expected sequence length to be larger than 0 in RNN');
  if (reverse) outputs.reverse();
  return { output: stack(outputs, 0), state };
}

/** A float32 parameter of `shape` drawn from U(-bound, bound), as reset_parameters draws it. */
function uniformParameter(shape: number[], bound: number): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const p = new Tensor(allocStorage('float32', n, false), shape, 'float32');
  uniform_(p, -bound, bound);
  return announceParameter(p);
}

/** reset_parameters' bound: 1/sqrt(hidden_size). */
const initBound = (hiddenSize: number): number => (hiddenSize > 0 ? 1 / Math.sqrt(hiddenSize) : 0);

/** t.size(d), with PyTorch's IndexError for a dim t does not have. */
const size = (t: Tensor, d: number): number => t.shape[normalizeDim(d, t.ndim)];

const tupleText = (xs: readonly number[]): string => `(${xs.join(', ')})`;
const listText = (xs: readonly number[]): string => `[${xs.join(', ')}]`;

const zip = (hs: Tensor[], cs: Tensor[]): State[] => hs.map((h, i) => [h, cs[i]] as const);

export interface RnnOptions {
  numLayers?: number;
  bias?: boolean;
  batchFirst?: boolean;
  dropout?: number;
  bidirectional?: boolean;
  /** LSTM only: h projected to this size by weight_hr (0: none). */
  projSize?: number;
  /** RNN only: 'tanh' or 'relu'. */
  nonlinearity?: string;
}

/**
 * nn.RNN, nn.LSTM and nn.GRU (RNNBase): per layer and direction, weight_ih_l{k}, weight_hh_l{k}, bias_ih_l{k},
 * bias_hh_l{k} (and weight_hr_l{k}), '_reverse' for the second direction, registered in that order and each drawn
 * from U(-1/sqrt(hidden_size), 1/sqrt(hidden_size)) in that order.
 */
export class RNNBase extends Module {
  readonly mode: RnnMode;
  readonly numLayers: number;
  readonly bias: boolean;
  readonly batchFirst: boolean;
  readonly dropout: number;
  readonly bidirectional: boolean;
  readonly projSize: number;
  /** The parameter names of each layer and direction, in order (PyTorch's _all_weights). */
  readonly weightNames: string[][] = [];

  constructor(
    kind: 'RNN' | 'LSTM' | 'GRU',
    readonly inputSize: number,
    readonly hiddenSize: number,
    o: RnnOptions = {},
  ) {
    super(kind);
    const nonlinearity = o.nonlinearity ?? 'tanh';
    if (kind === 'RNN' && nonlinearity !== 'tanh' && nonlinearity !== 'relu') throw new EngineError('ValueError', `Unknown nonlinearity '${nonlinearity}'`);
    this.mode = kind === 'RNN' ? (nonlinearity === 'relu' ? 'RNN_RELU' : 'RNN_TANH') : kind;
    this.numLayers = o.numLayers ?? 1;
    this.bias = o.bias ?? true;
    this.batchFirst = o.batchFirst ?? false;
    this.dropout = o.dropout ?? 0;
    this.bidirectional = o.bidirectional ?? false;
    this.projSize = o.projSize ?? 0;
    if (!(this.dropout >= 0 && this.dropout <= 1)) {
      throw new EngineError('ValueError', 'dropout should be a number in range [0, 1] representing the probability of an element being zeroed');
    }
    if (this.projSize < 0) throw new EngineError('ValueError', 'proj_size should be a positive integer or zero to disable projections');
    if (this.projSize >= hiddenSize) throw new EngineError('ValueError', 'proj_size has to be smaller than hidden_size');
    const gateSize = GATES[this.mode] * hiddenSize;
    const realHidden = this.projSize > 0 ? this.projSize : hiddenSize;
    const bound = initBound(hiddenSize);
    for (let layer = 0; layer < this.numLayers; layer++) {
      for (let dir = 0; dir < this.directions; dir++) {
        const layerInput = layer === 0 ? inputSize : realHidden * this.directions;
        const shapes: [string, number[]][] = [['weight_ih', [gateSize, layerInput]], ['weight_hh', [gateSize, realHidden]]];
        if (this.bias) shapes.push(['bias_ih', [gateSize]], ['bias_hh', [gateSize]]);
        if (this.projSize > 0) shapes.push(['weight_hr', [this.projSize, hiddenSize]]);
        const names = shapes.map(([n]) => `${n}_l${layer}${dir === 1 ? '_reverse' : ''}`);
        // torch.empty draws nothing, so drawing each right after making it is reset_parameters' order.
        shapes.forEach(([, shape], i) => this.registerParameter(names[i], uniformParameter(shape, bound)));
        this.weightNames.push(names);
      }
    }
  }

  get directions(): number {
    return this.bidirectional ? 2 : 1;
  }

  /** The weights of layer `layer`, direction `dir`, read at call time (a program may replace one). */
  private cellParams(layer: number, dir: number): CellParams {
    const s = `_l${layer}${dir === 1 ? '_reverse' : ''}`;
    const p = (name: string): Tensor | null => this.param(name + s);
    return { wIh: p('weight_ih')!, wHh: p('weight_hh')!, bIh: p('bias_ih'), bHh: p('bias_hh'), wHr: p('weight_hr') };
  }

  /**
   * module(input, hx): RNN and GRU return [output, h_n], LSTM [output, [h_n, c_n]]. `hx` is h_0 (LSTM: [h_0, c_0]),
   * or null for zeros.
   */
  override forward(input: Tensor, hx: State | null = null): [Tensor, State] {
    const lstm = this.mode === 'LSTM';
    const batched = input.ndim === 3;
    const batchDim = this.batchFirst ? 0 : 1;
    if (!batched) input = unsqueeze(input, batchDim);
    if (hx !== null) {
      const hs = isPair(hx) ? hx : [hx];
      const want = batched ? 3 : 2;
      if (hs.some((h) => h.ndim !== want)) {
        const dims = lstm ? `(${hs.map((h) => `${h.ndim}-D`).join(', ')}) tensors` : `${hs[0].ndim}-D tensor`;
        throw runtimeError(`For ${batched ? 'batched 3-D' : 'unbatched 2-D'} input, ${lstm ? 'hx and cx' : 'hx'} should also be ${want}-D but got ${dims}`);
      }
      if (!batched) hx = isPair(hx) ? [unsqueeze(hx[0], 1), unsqueeze(hx[1], 1)] : unsqueeze(hx, 1);
    }
    const batch = size(input, batchDim);
    const hiddenShape = [this.numLayers * this.directions, batch, this.projSize > 0 ? this.projSize : this.hiddenSize];
    const cellShape = [this.numLayers * this.directions, batch, this.hiddenSize];
    if (hx === null) {
      const h0 = zeros(hiddenShape, { dtype: input.dtype });
      hx = lstm ? [h0, zeros(cellShape, { dtype: input.dtype })] : h0;
    }
    this.checkForwardArgs(input, hx, hiddenShape, cellShape);

    // _VF.rnn_tanh / lstm / gru from here.
    const x = this.batchFirst ? transpose(input, 0, 1) : input;
    const states: State[] = isPair(hx) ? zip(unbind(hx[0], 0), unbind(hx[1], 0)) : unbind(hx, 0);
    const finals: State[] = [];
    let layerInput = x;
    for (let layer = 0; layer < this.numLayers; layer++) {
      const fw = runLayer(this.mode, layerInput, states[layer * this.directions], this.cellParams(layer, 0), false);
      finals.push(fw.state);
      let output = fw.output;
      if (this.bidirectional) {
        const rev = runLayer(this.mode, layerInput, states[layer * 2 + 1], this.cellParams(layer, 1), true);
        finals.push(rev.state);
        output = cat([fw.output, rev.output], fw.output.ndim - 1);
      }
      // Dropout between layers, in training only (apply_layer_stack).
      layerInput = this.dropout !== 0 && this.training && layer < this.numLayers - 1 ? dropout(output, this.dropout, true) : output;
    }
    let hN = stack(finals.map((s) => (isPair(s) ? s[0] : s)), 0);
    let cN = lstm ? stack(finals.map((s) => (s as readonly [Tensor, Tensor])[1]), 0) : null;
    // RNN.cpp transposes a batch_first output back in place for RNN and GRU (TransposeBackward1), but out of
    // place for LSTM (TransposeBackward0, a view).
    let output = !this.batchFirst ? layerInput : lstm ? transpose(layerInput, 0, 1) : transposeInplaceForm(layerInput, 0, 1);
    if (!batched) {
      output = squeeze(output, batchDim);
      hN = squeeze(hN, 1);
      if (cN) cN = squeeze(cN, 1);
    }
    return [output, cN ? [hN, cN] : hN];
  }

  private checkForwardArgs(input: Tensor, hx: State, hiddenShape: number[], cellShape: number[]): void {
    if (input.ndim !== 3) throw runtimeError(`input must have 3 dimensions, got ${input.ndim}`);
    if (input.shape[2] !== this.inputSize) throw runtimeError(`input.size(-1) must be equal to input_size. Expected ${this.inputSize}, got ${input.shape[2]}`);
    const check = (h: Tensor, want: number[], what: string): void => {
      if (h.ndim !== want.length || h.shape.some((s, i) => s !== want[i])) throw runtimeError(`Expected ${what} size ${tupleText(want)}, got ${listText(h.shape)}`);
    };
    if (isPair(hx)) {
      check(hx[0], hiddenShape, 'hidden[0]');
      check(hx[1], cellShape, 'hidden[1]');
    } else check(hx, hiddenShape, 'hidden');
  }

  override extraRepr(): string {
    let s = `${this.inputSize}, ${this.hiddenSize}`;
    if (this.projSize !== 0) s += `, proj_size=${this.projSize}`;
    if (this.numLayers !== 1) s += `, num_layers=${this.numLayers}`;
    if (!this.bias) s += ', bias=False';
    if (this.batchFirst) s += ', batch_first=True';
    if (this.dropout !== 0) s += `, dropout=${pyRepr(this.dropout, true)}`;
    if (this.bidirectional) s += ', bidirectional=True';
    return s;
  }
}

/**
 * nn.RNNCell, nn.LSTMCell, nn.GRUCell (RNNCellBase): weight_ih, weight_hh, bias_ih, bias_hh, one step of the cell
 * (_VF.rnn_tanh_cell / lstm_cell / gru_cell) on (batch, input_size) or unbatched (input_size) input.
 */
export class RNNCellBase extends Module {
  readonly mode: RnnMode;

  constructor(
    kind: 'RNNCell' | 'LSTMCell' | 'GRUCell',
    readonly inputSize: number,
    readonly hiddenSize: number,
    readonly bias = true,
    /** RNNCell only; checked when it runs, as PyTorch does. */
    readonly nonlinearity = 'tanh',
  ) {
    super(kind);
    this.mode = kind === 'LSTMCell' ? 'LSTM' : kind === 'GRUCell' ? 'GRU' : nonlinearity === 'relu' ? 'RNN_RELU' : 'RNN_TANH';
    const gateSize = GATES[this.mode] * hiddenSize;
    const bound = initBound(hiddenSize);
    this.registerParameter('weight_ih', uniformParameter([gateSize, inputSize], bound));
    this.registerParameter('weight_hh', uniformParameter([gateSize, hiddenSize], bound));
    this.registerParameter('bias_ih', bias ? uniformParameter([gateSize], bound) : null);
    this.registerParameter('bias_hh', bias ? uniformParameter([gateSize], bound) : null);
  }

  /** module(input, hx): RNNCell and GRUCell return h', LSTMCell [h', c']. `hx` null: zeros. */
  override forward(input: Tensor, hx: State | null = null): State {
    if (input.ndim !== 1 && input.ndim !== 2) {
      throw new EngineError('AssertionError', `${this.kind}: Expected input to be 1-D or 2-D but received ${input.ndim}-D tensor`);
    }
    const batched = input.ndim === 2;
    if (!batched) input = unsqueeze(input, 0);
    if (hx === null) {
      const h0 = zeros([input.shape[0], this.hiddenSize], { dtype: input.dtype });
      hx = this.mode === 'LSTM' ? [h0, h0] : h0;
    } else if (!batched) hx = isPair(hx) ? [unsqueeze(hx[0], 0), unsqueeze(hx[1], 0)] : unsqueeze(hx, 0);
    if (this.kind === 'RNNCell' && this.nonlinearity !== 'tanh' && this.nonlinearity !== 'relu') {
      throw runtimeError(`Unknown nonlinearity: ${this.nonlinearity}`);
    }
    const p: CellParams = { wIh: this.param('weight_ih')!, wHh: this.param('weight_hh')!, bIh: this.param('bias_ih'), bHh: this.param('bias_hh'), wHr: null };
    // RNN.cpp's check_rnn_cell_forward_input and _hidden (an LSTM's c is checked as hidden0 too).
    if (size(input, 1) !== size(p.wIh, 1)) throw runtimeError(`input has inconsistent input_size: got ${size(input, 1)} expected ${size(p.wIh, 1)}`);
    for (const h of isPair(hx) ? hx : [hx]) {
      if (size(input, 0) !== size(h, 0)) throw runtimeError(`Input batch size ${size(input, 0)} doesn't match hidden0 batch size ${size(h, 0)}`);
      if (size(h, 1) !== size(p.wHh, 1)) throw runtimeError(`hidden0 has inconsistent hidden_size: got ${size(h, 1)}, expected ${size(p.wHh, 1)}`);
    }
    const out = cellStep(this.mode, input, hx, p, false);
    if (batched) return out;
    return isPair(out) ? [squeeze(out[0], 0), squeeze(out[1], 0)] : squeeze(out, 0);
  }

  override extraRepr(): string {
    let s = `${this.inputSize}, ${this.hiddenSize}`;
    if (!this.bias) s += ', bias=False';
    if (this.kind === 'RNNCell' && this.nonlinearity !== 'tanh') s += `, nonlinearity=${this.nonlinearity}`;
    return s;
  }
}
