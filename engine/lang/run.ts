// The entry point: run a pasted PyTorch program against the engine.
//
//   const r = runProgram(source, { loadFile });
//   r.ok; r.error (PyError with line/col); r.evaluate('a.grad'); r.globals; r.prints
//
// The run stamps engine.pos with the position of each operation, and emits the language's events on
// the engine's stream: 'print' (the text print wrote, without its final newline), 'iteration',
// 'bind' (a name bound to a tensor) and 'error'.
import { engine, setGradEnabled } from '../context';
import type { SourcePos } from '../events';
import { Tensor } from '../tensor';
import { refreshView } from '../views';
import { releaseTemporary } from '../autograd/temporaries';
import { resetSavedHooks } from '../autograd/saved';
import { PyError, formatError } from './errors';
import { Interpreter, DEFAULT_STEP_BUDGET, DEFAULT_MAX_DEPTH } from './interpreter';
import { makeTorchEnvironment } from './torchBindings';
import { resetPrintOptions } from './bindings/tensorRepr';
import { NDArray, releaseArrayTemporary } from './numpy/ndarray';
import type { PyValue } from './values';

export interface RunOptions {
  /** The bytes of a file the program opens by name (safetensors.torch.load_file). */
  loadFile?: (name: string) => Uint8Array;
  /** Receives exactly what print writes (including its `end`, '\n' by default). */
  onPrint?: (text: string) => void;
  /** Most statements/iterations/calls the program may take (default 50 million). */
  stepBudget?: number;
  /** Deepest Python call nesting (default 300: deeper, the JS stack of a browser may run out first). */
  maxDepth?: number;
  /**
   * Whether to build the graph events of a loop iteration (default: every one). `total` is known for
   * loops over a range; `depth` is 0 for an outermost loop. Prints, errors, requires_grad changes and
   * the iteration marks are emitted either way.
   */
  recordIteration?: (index: number, total: number | undefined, depth: number) => boolean;
}

export interface RunResult {
  ok: boolean;
  error?: PyError;
  /** The program's global variables after the run (also after an error). */
  globals: Map<string, PyValue>;
  /** Evaluates an expression in the program's global scope; throws PyError. */
  evaluate(expr: string): PyValue;
  /** Each print call's text, in order. */
  prints: string[];
  /** Everything printed, concatenated. */
  output: string;
  interpreter: Interpreter;
}

/** Makes an interpreter wired to the torch bindings and the engine's event stream. */
export function createInterpreter(options: RunOptions = {}): Interpreter {
  let interp: Interpreter | null = null;
  const env = makeTorchEnvironment(() => interp!.rt, { loadFile: options.loadFile });
  const events = engine.events;
  interp = new Interpreter({
    modules: env.modules,
    hostTypeOf: env.hostTypeOf,
    hostBases: env.hostBases,
    stepBudget: options.stepBudget ?? DEFAULT_STEP_BUDGET,
    maxDepth: options.maxDepth ?? DEFAULT_MAX_DEPTH,
    onPosition: (pos: SourcePos) => {
      engine.pos = pos;
    },
    isTensor: (v: PyValue) => v instanceof Tensor || v instanceof NDArray,
    onTemporary: (temp: PyValue, result: PyValue) => {
      if (temp instanceof Tensor && result instanceof Tensor) releaseTemporary(temp, result);
      else if (temp instanceof NDArray) releaseArrayTemporary(temp, result);
    },
    onPrint: (text: string) => {
      options.onPrint?.(text);
      if (events.listening) events.emitAlways({ type: 'print', text: text.endsWith('\n') ? text.slice(0, -1) : text, pos: engine.pos });
    },
    onBind: (name: string, value: PyValue, pos: SourcePos) => {
      if (events.active && value instanceof Tensor) events.emit({ type: 'bind', name, tensor: value.id, pos });
    },
    onIteration: (loop: SourcePos, index: number, total?: number, target?: string, value?: PyValue) => {
      if (!events.listening) return;
      // The loop variable when it is a plain int (a range's): the tutorial's `t` as the program counts it.
      const binding = target !== undefined && typeof value === 'number' ? { name: target, value } : undefined;
      events.emitAlways({ type: 'iteration', loop, index, pos: loop, depth: loops.length - 1, ...(binding ? { binding } : {}) });
      const record = options.recordIteration;
      if (record && loops.length) {
        const top = loops[loops.length - 1];
        events.setMuted(top.outerMuted || !record(index, total, loops.length - 1));
      }
    },
    onLoopStart: () => {
      loops.push({ outerMuted: events.isMuted });
    },
    onLoopEnd: (loop: SourcePos) => {
      if (events.listening) events.emitAlways({ type: 'loop-end', loop, depth: loops.length - 1, pos: loop });
      const top = loops.pop();
      if (top) events.setMuted(top.outerMuted);
    },
  });
  for (const [name, type] of env.types) interp.rt.builtinTypes.set(name, type);
  // Loops being run, innermost last, with the muting in force around each.
  const loops: { outerMuted: boolean }[] = [];
  return interp;
}

export function runProgram(source: string, options: RunOptions = {}): RunResult {
  // A previous run that stopped inside `with torch.no_grad():` restored grad mode on its way out;
  // start from PyTorch's default regardless.
  setGradEnabled(true);
  engine.anomaly = false;
  resetSavedHooks();
  // Each run is a fresh Python process: torch.set_printoptions of an earlier run is gone.
  resetPrintOptions();
  engine.pos = undefined;
  const interp = createInterpreter(options);
  let error: PyError | undefined;
  try {
    interp.run(source);
  } catch (e) {
    error = e instanceof PyError ? e : interp.toPyError(e);
    // sys.exit() and sys.exit(0) end the program as a success, as the process would.
    if (error.type === 'SystemExit' && (error.message === '' || error.message === '0' || error.message === 'None')) error = undefined;
    else {
      engine.events.setMuted(false);
      if (engine.events.listening) {
        engine.events.emitAlways({ type: 'error', errorType: error.type, message: error.displayMessage, pos: error.pos });
      }
    }
  } finally {
    engine.events.setMuted(false);
    setGradEnabled(true);
    engine.anomaly = false;
    resetSavedHooks();
  }
  return {
    ok: error === undefined,
    error,
    globals: interp.globals,
    evaluate: (expr: string) => {
      // A view read from outside the program (tests, the golden cases) is brought up to date as a read inside it is.
      const v = interp.evaluate(expr);
      if (v instanceof Tensor && v.viewOf) refreshView(v);
      return v;
    },
    prints: interp.prints,
    output: interp.prints.join(''),
    interpreter: interp,
  };
}

export { PyError, formatError };
