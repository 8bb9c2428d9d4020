// The interpreter: compiles the AST once into JS closures, then runs them.
//
// Note: closure compilation rather than an AST walk. Each node becomes a function `(frame) => value`
// built once, so a loop body re-runs straight-line JS: names resolve at compile time to a global cell
// or a frame slot (no string-keyed map in the hot path), constants are pre-built, and statements
// return a status code (NORMAL/BREAK/CONTINUE/RETURN) instead of throwing for control flow.
// Errors carry the position of the innermost operation: every call/operator/attribute/subscript
// records its position in `this.pos` just before it runs, and an error without a position gets it.
import type { SourcePos } from '../events';
import type { Comprehension, Expr, FormattedValue, Params, Pattern, Pos, Stmt } from './ast';
import { installBuiltins, makeCollectionsNative, makeMathModule, stopIteration } from './builtins';
import { PyError, withSuggestion } from './errors';
import { parse, parseExpression } from './parser';
import { PyExceptionType, PyExceptionValue, Runtime, asciiRepr, typeError } from './runtime';
import { PyClass, PyInstance, PySuper, classOf, withClasses, type HostBase } from './classes';
import { makeRandomModule } from './pyrandom';
import { LIBRARY_LINE, PY_MODULES } from './pystdlib';
import { makeJsonModule, makeOsModule, makeSysModule, makeTimeModule } from './sysModules';
import { makeReModule } from './reModule';
import {
  ArrayIterator,
  JsIterator,
  Ellipsis,
  PyBuiltin,
  PyCallable,
  PyDict,
  PyFloat,
  PyIterator,
  PyList,
  PyModule,
  PyRange,
  PySet,
  PySlice,
  PyTuple,
  type BinOp,
  type CmpOp,
  type HostType,
  type HostTypeOf,
  type Kwargs,
  type PyValue,
} from './values';

const NORMAL = 0;
const BREAK = 1;
const CONTINUE = 2;
const RETURN = 3;
type Status = 0 | 1 | 2 | 3;


/** Operators whose tensor results are always new storage (see compileArith). */
const ARITH_OPS: ReadonlySet<string> = new Set(['+', '-', '*', '/', '**']);
/** Tensor methods whose result is always a new tensor of new storage (see compileTempMethod). */
const TEMP_METHODS: ReadonlySet<string> = new Set(['pow', 'sum', 'mean', 'exp', 'log', 'sqrt', 'sin', 'cos', 'tanh', 'sigmoid', 'relu', 'abs', 'neg']);
export const DEFAULT_STEP_BUDGET = 50_000_000;
export const DEFAULT_MAX_DEPTH = 300;

type Eval = (f: Frame) => PyValue;
type Exec = (f: Frame) => Status;
type Store = (f: Frame, v: PyValue) => void;
/** A statement of a generator's body: yields values, receives what send() passed, returns its status. */
type GenExec = (f: Frame) => Generator<PyValue, Status, PyValue | undefined>;
/** An expression of a generator's body that holds a yield: yields values, returns its value. */
type GenEval = (f: Frame) => Generator<PyValue, PyValue, PyValue | undefined>;

/** A variable of the program's global scope; `value` is undefined while unbound. */
export interface Cell {
  value: PyValue | undefined;
}

export class Frame {
  ret: PyValue = null;
  constructor(
    readonly slots: (PyValue | undefined)[],
    readonly parent: Frame | null,
  ) {}
}

export interface InterpreterOptions {
  /** Importable modules by dotted name: 'torch', 'torch.nn.functional', 'safetensors.torch' ... ('math' is built in). */
  modules?: Record<string, PyValue> | Map<string, PyValue>;
  hostTypeOf?: HostTypeOf;
  /** Receives what print writes (the text including `end`, '\n' by default). */
  onPrint?: (text: string) => void;
  /** Called with the position of each call/operator/attribute/subscript just before it runs. */
  onPosition?: (pos: SourcePos) => void;
  /**
   * Temporaries: an arithmetic operator's result that goes straight into another arithmetic operator, both
   * on host tensors and numbers only, is reachable from nowhere else. `isTensor` tells the host's tensors;
   * `onTemporary(temp, result)` is called once `result` has consumed `temp`, so the host may reuse its memory.
   */
  isTensor?: (v: PyValue) => boolean;
  onTemporary?: (temp: PyValue, result: PyValue) => void;
  /** Called after a value is assigned to a plain name (`x = ...`, `for x in`, `with ... as x`). */
  onBind?: (name: string, value: PyValue, pos: SourcePos) => void;
  /** Called at the start of each iteration of a for/while loop. */
  /**
   * Each iteration's start; `total` when the loop is over a range (its length is known); `target` and
   * `value` when a for loop binds one plain name (`for t in range(2000)`: 't' and the int).
   */
  onIteration?: (loop: SourcePos, index: number, total?: number, target?: string, value?: PyValue) => void;
  /** A loop begins / ends (also when it ends by an error). */
  onLoopStart?: (loop: SourcePos) => void;
  onLoopEnd?: (loop: SourcePos) => void;
  /** Most statements (and loop iterations, calls, comprehension items) a run may take. */
  stepBudget?: number;
  /** Deepest nesting of Python function calls (RecursionError beyond). */
  maxDepth?: number;
  /** Host classes a program's class may derive from (nn.Module), keyed by the class object programs see. */
  hostBases?: Map<PyValue, HostBase>;
}

/** A function defined by the program (def or lambda). */
export class PyFunction extends PyCallable {
  constructor(
    readonly name: string,
    readonly interp: Interpreter,
    readonly code: FunctionCode,
    readonly defaults: PyValue[],
    readonly kwDefaults: (PyValue | undefined)[],
    readonly closure: Frame,
  ) {
    super();
  }
  override get typeName(): string {
    return 'function';
  }
  call(args: PyValue[], kwargs: Kwargs): PyValue {
    return this.interp.callFunction(this, args, kwargs);
  }
  /** Attributes a program gives the function (`fn.calls = 0`, what functools.wraps copies). */
  private attrs: Map<string, PyValue> | null = null;
  override pyGetattr(name: string): PyValue | undefined {
    const own = this.attrs?.get(name);
    if (own !== undefined) return own;
    switch (name) {
      case '__qualname__':
        return this.code.qualname;
      case '__doc__':
        return this.code.doc;
      case '__module__':
        return '__main__';
      case '__defaults__':
        return this.defaults.length > 0 ? new PyTuple(this.defaults) : null;
      case '__dict__': {
        const d = new PyDict();
        for (const [k, v] of this.attrs ?? []) if (!k.startsWith('__')) d.set(k, v);
        return d;
      }
    }
    return undefined;
  }
  override pySetattr(name: string, value: PyValue): boolean {
    (this.attrs ??= new Map()).set(name, value);
    return true;
  }
}

interface FunctionCode {
  name: string;
  /** As CPython 3.10+ names the function in argument errors: `Net.forward() takes 1 positional argument ...`. */
  qualname: string;
  nslots: number;
  /** Defined by a Python-written library module (see loadPyModule). */
  library: boolean;
  /** The docstring (a string literal as the body's first statement), else null. */
  doc: string | null;
  /** Slots of the positional parameters, then of the keyword-only ones. */
  params: string[];
  kwonly: string[];
  /** How many of `params` are positional-only (before a `/`). */
  posonly: number;
  paramSlots: number[];
  kwonlySlots: number[];
  varargSlot: number;
  kwargSlot: number;
  body: Exec;
  /** A generator function's body (it holds a yield): calling the function makes a generator over it. */
  gen: GenExec | null;
}

/** Compile-time scope: which names live in frame slots. */
class Scope {
  readonly slots = new Map<string, number>();
  readonly declaredGlobal = new Set<string>();
  /** The __qualname__ of the function or class this scope is the body of ('' for the module). */
  qualname = '';
  constructor(
    readonly kind: 'module' | 'function' | 'class',
    readonly parent: Scope | null,
  ) {}
  /** The __qualname__ of a function or class defined in this scope: `Net.forward`, `f.<locals>.g`. */
  qualify(name: string): string {
    if (this.kind === 'module') return name;
    return this.kind === 'class' ? `${this.qualname}.${name}` : `${this.qualname}.<locals>.${name}`;
  }
  add(name: string): number {
    let i = this.slots.get(name);
    if (i === undefined) this.slots.set(name, (i = this.slots.size));
    return i;
  }
}

type NameRef = { kind: 'global'; cell: Cell } | { kind: 'local'; depth: number; slot: number };

export class Interpreter {
  readonly rt: Runtime;
  readonly builtins: Map<string, PyValue>;
  private cells = new Map<string, Cell>();
  private readonly modules = new Map<string, PyValue>();
  private readonly exceptions: Map<string, PyExceptionType>;
  private readonly onPrint?: (text: string) => void;
  private onPosition?: (pos: SourcePos) => void;
  private readonly isTensor?: (v: PyValue) => boolean;
  private readonly onTemporary?: (temp: PyValue, result: PyValue) => void;
  /** The result of the last arithmetic operator on tensors and numbers only (see onTemporary). */
  private lastTemp: PyValue = null;
  private onBind?: (name: string, value: PyValue, pos: SourcePos) => void;
  private onIteration?: (loop: SourcePos, index: number, total?: number, target?: string, value?: PyValue) => void;
  private onLoopStart?: (loop: SourcePos) => void;
  private onLoopEnd?: (loop: SourcePos) => void;
  private readonly moduleFrame = new Frame([], null);
  /** The position of the operation being evaluated (the engine stamps events with it). */
  pos: SourcePos | undefined = undefined;
  steps = 0;
  stepBudget: number;
  maxDepth: number;
  private depth = 0;
  /** Exceptions being handled (for a bare `raise`). */
  private readonly handling: PyError[] = [];
  private readonly relocated = new WeakSet<PyError>();
  /** Everything print wrote, in order. */
  readonly prints: string[] = [];

  /** The bindings' hostTypeOf, without the layer for program classes. */
  private readonly hostTypeOfInner: HostTypeOf;
  private readonly hostBases: Map<PyValue, HostBase>;

  constructor(options: InterpreterOptions = {}) {
    this.hostTypeOfInner = options.hostTypeOf ?? (() => undefined);
    this.hostBases = options.hostBases ?? new Map();
    this.rt = new Runtime(withClasses(() => this.rt, this.hostTypeOfInner));
    this.onPrint = options.onPrint;
    this.onPosition = options.onPosition;
    this.onBind = options.onBind;
    this.onIteration = options.onIteration;
    this.isTensor = options.isTensor;
    this.onTemporary = options.onTemporary;
    this.onLoopStart = options.onLoopStart;
    this.onLoopEnd = options.onLoopEnd;
    this.stepBudget = options.stepBudget ?? DEFAULT_STEP_BUDGET;
    this.maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH;
    this.builtins = installBuiltins({
      rt: this.rt,
      print: (text) => {
        this.prints.push(text);
        this.onPrint?.(text);
      },
    });
    // The builtins' own exception classes (the runtime's too), so `exc_type is ZeroDivisionError` holds.
    this.exceptions = new Map();
    for (const [name, t] of this.builtins) if (t instanceof PyExceptionType) this.exceptions.set(name, t);
    // Raised by torch.autograd.gradcheck: a RuntimeError, not a builtin name.
    this.exceptions.set('GradcheckError', new PyExceptionType('GradcheckError', this.exceptions.get('RuntimeError')!));
    this.builtins.set(
      'super',
      new PyBuiltin('super', (args) => {
        if (args.length === 0) throw new PyError('RuntimeError', 'super(): no arguments');
        const [cls, self] = args;
        if (!(cls instanceof PyClass)) throw typeError('super() argument 1 must be a class defined in the program');
        return new PySuper(cls, self ?? null, this.rt, this.hostTypeOfInner);
      }),
    );
    this.rt.methods.generator.set('close', (g: PyIterator, args) => {
      if (args.length !== 0) throw typeError(`generator.close() takes no arguments (${args.length} given)`);
      if (g instanceof PyGenerator) g.close(this.exceptions.get('GeneratorExit')!);
      else if (g instanceof JsIterator) g.close();
      return null;
    });
    this.rt.methods.generator.set('throw', (g: PyIterator, args) => {
      if (!(g instanceof PyGenerator)) throw typeError('throw() is not supported on this generator in this playground');
      let v = args[0];
      if (v instanceof PyExceptionType || (v instanceof PyClass && v.exceptionBase)) v = this.rt.call(v, args.slice(1, 2), null);
      const cls = classOf(v);
      if (!(v instanceof PyExceptionValue) && !cls?.exceptionBase) throw typeError('exceptions must be classes or instances deriving from BaseException, not ' + this.rt.typeName(v));
      const err = new PyError(v instanceof PyExceptionValue ? v.type.name : cls!.name, this.rt.str(v));
      err.value = v;
      const y = g.throwIn(err);
      if (y === undefined) throw stopIteration(this.builtins, g.stopValue());
      return y;
    });
    this.rt.methods.generator.set('send', (g: PyGenerator, args) => {
      if (args.length !== 1) throw typeError(`generator.send() takes exactly one argument (${args.length} given)`);
      const v = g.send(args[0]);
      if (v === undefined) throw stopIteration(this.builtins, g.stopValue());
      return v;
    });
    // `if __name__ == '__main__':` in pasted scripts: the program is the main module.
    this.builtins.set('__name__', '__main__');
    this.modules.set('math', makeMathModule(this.rt));
    this.modules.set('random', makeRandomModule(this.rt));
    this.modules.set('_collections', makeCollectionsNative(this.rt));
    this.modules.set('time', makeTimeModule());
    this.modules.set('re', makeReModule(this.rt));
    this.modules.set('json', makeJsonModule(this.rt));
    this.modules.set(
      'sys',
      makeSysModule((text) => {
        this.prints.push(text);
        this.onPrint?.(text);
      }),
    );
    const { os, path } = makeOsModule();
    this.modules.set('os', os);
    this.modules.set('os.path', path);
    const mods = options.modules ?? {};
    for (const [k, v] of mods instanceof Map ? mods : Object.entries(mods)) this.modules.set(k, v);
  }

  // ---- public API ----------------------------------------------------------------------------

  /** The program's global variables (bound ones only). */
  get globals(): Map<string, PyValue> {
    const m = new Map<string, PyValue>();
    for (const [k, c] of this.cells) if (c.value !== undefined) m.set(k, c.value);
    return m;
  }

  getGlobal(name: string): PyValue | undefined {
    return this.cells.get(name)?.value;
  }

  setGlobal(name: string, value: PyValue): void {
    this.cell(name).value = value;
  }

  /** Runs a program; throws PyError (with line/col) on failure. Globals persist across calls. */
  run(source: string): void {
    try {
      const module = parse(source);
      const body = this.compileBlock(module.body, new Scope('module', null));
      this.depth = 0;
      body(this.moduleFrame);
    } catch (e) {
      throw this.toPyError(e);
    }
  }

  /** Evaluates an expression in the program's global scope (after run, also after a failed run). */
  evaluate(source: string): PyValue {
    try {
      const expr = parseExpression(source.trim());
      const ev = this.compileExpr(expr, new Scope('module', null));
      this.depth = 0;
      return ev(this.moduleFrame);
    } catch (e) {
      throw this.toPyError(e);
    }
  }

  /** Any thrown value as a PyError with a position (the innermost operation's when it has none). */
  toPyError(e: unknown): PyError {
    let err: PyError;
    if (e instanceof PyError) err = e;
    else if (e instanceof RangeError && /call stack/i.test(e.message)) {
      err = new PyError('RecursionError', 'maximum recursion depth exceeded');
    } else if (e instanceof RangeError && /invalid (typed )?array length|array buffer allocation failed|invalid string length/i.test(e.message)) {
      // JavaScript refused the memory (a list, a string or an index table too large): Python's MemoryError.
      err = new PyError('MemoryError', '');
    } else if (e instanceof Error && typeof (e as { pyType?: unknown }).pyType === 'string') {
      // The engine's errors (EngineError) carry the Python type they surface as.
      err = new PyError((e as unknown as { pyType: string }).pyType, e.message);
    } else if (e instanceof Error) {
      err = new PyError('RuntimeError', e.message);
    } else {
      err = new PyError('RuntimeError', String(e));
    }
    return err.at(this.pos);
  }

  // ---- helpers -------------------------------------------------------------------------------

  private cell(name: string): Cell {
    let c = this.cells.get(name);
    if (c === undefined) this.cells.set(name, (c = { value: undefined }));
    return c;
  }

  private resolve(name: string, scope: Scope): NameRef {
    if (scope.kind === 'module' || scope.declaredGlobal.has(name)) return { kind: 'global', cell: this.cell(name) };
    let depth = 0;
    for (let s: Scope | null = scope; s !== null && s.kind !== 'module'; s = s.parent, depth++) {
      // A class body's names are not visible to the functions defined in it (Python's rule).
      if (s.kind === 'class' && s !== scope) continue;
      const slot = s.slots.get(name);
      if (slot !== undefined) return { kind: 'local', depth, slot };
      if (s.declaredGlobal.has(name)) break;
    }
    return { kind: 'global', cell: this.cell(name) };
  }

  private mark(pos: Pos): void {
    this.pos = pos;
    if (this.onPosition !== undefined) this.onPosition(pos);
  }

  private budgetExceeded(pos: Pos): never {
    const err = new PyError(
      'RuntimeError',
      `the program ran too long (more than ${this.stepBudget.toLocaleString('en-US')} steps); is there a runaway loop?`,
      pos,
    );
    err.fatal = true;
    throw err;
  }

  private exceptionType(name: string): PyExceptionType {
    let t = this.exceptions.get(name);
    if (t === undefined) {
      t = new PyExceptionType(name, this.exceptions.get('Exception')!);
      this.exceptions.set(name, t);
    }
    return t;
  }

  // ---- function calls ------------------------------------------------------------------------

  callFunction(fn: PyFunction, args: PyValue[], kwargs: Kwargs): PyValue {
    const code = fn.code;
    const slots: (PyValue | undefined)[] = new Array(code.nslots);
    const np = code.paramSlots.length;
    if (args.length > np && code.varargSlot < 0) {
      const required = np - fn.defaults.length;
      const takes = required === np ? `${np}` : `from ${required} to ${np}`;
      throw typeError(
        `${code.qualname}() takes ${takes} positional argument${np === 1 && required === np ? '' : 's'} but ${args.length} ${args.length === 1 ? 'was' : 'were'} given`,
      );
    }
    const n = Math.min(args.length, np);
    for (let i = 0; i < n; i++) slots[code.paramSlots[i]] = args[i];
    if (code.varargSlot >= 0) slots[code.varargSlot] = new PyTuple(args.length > np ? args.slice(np) : []);
    let extra: PyDict | null = code.kwargSlot >= 0 ? new PyDict() : null;
    if (kwargs !== null) {
      let posonlyPassed: string[] | null = null;
      for (const [k, v] of kwargs) {
        let i = code.params.indexOf(k);
        let slot: number;
        if (i >= 0 && i < code.posonly) {
          // A positional-only parameter's name: **kwargs takes it, else it is an error.
          if (extra !== null) extra.set(k, v);
          else (posonlyPassed ??= []).push(k);
          continue;
        }
        if (i >= 0) slot = code.paramSlots[i];
        else if ((i = code.kwonly.indexOf(k)) >= 0) slot = code.kwonlySlots[i];
        else if (extra !== null) {
          extra.set(k, v);
          continue;
        } else throw typeError(`${code.qualname}() got an unexpected keyword argument '${k}'`);
        if (slots[slot] !== undefined) throw typeError(`${code.qualname}() got multiple values for argument '${k}'`);
        slots[slot] = v;
      }
      if (posonlyPassed !== null) {
        throw typeError(`${code.qualname}() got some positional-only arguments passed as keyword arguments: '${posonlyPassed.join(', ')}'`);
      }
    }
    if (extra !== null) slots[code.kwargSlot] = extra;
    const missing: string[] = [];
    const firstDefault = np - fn.defaults.length;
    for (let i = n; i < np; i++) {
      const s = code.paramSlots[i];
      if (slots[s] !== undefined) continue;
      if (i >= firstDefault) slots[s] = fn.defaults[i - firstDefault];
      else missing.push(code.params[i]);
    }
    if (missing.length > 0) throw typeError(`${code.qualname}() missing ${missing.length} required positional argument${missing.length > 1 ? 's' : ''}: ${quoteList(missing)}`);
    const missingKw: string[] = [];
    for (let i = 0; i < code.kwonly.length; i++) {
      const s = code.kwonlySlots[i];
      if (slots[s] !== undefined) continue;
      const d = fn.kwDefaults[i];
      if (d !== undefined) slots[s] = d;
      else missingKw.push(code.kwonly[i]);
    }
    if (missingKw.length > 0) {
      throw typeError(`${code.qualname}() missing ${missingKw.length} required keyword-only argument${missingKw.length > 1 ? 's' : ''}: ${quoteList(missingKw)}`);
    }
    if (++this.depth > this.maxDepth) {
      this.depth--;
      throw new PyError('RecursionError', 'maximum recursion depth exceeded');
    }
    if (++this.steps > this.stepBudget) this.budgetExceeded(this.pos ?? { line: 1, col: 1 });
    const frame = new Frame(slots, fn.closure);
    if (code.gen !== null) {
      this.depth--;
      return new PyGenerator(code.name, code.qualname, this, code.gen(frame), frame, code.library);
    }
    if (code.library) return this.callLibrary(code, frame);
    try {
      const st = code.body(frame);
      return st === RETURN ? frame.ret : null;
    } finally {
      this.depth--;
    }
  }

  /** A function of a Python-written module: an error raised on its lines is reported at the program's call. */
  private callLibrary(code: FunctionCode, frame: Frame): PyValue {
    const callPos = this.pos;
    try {
      const st = code.body(frame);
      return st === RETURN ? frame.ret : null;
    } catch (e) {
      throw this.atCaller(e, callPos);
    } finally {
      this.depth--;
    }
  }

  /** An error whose position is on a library module's line, moved to the program's position `callPos`. */
  atCaller(e: unknown, callPos: SourcePos | undefined): unknown {
    if (e instanceof PyError && (e.line === undefined || e.line >= LIBRARY_LINE) && callPos !== undefined && callPos.line < LIBRARY_LINE) {
      e.setPos(callPos);
    }
    return e;
  }

  // ---- statements ----------------------------------------------------------------------------

  private compileBlock(stmts: Stmt[], scope: Scope): Exec {
    const compiled = stmts.map((s) => this.compileStmt(s, scope));
    const positions = stmts.map((s) => s.pos);
    const n = compiled.length;
    if (n === 0) return () => NORMAL;
    if (n === 1) {
      const s0 = compiled[0];
      const p0 = positions[0];
      return (f) => {
        if (++this.steps > this.stepBudget) this.budgetExceeded(p0);
        return s0(f);
      };
    }
    return (f) => {
      for (let i = 0; i < n; i++) {
        if (++this.steps > this.stepBudget) this.budgetExceeded(positions[i]);
        const st = compiled[i](f);
        if (st !== NORMAL) return st;
      }
      return NORMAL;
    };
  }

  private compileStmt(s: Stmt, scope: Scope): Exec {
    switch (s.kind) {
      case 'ExprStmt': {
        const ev = this.compileExpr(s.value, scope);
        return (f) => {
          ev(f);
          return NORMAL;
        };
      }
      case 'Assign': {
        const value = this.compileExpr(s.value, scope);
        if (s.targets.length === 1) {
          const store = this.compileStore(s.targets[0], scope);
          return (f) => {
            store(f, value(f));
            return NORMAL;
          };
        }
        const stores = s.targets.map((t) => this.compileStore(t, scope));
        return (f) => {
          const v = value(f);
          for (const st of stores) st(f, v);
          return NORMAL;
        };
      }
      case 'AnnAssign': {
        // In a class body, `name: T` records T in the class's __annotations__ (what dataclasses read).
        const annotations = scope.kind === 'class' && s.target.kind === 'Name' && s.annotation ? scope.slots.get('__annotations__') : undefined;
        const annotation = annotations !== undefined ? this.compileExpr(s.annotation!, scope) : null;
        const name = s.target.kind === 'Name' ? s.target.id : '';
        const record = (f: Frame): void => {
          if (annotation === null) return;
          const d = f.slots[annotations!];
          if (d instanceof PyDict) d.set(name, annotation(f));
        };
        if (s.value === null) {
          return (f) => {
            record(f);
            return NORMAL;
          };
        }
        const value = this.compileExpr(s.value, scope);
        const store = this.compileStore(s.target, scope);
        return (f) => {
          record(f);
          store(f, value(f));
          return NORMAL;
        };
      }
      case 'AugAssign':
        return this.compileAugAssign(s, scope);
      case 'If': {
        const test = this.compileTest(s.test, scope);
        const body = this.compileBlock(s.body, scope);
        if (s.orelse.length === 0) return (f) => (test(f) ? body(f) : NORMAL);
        const orelse = this.compileBlock(s.orelse, scope);
        return (f) => (test(f) ? body(f) : orelse(f));
      }
      case 'While':
        return this.compileWhile(s, scope);
      case 'For':
        return this.compileFor(s, scope);
      case 'With':
        return this.compileWith(s, scope);
      case 'FunctionDef':
        return this.compileFunctionDef(s, scope);
      case 'ClassDef':
        return this.compileClassDef(s, scope);
      case 'Return': {
        const value = s.value ? this.compileExpr(s.value, scope) : null;
        if (scope.kind === 'module') throw new PyError('SyntaxError', "'return' outside function", s.pos);
        return (f) => {
          f.ret = value ? value(f) : null;
          return RETURN;
        };
      }
      case 'Pass':
        return () => NORMAL;
      case 'Break':
        return () => BREAK;
      case 'Continue':
        return () => CONTINUE;
      case 'Import':
        return this.compileImport(s, scope);
      case 'ImportFrom':
        return this.compileImportFrom(s, scope);
      case 'Delete': {
        const dels = s.targets.map((t) => this.compileDelete(t, scope));
        return (f) => {
          for (const d of dels) d(f);
          return NORMAL;
        };
      }
      case 'Assert': {
        const test = this.compileTest(s.test, scope);
        const msg = s.msg ? this.compileExpr(s.msg, scope) : null;
        const pos = s.pos;
        return (f) => {
          if (!test(f)) {
            const text = msg ? this.rt.str(msg(f)) : '';
            throw new PyError('AssertionError', text, pos);
          }
          return NORMAL;
        };
      }
      case 'Global':
      case 'Nonlocal':
        return () => NORMAL; // resolved at compile time (see collectLocals, compileFunction)
      case 'Raise':
        return this.compileRaise(s, scope);
      case 'Try':
        return this.compileTry(s, scope);
      case 'Match': {
        const { subject, cases } = this.compileMatchParts(s, scope, (b) => this.compileBlock(b, scope));
        return (f) => {
          const v = subject(f);
          for (const c of cases) if (c.matches(f, v) && (c.guard === null || c.guard(f))) return c.body(f);
          return NORMAL;
        };
      }
    }
  }

  /** A match statement's subject and cases, each case a matcher (which binds its captures), a guard and a body. */
  private compileMatchParts<B>(s: Extract<Stmt, { kind: 'Match' }>, scope: Scope, block: (b: Stmt[]) => B) {
    return {
      subject: this.compileExpr(s.subject, scope),
      cases: s.cases.map((c) => ({
        matches: this.compilePattern(c.pattern, scope),
        guard: c.guard ? this.compileTest(c.guard, scope) : null,
        body: block(c.body),
      })),
    };
  }

  /** A case pattern as a test of the subject that binds the pattern's names as it goes (PEP 634). */
  private compilePattern(p: Pattern, scope: Scope): (f: Frame, v: PyValue) => boolean {
    const rt = this.rt;
    const bind = (name: string | null, pos: Pos): Store | null => (name === null ? null : this.compileStore({ kind: 'Name', id: name, pos }, scope));
    switch (p.kind) {
      case 'MatchValue': {
        const value = this.compileExpr(p.value, scope);
        if (p.identity) return (f, v) => v === value(f);
        return (f, v) => rt.eq(v, value(f));
      }
      case 'MatchCapture': {
        const store = bind(p.name, p.pos);
        return (f, v) => {
          store?.(f, v);
          return true;
        };
      }
      case 'MatchStar':
        throw new PyError('SyntaxError', "can't use starred expression here", p.pos);
      case 'MatchAs': {
        const inner = this.compilePattern(p.pattern, scope);
        const store = bind(p.name, p.pos);
        return (f, v) => {
          if (!inner(f, v)) return false;
          store!(f, v);
          return true;
        };
      }
      case 'MatchOr': {
        const alts = p.patterns.map((q) => this.compilePattern(q, scope));
        return (f, v) => alts.some((m) => m(f, v));
      }
      case 'MatchSequence': {
        const starAt = p.patterns.findIndex((q) => q.kind === 'MatchStar');
        const star = starAt >= 0 ? bind((p.patterns[starAt] as Extract<Pattern, { kind: 'MatchStar' }>).name, p.pos) : null;
        const subs = p.patterns.map((q) => (q.kind === 'MatchStar' ? null : this.compilePattern(q, scope)));
        const n = subs.length;
        return (f, v) => {
          // Sequences: list, tuple, range (not str, bytes or dict).
          let items: readonly PyValue[];
          if (v instanceof PyList || v instanceof PyTuple) items = v.items;
          else if (v instanceof PyRange) items = rt.toArray(v);
          else return false;
          if (starAt < 0 ? items.length !== n : items.length < n - 1) return false;
          if (starAt < 0) {
            for (let i = 0; i < n; i++) if (!subs[i]!(f, items[i])) return false;
            return true;
          }
          const after = n - 1 - starAt;
          for (let i = 0; i < starAt; i++) if (!subs[i]!(f, items[i])) return false;
          for (let i = 0; i < after; i++) if (!subs[starAt + 1 + i]!(f, items[items.length - after + i])) return false;
          star?.(f, new PyList(items.slice(starAt, items.length - after)));
          return true;
        };
      }
      case 'MatchMapping': {
        const keys = p.keys.map((k) => this.compileExpr(k, scope));
        const subs = p.patterns.map((q) => this.compilePattern(q, scope));
        const rest = bind(p.rest, p.pos);
        return (f, v) => {
          if (!(v instanceof PyDict)) return false;
          const seen: PyValue[] = [];
          for (let i = 0; i < keys.length; i++) {
            const k = keys[i](f);
            const x = v.get(k);
            if (x === undefined || !subs[i](f, x)) return false;
            seen.push(k);
          }
          if (rest) {
            const d = new PyDict();
            for (const [k, x] of v.entries()) if (!seen.some((s) => rt.eq(s, k))) d.set(k, x);
            rest(f, d);
          }
          return true;
        };
      }
      case 'MatchClass': {
        const cls = this.compileExpr(p.cls, scope);
        const subs = p.patterns.map((q) => this.compilePattern(q, scope));
        const kwds = p.kwdPatterns.map((q) => this.compilePattern(q, scope));
        const isinstance = this.builtins.get('isinstance')!;
        const pos = p.pos;
        // int(x), str(s) ...: one positional sub-pattern matches the subject itself.
        const selfMatching = new Set(['bool', 'bytearray', 'bytes', 'dict', 'float', 'frozenset', 'int', 'list', 'set', 'str', 'tuple']);
        return (f, v) => {
          const c = cls(f);
          this.pos = pos;
          if (!rt.isCallable(c) || !(c instanceof PyClass || c instanceof PyCallable)) throw new PyError('TypeError', 'called match pattern must be a class', pos);
          if (!rt.truthy(rt.call(isinstance, [v, c], null))) return false;
          if (subs.length > 0) {
            const name = (c as PyCallable).name;
            let attrs: string[];
            if (!(c instanceof PyClass) && selfMatching.has(name)) {
              if (subs.length > 1) throw new PyError('TypeError', `${name}() accepts 1 positional sub-pattern (${subs.length} given)`, pos);
              if (!subs[0](f, v)) return false;
              attrs = [];
            } else {
              const ma = c instanceof PyClass ? c.lookup('__match_args__') : undefined;
              attrs = ma instanceof PyTuple ? ma.items.map((x) => String(x)) : [];
              if (subs.length > attrs.length) {
                throw new PyError('TypeError', `${name}() accepts ${attrs.length} positional sub-pattern${attrs.length === 1 ? '' : 's'} (${subs.length} given)`, pos);
              }
              for (let i = 0; i < subs.length; i++) {
                const x = rt.getattrOrUndefined(v, attrs[i]);
                if (x === undefined || !subs[i](f, x)) return false;
              }
            }
          }
          for (let i = 0; i < kwds.length; i++) {
            const x = rt.getattrOrUndefined(v, p.kwdAttrs[i]);
            if (x === undefined || !kwds[i](f, x)) return false;
          }
          return true;
        };
      }
    }
  }

  // ---- generators ----------------------------------------------------------------------------
  // A function whose body holds a yield runs as a JavaScript generator: statements without a yield keep
  // their compiled closures, the compound statements around a yield get generator versions here. Loops in a
  // generator's body report no iterations (the loop that consumes the generator does).

  /** Resumes a generator's body one step, as a call of the function would run (depth, the recursion limit). */
  resumeGenerator(body: Generator<PyValue, Status, PyValue | undefined>, sent: PyValue, library = false): IteratorResult<PyValue, Status> {
    if (++this.depth > this.maxDepth) {
      this.depth--;
      throw new PyError('RecursionError', 'maximum recursion depth exceeded');
    }
    const callPos = this.pos;
    try {
      return body.next(sent);
    } catch (e) {
      throw library ? this.atCaller(e, callPos) : e;
    } finally {
      this.depth--;
    }
  }

  private compileGenBlock(stmts: Stmt[], scope: Scope): GenExec {
    const parts = stmts.map((s) => (hasYield([s]) ? { exec: null, gen: this.compileGenStmt(s, scope) } : { exec: this.compileStmt(s, scope), gen: null }));
    const positions = stmts.map((s) => s.pos);
    const self = this;
    return function* (f) {
      for (let i = 0; i < parts.length; i++) {
        if (++self.steps > self.stepBudget) self.budgetExceeded(positions[i]);
        const p = parts[i];
        const st = p.exec !== null ? p.exec(f) : yield* p.gen!(f);
        if (st !== NORMAL) return st;
      }
      return NORMAL;
    };
  }

  /** A statement that holds a yield (see hasYield for where one may be). */
  private compileGenStmt(s: Stmt, scope: Scope): GenExec {
    const self = this;
    const rt = this.rt;
    switch (s.kind) {
      case 'ExprStmt': {
        const y = this.compileGenExpr(s.value, scope);
        return function* (f) {
          yield* y(f);
          return NORMAL;
        };
      }
      case 'Assign': {
        const y = this.compileGenExpr(s.value, scope);
        const stores = s.targets.map((t) => this.compileStore(t, scope));
        return function* (f) {
          const v = yield* y(f);
          for (const st of stores) st(f, v);
          return NORMAL;
        };
      }
      case 'AnnAssign':
      case 'AugAssign':
      case 'Return':
      case 'Assert':
      case 'Raise':
        return this.compileGenSimpleStmt(s, scope);
      case 'If': {
        const test = this.compileGenExpr(s.test, scope);
        const body = this.compileGenBlock(s.body, scope);
        const orelse = this.compileGenBlock(s.orelse, scope);
        return function* (f) {
          return rt.truthy(yield* test(f)) ? yield* body(f) : yield* orelse(f);
        };
      }
      case 'While': {
        const test = this.compileGenExpr(s.test, scope);
        const body = this.compileGenBlock(s.body, scope);
        const orelse = this.compileGenBlock(s.orelse, scope);
        const pos = s.pos;
        return function* (f) {
          while (rt.truthy(yield* test(f))) {
            if (++self.steps > self.stepBudget) self.budgetExceeded(pos);
            const st = yield* body(f);
            if (st === BREAK) return NORMAL;
            if (st === RETURN) return st;
          }
          return yield* orelse(f);
        };
      }
      case 'For': {
        const iter = exprHasYield(s.iter) ? this.compileGenExpr(s.iter, scope) : null;
        const plainIter = iter === null ? this.compileIterable(s.iter, scope) : null;
        const store = this.compileStore(s.target, scope);
        const body = this.compileGenBlock(s.body, scope);
        const orelse = this.compileGenBlock(s.orelse, scope);
        const pos = s.pos;
        const iterPos = s.iter.pos;
        return function* (f) {
          const iterable = iter !== null ? yield* iter(f) : plainIter!(f);
          self.pos = iterPos;
          const it = rt.iter(iterable);
          for (let x = it.next(); x !== undefined; x = it.next()) {
            store(f, x);
            if (++self.steps > self.stepBudget) self.budgetExceeded(pos);
            const st = yield* body(f);
            if (st === BREAK) return NORMAL;
            if (st === RETURN) return st;
          }
          return yield* orelse(f);
        };
      }
      case 'With': {
        if (s.items.some((it) => exprHasYield(it.expr))) throw new PyError('SyntaxError', "'yield' in a with statement's header is not supported in this playground", s.pos);
        let body = this.compileGenBlock(s.body, scope);
        for (let k = s.items.length - 1; k >= 0; k--) body = this.compileGenWithItem(s.items[k], body, scope);
        return body;
      }
      case 'Try':
        return this.compileGenTry(s, scope);
      case 'Match': {
        const { subject, cases } = this.compileMatchParts(s, scope, (b) => this.compileGenBlock(b, scope));
        return function* (f) {
          const v = subject(f);
          for (const c of cases) if (c.matches(f, v) && (c.guard === null || c.guard(f))) return yield* c.body(f);
          return NORMAL;
        };
      }
      default:
        throw new PyError('SyntaxError', "'yield' is not supported in this statement in this playground", s.pos);
    }
  }

  /**
   * A simple statement with yields in its expressions (`return (yield)`, `total += yield`): each expression
   * that holds one is evaluated first, into a hidden local, then the statement runs as compiled, reading it.
   */
  private compileGenSimpleStmt(s: Extract<Stmt, { kind: 'AnnAssign' | 'AugAssign' | 'Return' | 'Assert' | 'Raise' }>, scope: Scope): GenExec {
    const steps: { slot: number; ev: GenEval }[] = [];
    const hoist = (e: Expr): Expr => {
      if (!exprHasYield(e)) return e;
      const { name, slot } = this.hiddenLocal(scope, e.pos);
      steps.push({ slot, ev: this.compileGenExpr(e, scope) });
      return name;
    };
    let stmt: Stmt;
    switch (s.kind) {
      case 'AnnAssign':
        stmt = { ...s, value: s.value && hoist(s.value) };
        break;
      case 'AugAssign':
        stmt = { ...s, value: hoist(s.value) };
        break;
      case 'Return':
        stmt = { ...s, value: s.value && hoist(s.value) };
        break;
      case 'Assert':
        stmt = { ...s, test: hoist(s.test) };
        break;
      case 'Raise':
        stmt = { ...s, exc: s.exc && hoist(s.exc) };
        break;
    }
    const exec = this.compileStmt(stmt, scope);
    return function* (f) {
      for (const st of steps) f.slots[st.slot] = yield* st.ev(f);
      return exec(f);
    };
  }

  /** A local slot no program name can reach (for what an expression's yields computed). */
  private hiddenLocal(scope: Scope, pos: Pos): { name: Expr; slot: number } {
    const id = `(yield ${scope.slots.size})`;
    return { name: { kind: 'Name', id, pos }, slot: scope.add(id) };
  }

  /**
   * An expression holding a yield, evaluated as a JavaScript generator. `yield v` gives v out and evaluates to
   * what send() passed (None for next()); `yield from it` yields its items. Any other expression evaluates its
   * operands left to right up to the last one holding a yield, each into a hidden local, then runs as compiled
   * with those operands read back (so `print((yield))`, `(yield x) + 1`, `lst.append((yield))`).
   */
  private compileGenExpr(e: Expr, scope: Scope): GenEval {
    if (!exprHasYield(e)) {
      const ev = this.compileExpr(e, scope);
      // eslint-disable-next-line require-yield
      return function* (f) {
        return ev(f);
      };
    }
    const rt = this.rt;
    const self = this;
    switch (e.kind) {
      case 'Yield': {
        const value = e.value ? this.compileGenExpr(e.value, scope) : null;
        return function* (f) {
          const v = value ? yield* value(f) : null;
          const sent = yield v;
          return sent ?? null;
        };
      }
      case 'YieldFrom': {
        const it = this.compileGenExpr(e.value, scope);
        const pos = e.pos;
        return function* (f) {
          const v = yield* it(f);
          self.pos = pos;
          if (v instanceof PyGenerator) return yield* v.delegate();
          const items = rt.iter(v);
          for (let x = items.next(); x !== undefined; x = items.next()) yield x;
          return null;
        };
      }
      case 'BoolOp': {
        const values = e.values.map((v) => this.compileGenExpr(v, scope));
        const isAnd = e.op === 'and';
        return function* (f) {
          let v: PyValue = null;
          for (let i = 0; i < values.length; i++) {
            v = yield* values[i](f);
            if (i < values.length - 1 && rt.truthy(v) !== isAnd) return v;
          }
          return v;
        };
      }
      case 'IfExp': {
        const test = this.compileGenExpr(e.test, scope);
        const body = this.compileGenExpr(e.body, scope);
        const orelse = this.compileGenExpr(e.orelse, scope);
        return function* (f) {
          return rt.truthy(yield* test(f)) ? yield* body(f) : yield* orelse(f);
        };
      }
    }
    const steps: { slot: number; ev: GenEval }[] = [];
    const node = this.hoistOperands(e, scope, steps);
    const ev = this.compileExpr(node, scope);
    return function* (f) {
      for (const st of steps) f.slots[st.slot] = yield* st.ev(f);
      return ev(f);
    };
  }

  /** A copy of `e` whose operands up to the last one holding a yield are hidden locals that `steps` fill in order. */
  private hoistOperands(e: Expr, scope: Scope, steps: { slot: number; ev: GenEval }[]): Expr {
    const ops = operands(e);
    let last = -1;
    ops.forEach((o, i) => {
      if (exprHasYield(o)) last = i;
    });
    for (let i = 0; i <= last; i++) {
      const child = ops[i];
      if (child.kind === 'Starred' || child.kind === 'Slice' || (child.kind === 'Tuple' && e.kind === 'Subscript')) {
        // Not values of their own: their operands are hoisted instead.
        ops[i] = this.hoistOperands(child, scope, steps);
        continue;
      }
      const { name, slot } = this.hiddenLocal(scope, child.pos);
      steps.push({ slot, ev: this.compileGenExpr(child, scope) });
      ops[i] = name;
    }
    return rebuild(e, ops);
  }

  private compileGenWithItem(item: { expr: Expr; target: Expr | null }, body: GenExec, scope: Scope): GenExec {
    const expr = this.compileExpr(item.expr, scope);
    const store = item.target ? this.compileStore(item.target, scope) : null;
    const pos = item.expr.pos;
    const self = this;
    return function* (f) {
      const mgr = expr(f);
      const h = self.enterContext(mgr, pos, f, store);
      let st: Status;
      try {
        st = yield* body(f);
      } catch (e) {
        if (self.exitOnError(h, mgr, e)) return NORMAL;
        throw e;
      }
      if (h.exit) h.exit(mgr, null);
      return st;
    };
  }

  private compileGenTry(s: Extract<Stmt, { kind: 'Try' }>, scope: Scope): GenExec {
    const body = this.compileGenBlock(s.body, scope);
    const handlers = s.handlers.map((h) => ({
      type: h.type ? this.compileExpr(h.type, scope) : null,
      store: h.name ? this.compileStore({ kind: 'Name', id: h.name, pos: h.pos }, scope) : null,
      body: this.compileGenBlock(h.body, scope),
    }));
    const orelse = this.compileGenBlock(s.orelse, scope);
    const finalbody = s.finalbody.length ? this.compileGenBlock(s.finalbody, scope) : null;
    const self = this;
    function* run(f: Frame): Generator<PyValue, Status, PyValue | undefined> {
      let st: Status;
      try {
        st = yield* body(f);
      } catch (e) {
        const { h, err } = self.handlerFor(e, f, handlers);
        self.handling.push(err);
        try {
          return yield* h.body(f);
        } finally {
          self.handling.pop();
        }
      }
      return st === NORMAL ? yield* orelse(f) : st;
    }
    if (!finalbody) return run;
    return function* (f) {
      let st: Status;
      try {
        st = yield* run(f);
      } catch (e) {
        const err = self.toPyError(e);
        if (err.fatal) throw err;
        const fst = yield* finalbody(f);
        if (fst !== NORMAL) return fst;
        throw err;
      }
      const fst = yield* finalbody(f);
      return fst !== NORMAL ? fst : st;
    };
  }

  private compileTest(e: Expr, scope: Scope): (f: Frame) => boolean {
    if (e.kind === 'Compare' && e.ops.length === 1) {
      const op = e.ops[0];
      if (op === 'is' || op === 'is not') {
        const l = this.compileExpr(e.left, scope);
        const r = this.compileExpr(e.comparators[0], scope);
        return op === 'is' ? (f) => l(f) === r(f) : (f) => l(f) !== r(f);
      }
    }
    const ev = this.compileExpr(e, scope);
    const rt = this.rt;
    const pos = e.pos;
    return (f) => {
      const v = ev(f);
      if (typeof v === 'boolean') return v;
      this.pos = pos;
      return rt.truthy(v);
    };
  }

  private compileAugAssign(s: Extract<Stmt, { kind: 'AugAssign' }>, scope: Scope): Exec {
    const rt = this.rt;
    const op = s.op;
    const value = this.compileExpr(s.value, scope);
    const pos = s.pos;
    const t = s.target;
    if (t.kind === 'Name') {
      const load = this.compileExpr(t, scope);
      const store = this.compileStore(t, scope);
      return (f) => {
        const cur = load(f);
        const rhs = value(f);
        this.mark(pos);
        store(f, rt.inplace(op, cur, rhs));
        return NORMAL;
      };
    }
    if (t.kind === 'Attribute') {
      const obj = this.compileExpr(t.value, scope);
      const attr = t.attr;
      return (f) => {
        const o = obj(f);
        this.mark(t.pos);
        const cur = rt.getattr(o, attr);
        const rhs = value(f);
        this.mark(pos);
        const res = rt.inplace(op, cur, rhs);
        this.mark(t.pos);
        rt.setattr(o, attr, res);
        return NORMAL;
      };
    }
    if (t.kind === 'Subscript') {
      const obj = this.compileExpr(t.value, scope);
      const index = this.compileIndex(t.index, scope);
      return (f) => {
        const o = obj(f);
        const i = index(f);
        this.mark(t.pos);
        const cur = rt.getitem(o, i);
        const rhs = value(f);
        this.mark(pos);
        const res = rt.inplace(op, cur, rhs);
        this.mark(t.pos);
        rt.setitem(o, i, res);
        return NORMAL;
      };
    }
    throw new PyError('SyntaxError', 'illegal expression for augmented assignment', t.pos);
  }

  /**
   * An arithmetic operator that may hand its operands' memory back to the host: an operand that is itself
   * the result of an arithmetic operator on tensors and numbers only (so no program code ever saw it) is a
   * temporary once this operator, also on tensors and numbers only, has consumed it.
   */
  private compileArith(e: Extract<Expr, { kind: 'BinOp' }>, l: (f: Frame) => PyValue, r: (f: Frame) => PyValue): (f: Frame) => PyValue {
    const rt = this.rt;
    const op = e.op;
    const pos = e.pos;
    const hook = this.onPosition;
    const isTensor = this.isTensor!;
    const onTemporary = this.onTemporary!;
    const leftArith = e.left.kind === 'BinOp' && ARITH_OPS.has(e.left.op);
    const rightArith = e.right.kind === 'BinOp' && ARITH_OPS.has(e.right.op);
    const plain = (v: PyValue): boolean => typeof v === 'number' || typeof v === 'boolean' || v instanceof PyFloat || isTensor(v);
    return (f) => {
      const a = l(f);
      const aTemp = leftArith && a !== null && this.lastTemp === a;
      const b = r(f);
      const bTemp = rightArith && b !== null && this.lastTemp === b;
      this.lastTemp = null;
      let res: PyValue;
      if (typeof a === 'number' && typeof b === 'number' && op === '+') res = a + b;
      else {
        this.pos = pos;
        if (hook !== undefined) hook(pos);
        res = rt.binop(op, a, b);
      }
      if (plain(a) && plain(b) && isTensor(res)) {
        if (aTemp) onTemporary(a, res);
        if (bTemp && b !== a) onTemporary(b, res);
        this.lastTemp = res;
      }
      return res;
    };
  }

  private compileWhile(s: Extract<Stmt, { kind: 'While' }>, scope: Scope): Exec {
    const test = this.compileTest(s.test, scope);
    const body = this.compileBlock(s.body, scope);
    const orelse = s.orelse.length ? this.compileBlock(s.orelse, scope) : null;
    const pos = s.pos;
    const onIter = this.onIteration;
    const loop = (f: Frame): Status => {
      let index = 0;
      while (test(f)) {
        if (onIter !== undefined) onIter(pos, index);
        index++;
        if (++this.steps > this.stepBudget) this.budgetExceeded(pos);
        const st = body(f);
        if (st === BREAK) return NORMAL;
        if (st === RETURN) return st;
      }
      return orelse ? orelse(f) : NORMAL;
    };
    return this.withLoopHooks(loop, pos);
  }

  /** Runs a loop between the onLoopStart/onLoopEnd hooks; a runaway-loop error points at the loop. */
  private withLoopHooks(loop: (f: Frame) => Status, pos: Pos): Exec {
    const start = this.onLoopStart;
    const end = this.onLoopEnd;
    return (f) => {
      start?.(pos);
      try {
        return loop(f);
      } catch (e) {
        throw this.atLoop(e, pos);
      } finally {
        end?.(pos);
      }
    };
  }

  /** A runaway-loop error points at the innermost loop rather than at a statement of its body. */
  private atLoop(e: unknown, pos: Pos): unknown {
    if (e instanceof PyError && e.fatal && !this.relocated.has(e)) {
      e.setPos(pos);
      this.relocated.add(e);
    }
    return e;
  }

  private compileFor(s: Extract<Stmt, { kind: 'For' }>, scope: Scope): Exec {
    const rt = this.rt;
    const iter = this.compileIterable(s.iter, scope);
    const store = this.compileStore(s.target, scope);
    const body = this.compileBlock(s.body, scope);
    const orelse = s.orelse.length ? this.compileBlock(s.orelse, scope) : null;
    const pos = s.pos;
    const iterPos = s.iter.pos;
    const onIter = this.onIteration;
    const target = s.target.kind === 'Name' ? s.target.id : undefined;
    const loop = (f: Frame): Status => {
      const iterable = iter(f);
      let index = 0;
      if (iterable instanceof PyRange) {
        const n = iterable.length;
        for (let i = 0; i < n; i++) {
          const v = iterable.start + i * iterable.step;
          store(f, v);
          if (onIter !== undefined) onIter(pos, i, n, target, v);
          if (++this.steps > this.stepBudget) this.budgetExceeded(pos);
          const st = body(f);
          if (st === BREAK) return NORMAL;
          if (st === RETURN) return st;
        }
      } else if (iterable instanceof PyList || iterable instanceof PyTuple) {
        this.pos = iterPos;
        const it = rt.iter(iterable);
        for (let x = it.next(); x !== undefined; x = it.next()) {
          store(f, x);
          if (onIter !== undefined) onIter(pos, index, undefined, target, x);
          index++;
          if (++this.steps > this.stepBudget) this.budgetExceeded(pos);
          const st = body(f);
          if (st === BREAK) return NORMAL;
          if (st === RETURN) return st;
        }
      } else {
        // An iterator may compute its items (a generator's body, a DataLoader's batches): the iteration
        // begins before the item is fetched, so that work belongs to the iteration that uses it. The
        // fetch that finds the iterator exhausted reports one iteration more, which ends at once.
        this.pos = iterPos;
        const it = rt.iter(iterable);
        for (;;) {
          if (onIter !== undefined) onIter(pos, index, undefined, target, undefined);
          const x = it.next();
          if (x === undefined) break;
          store(f, x);
          index++;
          if (++this.steps > this.stepBudget) this.budgetExceeded(pos);
          const st = body(f);
          if (st === BREAK) return NORMAL;
          if (st === RETURN) return st;
        }
      }
      return orelse ? orelse(f) : NORMAL;
    };
    return this.withLoopHooks(loop, pos);
  }

  private compileWith(s: Extract<Stmt, { kind: 'With' }>, scope: Scope): Exec {
    // `with a, b:` is `with a: with b:`.
    let body = this.compileBlock(s.body, scope);
    for (let k = s.items.length - 1; k >= 0; k--) body = this.compileWithItem(s.items[k], body, scope);
    return body;
  }

  private compileWithItem(item: { expr: Expr; target: Expr | null }, body: Exec, scope: Scope): Exec {
    const expr = this.compileExpr(item.expr, scope);
    const store = item.target ? this.compileStore(item.target, scope) : null;
    const pos = item.expr.pos;
    return (f) => {
      const mgr = expr(f);
      const h = this.enterContext(mgr, pos, f, store);
      let st: Status;
      try {
        st = body(f);
      } catch (e) {
        if (this.exitOnError(h, mgr, e)) return NORMAL;
        throw e;
      }
      if (h.exit) h.exit(mgr, null);
      return st;
    };
  }

  /** `with mgr as target:`'s entry: the manager's protocol (or Python's TypeError), __enter__, the binding. */
  private enterContext(mgr: PyValue, pos: Pos, f: Frame, store: Store | null): HostType {
    this.mark(pos);
    const h = typeof mgr === 'object' && mgr !== null ? this.rt.host(mgr) : undefined;
    if (!h || (!h.enter && !h.exit)) {
      throw new PyError('TypeError', `'${this.rt.typeName(mgr)}' object does not support the context manager protocol`, pos);
    }
    const entered = h.enter ? h.enter(mgr) : mgr;
    if (store) store(f, entered);
    return h;
  }

  /** __exit__ with the error the body raised: whether the manager suppresses it (never a fatal one). */
  private exitOnError(h: HostType, mgr: PyValue, e: unknown): boolean {
    const err = this.toPyError(e);
    const suppress = h.exit ? h.exit(mgr, err) : false;
    if (suppress === true && !err.fatal) return true;
    throw err;
  }

  private compileFunctionDef(s: Extract<Stmt, { kind: 'FunctionDef' }>, scope: Scope): Exec {
    const make = this.compileFunction(s.name, s.params, s.body, null, scope);
    const decorators = s.decorators.map((d) => this.compileExpr(d, scope));
    const store = this.compileStore({ kind: 'Name', id: s.name, pos: s.pos }, scope);
    const rt = this.rt;
    const pos = s.pos;
    return (f) => {
      const decos = decorators.map((d) => d(f));
      let fn: PyValue = make(f);
      for (let k = decos.length - 1; k >= 0; k--) {
        this.mark(pos);
        fn = rt.call(decos[k], [fn], null);
      }
      store(f, fn);
      return NORMAL;
    };
  }

  /**
   * A class statement: the body runs once in its own frame; the names it binds become the class's
   * attributes. Its frame's `ret` then holds the class, so methods can find it for `super()`.
   */
  private compileClassDef(s: Extract<Stmt, { kind: 'ClassDef' }>, scope: Scope): Exec {
    const rt = this.rt;
    const inner = new Scope('class', scope);
    inner.qualname = scope.qualify(s.name);
    collectGlobals(s.body, inner.declaredGlobal);
    for (const n of collectLocals(s.body)) if (!inner.declaredGlobal.has(n)) inner.add(n);
    const annotated = s.body.some((b) => b.kind === 'AnnAssign' && b.target.kind === 'Name');
    const annotationsSlot = annotated ? inner.add('__annotations__') : -1;
    const body = this.compileBlock(s.body, inner);
    const bases = s.bases.map((b) => this.compileExpr(b, scope));
    const basePos = s.bases.map((b) => b.pos);
    const decorators = s.decorators.map((d) => this.compileExpr(d, scope));
    const store = this.compileStore({ kind: 'Name', id: s.name, pos: s.pos }, scope);
    const names = [...inner.slots.entries()];
    const pos = s.pos;
    return (f) => {
      const decos = decorators.map((d) => d(f));
      const pyBases: PyClass[] = [];
      let hostBase: HostBase | null = null;
      let exceptionBase: PyExceptionType | null = null;
      bases.forEach((b, i) => {
        const v = b(f);
        if (v instanceof PyClass) pyBases.push(v);
        else if (this.hostBases.has(v)) hostBase = this.hostBases.get(v)!;
        else if (v instanceof PyExceptionType) exceptionBase = v;
        else if (v === this.builtins.get('object')) return;
        else {
          const what = v instanceof PyCallable ? `'${v.name}'` : `a '${rt.typeName(v)}'`;
          throw new PyError('TypeError', `a class here can derive from classes of the program and from torch.nn.Module, not from ${what}`, basePos[i]);
        }
      });
      const frame = new Frame(new Array(inner.slots.size), f);
      if (annotationsSlot >= 0) frame.slots[annotationsSlot] = new PyDict();
      body(frame);
      const attrs = new Map<string, PyValue>();
      for (const [name, slot] of names) {
        const v = frame.slots[slot];
        if (v !== undefined) attrs.set(name, v);
      }
      const made = new PyClass(s.name, pyBases, hostBase, attrs, rt);
      if (exceptionBase) made.ownExceptionBase = exceptionBase;
      let cls: PyValue = made;
      frame.ret = cls;
      for (let k = decos.length - 1; k >= 0; k--) {
        this.mark(pos);
        cls = rt.call(decos[k], [cls], null);
      }
      store(f, cls);
      return NORMAL;
    };
  }

  /** `super()` with no arguments, directly inside a method: the method's class and its first argument. */
  private compileSuper(pos: Pos, scope: Scope): Eval | null {
    if (scope.kind !== 'function' || scope.parent?.kind !== 'class' || scope.slots.size === 0) return null;
    const selfSlot = 0;
    return (f) => {
      const cls = f.parent?.ret;
      const self = f.slots[selfSlot];
      if (!(cls instanceof PyClass) || self === undefined) throw new PyError('RuntimeError', 'super(): no arguments', pos);
      return new PySuper(cls, self, this.rt, this.hostTypeOfInner);
    };
  }

  /** Compiles a def or lambda; returns a maker that evaluates defaults and closes over the frame. */
  private compileFunction(name: string, params: Params, body: Stmt[] | null, bodyExpr: Expr | null, outer: Scope): (f: Frame) => PyFunction {
    const scope = new Scope('function', outer);
    scope.qualname = outer.qualify(name);
    const all = [...params.params.map((p) => p.name)];
    const paramSlots = params.params.map((p) => scope.add(p.name));
    const varargSlot = params.vararg ? scope.add(params.vararg) : -1;
    const kwonlySlots = params.kwonly.map((p) => scope.add(p.name));
    const kwargSlot = params.kwarg ? scope.add(params.kwarg) : -1;
    void all;
    if (body) {
      collectGlobals(body, scope.declaredGlobal);
      const nonlocals = new Set<string>();
      collectGlobals(body, nonlocals, 'Nonlocal');
      for (const n of nonlocals) {
        let found = false;
        for (let s: Scope | null = outer; s !== null && s.kind === 'function' && !found; s = s.parent) found = s.slots.has(n);
        if (!found) throw new PyError('SyntaxError', `no binding for nonlocal '${n}' found`, nonlocalPos(body, n));
      }
      for (const n of collectLocals(body)) if (!scope.declaredGlobal.has(n) && !nonlocals.has(n)) scope.add(n);
    }
    const code: FunctionCode = {
      name,
      qualname: scope.qualname,
      nslots: 0,
      params: params.params.map((p) => p.name),
      kwonly: params.kwonly.map((p) => p.name),
      posonly: params.posonly ?? 0,
      paramSlots,
      kwonlySlots,
      varargSlot,
      kwargSlot,
      body: () => NORMAL,
      gen: null,
      library: (body?.[0]?.pos.line ?? bodyExpr?.pos.line ?? 0) >= LIBRARY_LINE,
      doc: body && body[0]?.kind === 'ExprStmt' && body[0].value.kind === 'Const' && typeof body[0].value.value === 'string' ? body[0].value.value : null,
    };
    if (body && hasYield(body)) code.gen = this.compileGenBlock(body, scope);
    else if (body) code.body = this.compileBlock(body, scope);
    else {
      const ev = this.compileExpr(bodyExpr!, scope);
      code.body = (f) => {
        f.ret = ev(f);
        return RETURN;
      };
    }
    code.nslots = scope.slots.size;
    const defaults = params.params.filter((p) => p.default !== null).map((p) => this.compileExpr(p.default!, outer));
    const kwDefaults = params.kwonly.map((p) => (p.default ? this.compileExpr(p.default, outer) : null));
    return (f) =>
      new PyFunction(
        name,
        this,
        code,
        defaults.map((d) => d(f)),
        kwDefaults.map((d) => (d ? d(f) : undefined)),
        f,
      );
  }

  private importModule(name: string, pos: Pos): PyValue {
    const m = this.modules.get(name) ?? (PY_MODULES[name] !== undefined ? this.loadPyModule(name) : undefined);
    if (m === undefined) {
      // Python imports the packages first: it names the shortest prefix that does not exist.
      const parts = name.split('.');
      let missing = name;
      for (let i = 1; i <= parts.length; i++) {
        const prefix = parts.slice(0, i).join('.');
        if (!this.modules.has(prefix)) {
          missing = prefix;
          break;
        }
      }
      throw new PyError('ModuleNotFoundError', `No module named '${missing}'`, pos);
    }
    return m;
  }

  /**
   * A module written in Python (pystdlib.ts), run on its first import in a namespace of its own. Its lines are
   * numbered from LIBRARY_LINE, so an error it raises can be moved to the program's line that called into it;
   * the app's hooks (bindings, loops) do not see its code.
   */
  private loadPyModule(name: string): PyModule {
    const saved = { cells: this.cells, onBind: this.onBind, onIteration: this.onIteration, onLoopStart: this.onLoopStart, onLoopEnd: this.onLoopEnd, onPosition: this.onPosition, pos: this.pos };
    this.cells = new Map();
    this.onBind = this.onIteration = this.onLoopStart = this.onLoopEnd = this.onPosition = undefined;
    try {
      const module = parse(PY_MODULES[name], { line: LIBRARY_LINE, col: 1 });
      const body = this.compileBlock(module.body, new Scope('module', null));
      body(new Frame([], null));
      const attrs: Record<string, PyValue> = {};
      for (const [k, c] of this.cells) if (c.value !== undefined) attrs[k] = c.value;
      const mod = new PyModule(name, attrs);
      this.modules.set(name, mod);
      return mod;
    } finally {
      Object.assign(this, saved);
    }
  }

  private compileImport(s: Extract<Stmt, { kind: 'Import' }>, scope: Scope): Exec {
    const actions = s.names.map(({ name, asname }) => {
      const bindName = asname ?? name.split('.')[0];
      const store = this.compileStore({ kind: 'Name', id: bindName, pos: s.pos }, scope);
      return (f: Frame): void => {
        const m = this.importModule(name, s.pos);
        store(f, asname ? m : this.importModule(name.split('.')[0], s.pos));
      };
    });
    return (f) => {
      for (const a of actions) a(f);
      return NORMAL;
    };
  }

  private compileImportFrom(s: Extract<Stmt, { kind: 'ImportFrom' }>, scope: Scope): Exec {
    const actions = s.names.map(({ name, asname }) => {
      const store = this.compileStore({ kind: 'Name', id: asname ?? name, pos: s.pos }, scope);
      return (f: Frame): void => {
        const m = this.importModule(s.module, s.pos);
        let v: PyValue | undefined = m instanceof PyModule ? m.attrs.get(name) : this.rt.getattrOrUndefined(m, name);
        if (v === undefined) v = this.modules.get(`${s.module}.${name}`);
        if (v === undefined) throw new PyError('ImportError', `cannot import name '${name}' from '${s.module}'`, s.pos);
        store(f, v);
      };
    });
    return (f) => {
      for (const a of actions) a(f);
      return NORMAL;
    };
  }

  private compileRaise(s: Extract<Stmt, { kind: 'Raise' }>, scope: Scope): Exec {
    const exc = s.exc ? this.compileExpr(s.exc, scope) : null;
    const cause = s.cause ? this.compileExpr(s.cause, scope) : null;
    const pos = s.pos;
    return (f) => {
      if (!exc) {
        const cur = this.handling[this.handling.length - 1];
        if (!cur) throw new PyError('RuntimeError', 'No active exception to reraise', pos);
        throw cur;
      }
      let v = exc(f);
      if (v instanceof PyExceptionType) v = new PyExceptionValue(v, []);
      else if (v instanceof PyClass && v.exceptionBase) {
        this.mark(pos);
        v = v.call([], null);
      }
      const cls = classOf(v);
      if (!(v instanceof PyExceptionValue) && !cls?.exceptionBase) throw new PyError('TypeError', 'exceptions must derive from BaseException', pos);
      let c: PyValue | undefined = cause ? cause(f) : undefined;
      if (c instanceof PyExceptionType || (c instanceof PyClass && c.exceptionBase)) c = this.rt.call(c, [], null);
      if (v instanceof PyExceptionValue) v.cause = c;
      else if (c !== undefined) (v as PyInstance).dict.set('__cause__', c);
      const err = new PyError(v instanceof PyExceptionValue ? v.type.name : cls!.name, this.rt.str(v), pos);
      err.value = v;
      throw err;
    };
  }

  private compileTry(s: Extract<Stmt, { kind: 'Try' }>, scope: Scope): Exec {
    const body = this.compileBlock(s.body, scope);
    const handlers = s.handlers.map((h) => ({
      type: h.type ? this.compileExpr(h.type, scope) : null,
      store: h.name ? this.compileStore({ kind: 'Name', id: h.name, pos: h.pos }, scope) : null,
      body: this.compileBlock(h.body, scope),
    }));
    const orelse = s.orelse.length ? this.compileBlock(s.orelse, scope) : null;
    const finalbody = s.finalbody.length ? this.compileBlock(s.finalbody, scope) : null;
    const run = (f: Frame): Status => {
      let st: Status;
      try {
        st = body(f);
      } catch (e) {
        const { h, err } = this.handlerFor(e, f, handlers);
        this.handling.push(err);
        try {
          return h.body(f);
        } finally {
          this.handling.pop();
        }
      }
      return st === NORMAL && orelse ? orelse(f) : st;
    };
    if (!finalbody) return run;
    return (f) => {
      let st: Status;
      try {
        st = run(f);
      } catch (e) {
        const err = this.toPyError(e);
        if (err.fatal) throw err;
        const fst = finalbody(f);
        if (fst !== NORMAL) return fst;
        throw err;
      }
      const fst = finalbody(f);
      return fst !== NORMAL ? fst : st;
    };
  }

  /** The except clause that takes a raised error, with the exception bound to its name; else the error is raised on. */
  private handlerFor<H extends { type: Eval | null; store: Store | null }>(e: unknown, f: Frame, handlers: H[]): { h: H; err: PyError } {
    const err = this.toPyError(e);
    if (err.fatal || handlers.length === 0) throw err;
    const value = (err.value as PyValue) ?? new PyExceptionValue(this.exceptionType(err.type), [err.message]);
    err.value = value;
    for (const h of handlers) {
      if (h.type) {
        const t = h.type(f);
        const types = t instanceof PyTuple ? t.items : [t];
        if (!types.some((x) => exceptionMatches(value, x))) continue;
      }
      if (h.store) h.store(f, value);
      return { h, err };
    }
    throw err;
  }

  private compileDelete(t: Expr, scope: Scope): (f: Frame) => void {
    const rt = this.rt;
    switch (t.kind) {
      case 'Name': {
        const ref = this.resolve(t.id, scope);
        const name = t.id;
        return (f) => {
          if (ref.kind === 'global') {
            if (ref.cell.value === undefined) throw new PyError('NameError', `name '${name}' is not defined`, t.pos);
            ref.cell.value = undefined;
          } else {
            const fr = frameAt(f, ref.depth);
            if (fr.slots[ref.slot] === undefined) throw new PyError('NameError', `name '${name}' is not defined`, t.pos);
            fr.slots[ref.slot] = undefined;
          }
        };
      }
      case 'Subscript': {
        const obj = this.compileExpr(t.value, scope);
        const index = this.compileIndex(t.index, scope);
        return (f) => {
          const o = obj(f);
          const i = index(f);
          this.mark(t.pos);
          rt.delitem(o, i);
        };
      }
      case 'Attribute': {
        const obj = this.compileExpr(t.value, scope);
        return (f) => {
          const o = obj(f);
          this.mark(t.pos);
          rt.delattr(o, t.attr);
        };
      }
      case 'Tuple':
      case 'List': {
        const parts = t.elts.map((e) => this.compileDelete(e, scope));
        return (f) => parts.forEach((p) => p(f));
      }
      default:
        throw new PyError('SyntaxError', 'cannot delete this expression', t.pos);
    }
  }

  // ---- targets -------------------------------------------------------------------------------

  private compileStore(t: Expr, scope: Scope): Store {
    const rt = this.rt;
    switch (t.kind) {
      case 'Name': {
        const ref = this.resolve(t.id, scope);
        const onBind = this.onBind;
        const name = t.id;
        const pos = t.pos;
        if (ref.kind === 'global') {
          const cell = ref.cell;
          if (onBind === undefined) return (_f, v) => void (cell.value = v);
          return (_f, v) => {
            cell.value = v;
            onBind(name, v, pos);
          };
        }
        const { depth, slot } = ref;
        if (depth === 0) {
          if (onBind === undefined) return (f, v) => void (f.slots[slot] = v);
          return (f, v) => {
            f.slots[slot] = v;
            onBind(name, v, pos);
          };
        }
        return (f, v) => {
          frameAt(f, depth).slots[slot] = v;
          if (onBind !== undefined) onBind(name, v, pos);
        };
      }
      case 'Attribute': {
        const obj = this.compileExpr(t.value, scope);
        const attr = t.attr;
        const pos = t.pos;
        return (f, v) => {
          const o = obj(f);
          this.mark(pos);
          rt.setattr(o, attr, v);
        };
      }
      case 'Subscript': {
        const obj = this.compileExpr(t.value, scope);
        const index = this.compileIndex(t.index, scope);
        const pos = t.pos;
        return (f, v) => {
          const o = obj(f);
          const i = index(f);
          this.mark(pos);
          rt.setitem(o, i, v);
        };
      }
      case 'Tuple':
      case 'List': {
        const starAt = t.elts.findIndex((e) => e.kind === 'Starred');
        const stores = t.elts.map((e) => this.compileStore(e.kind === 'Starred' ? e.value : e, scope));
        const n = stores.length;
        const pos = t.pos;
        return (f, v) => {
          this.pos = pos;
          let items: readonly PyValue[];
          if (v instanceof PyTuple || v instanceof PyList) items = v.items;
          else {
            try {
              items = rt.toArray(v, false);
            } catch (e) {
              if (e instanceof PyError && e.type === 'TypeError' && / is not iterable$/.test(e.message)) {
                throw new PyError('TypeError', `cannot unpack non-iterable ${rt.typeName(v)} object`, pos);
              }
              throw e;
            }
          }
          if (starAt < 0) {
            if (items.length !== n) {
              if (items.length > n) throw new PyError('ValueError', `too many values to unpack (expected ${n})`, pos);
              throw new PyError('ValueError', `not enough values to unpack (expected ${n}, got ${items.length})`, pos);
            }
            for (let i = 0; i < n; i++) stores[i](f, items[i]);
            return;
          }
          if (items.length < n - 1) {
            throw new PyError('ValueError', `not enough values to unpack (expected at least ${n - 1}, got ${items.length})`, pos);
          }
          const after = n - 1 - starAt;
          for (let i = 0; i < starAt; i++) stores[i](f, items[i]);
          stores[starAt](f, new PyList(items.slice(starAt, items.length - after)));
          for (let i = 0; i < after; i++) stores[starAt + 1 + i](f, items[items.length - after + i]);
        };
      }
      default:
        throw new PyError('SyntaxError', 'cannot assign to expression', t.pos);
    }
  }

  // ---- expressions ---------------------------------------------------------------------------

  compileExpr(e: Expr, scope: Scope): Eval {
    const rt = this.rt;
    switch (e.kind) {
      case 'Yield':
      case 'YieldFrom':
        // Reached only where compileGenExpr does not go: a comprehension, a lambda, a with statement's header.
        throw new PyError('SyntaxError', "'yield' is not supported here in this playground", e.pos);
      case 'Const': {
        const v = constValue(e.value);
        return () => v;
      }
      case 'Name':
        return this.compileName(e.id, e.pos, scope);
      case 'BinOp': {
        const l = this.compileExpr(e.left, scope);
        const r = this.compileExpr(e.right, scope);
        const op = e.op;
        const pos = e.pos;
        const hook = this.onPosition;
        if (this.onTemporary && this.isTensor && ARITH_OPS.has(op)) return this.compileArith(e, l, r);
        if (op === '+') {
          return (f) => {
            const a = l(f);
            const b = r(f);
            if (typeof a === 'number' && typeof b === 'number') return a + b;
            this.pos = pos;
            if (hook !== undefined) hook(pos);
            return rt.binop(op, a, b);
          };
        }
        return (f) => {
          const a = l(f);
          const b = r(f);
          this.pos = pos;
          if (hook !== undefined) hook(pos);
          return rt.binop(op, a, b);
        };
      }
      case 'UnaryOp': {
        const operand = this.compileExpr(e.operand, scope);
        const pos = e.pos;
        if (e.op === 'not') {
          return (f) => {
            const v = operand(f);
            this.pos = pos;
            return !rt.truthy(v);
          };
        }
        const op = e.op;
        // A negative literal is a constant.
        if (op === '-' && e.operand.kind === 'Const' && typeof e.operand.value === 'number') {
          const v = 0 - e.operand.value;
          return () => v;
        }
        return (f) => {
          const v = operand(f);
          this.mark(pos);
          return rt.unary(op, v);
        };
      }
      case 'BoolOp': {
        const values = e.values.map((v) => this.compileExpr(v, scope));
        const isAnd = e.op === 'and';
        const positions = e.values.map((v) => v.pos);
        return (f) => {
          let v: PyValue = null;
          for (let i = 0; i < values.length; i++) {
            v = values[i](f);
            if (i === values.length - 1) return v;
            this.pos = positions[i];
            if (rt.truthy(v) !== isAnd) return v;
          }
          return v;
        };
      }
      case 'Compare':
        return this.compileCompare(e, scope);
      case 'IfExp': {
        const test = this.compileTest(e.test, scope);
        const body = this.compileExpr(e.body, scope);
        const orelse = this.compileExpr(e.orelse, scope);
        return (f) => (test(f) ? body(f) : orelse(f));
      }
      case 'Call':
        return this.compileCall(e, scope);
      case 'Attribute': {
        const obj = this.compileExpr(e.value, scope);
        const attr = e.attr;
        const pos = e.pos;
        return (f) => {
          const o = obj(f);
          this.mark(pos);
          return rt.getattr(o, attr);
        };
      }
      case 'Subscript': {
        const obj = this.compileExpr(e.value, scope);
        const index = this.compileIndex(e.index, scope);
        const pos = e.pos;
        return (f) => {
          const o = obj(f);
          const i = index(f);
          this.mark(pos);
          return rt.getitem(o, i);
        };
      }
      case 'Slice': {
        // Only reachable through compileIndex; a bare slice elsewhere is a syntax error in Python.
        throw new PyError('SyntaxError', 'invalid syntax', e.pos);
      }
      case 'Tuple': {
        const items = this.compileItems(e.elts, scope);
        return (f) => new PyTuple(items(f));
      }
      case 'List': {
        const items = this.compileItems(e.elts, scope);
        return (f) => new PyList(items(f));
      }
      case 'Set': {
        const items = this.compileItems(e.elts, scope);
        // CPython folds a display of three or more constants into a frozenset constant and merges that into
        // the new set (a merge sizes the table first, so the order can differ from adding one by one).
        if (e.elts.length > 2 && e.elts.every(isConstant)) return (f) => new PySet(constantFrozenset(items(f)));
        return (f) => new PySet(items(f));
      }
      case 'SetComp': {
        const run = this.compileComprehension(e.generators, scope, (inner) => {
          const elt = this.compileExpr(e.elt, inner);
          return (f, out) => out.push(elt(f));
        });
        return (f) => new PySet(run(f));
      }
      case 'Dict': {
        const keys = e.keys.map((k) => (k ? this.compileExpr(k, scope) : null));
        const values = e.values.map((v) => this.compileExpr(v, scope));
        const pos = e.pos;
        return (f) => {
          const d = new PyDict();
          for (let i = 0; i < values.length; i++) {
            const k = keys[i];
            if (k === null) {
              const m = values[i](f);
              if (!(m instanceof PyDict)) throw new PyError('TypeError', `'${rt.typeName(m)}' object is not a mapping`, pos);
              for (const [kk, vv] of m.entries()) d.set(kk, vv);
            } else {
              const kv = k(f);
              this.pos = pos;
              d.set(kv, values[i](f));
            }
          }
          return d;
        };
      }
      case 'Starred':
        throw new PyError('SyntaxError', "can't use starred expression here", e.pos);
      case 'FString':
        return this.compileFString(e.parts, scope);
      case 'Lambda': {
        const make = this.compileFunction('<lambda>', e.params, null, e.body, scope);
        return make;
      }
      case 'NamedExpr': {
        // The name is a local of the enclosing function (collectLocals), so a comprehension's scope resolves it there.
        const value = this.compileExpr(e.value, scope);
        const store = this.compileStore(e.target, scope);
        return (f) => {
          const v = value(f);
          store(f, v);
          return v;
        };
      }
      case 'GeneratorExp':
        return this.compileGeneratorExp(e, scope);
      case 'ListComp': {
        const run = this.compileComprehension(e.generators, scope, (inner) => {
          const elt = this.compileExpr(e.elt, inner);
          return (f, out) => out.push(elt(f));
        });
        return (f) => new PyList(run(f));
      }
      case 'DictComp': {
        const run = this.compileComprehension(e.generators, scope, (inner) => {
          const key = this.compileExpr(e.key, inner);
          const value = this.compileExpr(e.value, inner);
          return (f, out) => {
            out.push(key(f));
            out.push(value(f));
          };
        });
        return (f) => {
          const flat = run(f);
          const d = new PyDict();
          for (let i = 0; i < flat.length; i += 2) d.set(flat[i], flat[i + 1]);
          return d;
        };
      }
    }
  }

  /** Names a NameError can suggest: the enclosing functions' locals, the globals, the builtins. */
  private visibleNames(scopeNames: string[]): string[] {
    const names = [...scopeNames];
    for (const [k, c] of this.cells) if (c.value !== undefined) names.push(k);
    for (const k of this.builtins.keys()) names.push(k);
    return names;
  }

  private compileName(id: string, pos: Pos, scope: Scope): Eval {
    const ref = this.resolve(id, scope);
    const scopeNames: string[] = [];
    for (let s: Scope | null = scope; s !== null && s.kind !== 'module'; s = s.parent) scopeNames.push(...s.slots.keys());
    if (ref.kind === 'global') {
      const cell = ref.cell;
      const builtins = this.builtins;
      return () => {
        const v = cell.value;
        if (v !== undefined) return v;
        const b = builtins.get(id);
        if (b !== undefined) return b;
        throw withSuggestion('NameError', `name '${id}' is not defined`, id, this.visibleNames(scopeNames), pos);
      };
    }
    const { depth, slot } = ref;
    const unbound = (): never => {
      throw new PyError('UnboundLocalError', `cannot access local variable '${id}' where it is not associated with a value`, pos);
    };
    if (depth === 0) {
      return (f) => {
        const v = f.slots[slot];
        return v !== undefined ? v : unbound();
      };
    }
    return (f) => {
      const v = frameAt(f, depth).slots[slot];
      if (v !== undefined) return v;
      throw new PyError('NameError', `cannot access free variable '${id}' where it is not associated with a value in enclosing scope`, pos);
    };
  }

  private compileCompare(e: Extract<Expr, { kind: 'Compare' }>, scope: Scope): Eval {
    const rt = this.rt;
    const left = this.compileExpr(e.left, scope);
    const rights = e.comparators.map((c) => this.compileExpr(c, scope));
    const ops = e.ops;
    const pos = e.pos;
    const hook = this.onPosition;
    const one = (op: (typeof ops)[number], a: PyValue, b: PyValue): PyValue => {
      switch (op) {
        case 'is':
          return a === b;
        case 'is not':
          return a !== b;
        case 'in':
          return rt.contains(b, a);
        case 'not in':
          return !rt.contains(b, a);
        default:
          return rt.compare(op as CmpOp, a, b);
      }
    };
    if (ops.length === 1) {
      const op = ops[0];
      const right = rights[0];
      return (f) => {
        const a = left(f);
        const b = right(f);
        this.pos = pos;
        if (hook !== undefined) hook(pos);
        return one(op, a, b);
      };
    }
    return (f) => {
      let a = left(f);
      let result: PyValue = true;
      for (let i = 0; i < ops.length; i++) {
        const b = rights[i](f);
        this.pos = pos;
        if (hook !== undefined) hook(pos);
        result = one(ops[i], a, b);
        if (i < ops.length - 1 && !rt.truthy(result)) return result;
        a = b;
      }
      return result;
    };
  }

  /** What a for loop or comprehension iterates: a set display of constants is a frozenset constant in CPython. */
  private compileIterable(e: Expr, scope: Scope): Eval {
    if (e.kind === 'Set' && e.elts.every(isConstant)) {
      const items = this.compileItems(e.elts, scope);
      return (f) => constantFrozenset(items(f));
    }
    return this.compileExpr(e, scope);
  }

  /** Item lists of tuple/list displays, with `*iterable` unpacking. */
  private compileItems(elts: Expr[], scope: Scope): (f: Frame) => PyValue[] {
    const rt = this.rt;
    const parts = elts.map((e) => (e.kind === 'Starred' ? { star: true, ev: this.compileExpr(e.value, scope), pos: e.pos } : { star: false, ev: this.compileExpr(e, scope), pos: e.pos }));
    if (parts.every((p) => !p.star)) {
      const evs = parts.map((p) => p.ev);
      const n = evs.length;
      return (f) => {
        const out = new Array<PyValue>(n);
        for (let i = 0; i < n; i++) out[i] = evs[i](f);
        return out;
      };
    }
    return (f) => {
      const out: PyValue[] = [];
      for (const p of parts) {
        const v = p.ev(f);
        if (p.star) {
          this.pos = p.pos;
          for (const x of rt.toArray(v, false)) out.push(x);
        } else out.push(v);
      }
      return out;
    };
  }

  /** A subscript's index: slices become PySlice, tuples PyTuple (host getitem sees structured indices). */
  private compileIndex(e: Expr, scope: Scope): Eval {
    if (e.kind === 'Slice') {
      const lo = e.lower ? this.compileExpr(e.lower, scope) : null;
      const hi = e.upper ? this.compileExpr(e.upper, scope) : null;
      const st = e.step ? this.compileExpr(e.step, scope) : null;
      return (f) => new PySlice(lo ? lo(f) : null, hi ? hi(f) : null, st ? st(f) : null);
    }
    if (e.kind === 'Tuple') {
      const items = e.elts.map((x) => this.compileIndex(x, scope));
      return (f) => new PyTuple(items.map((it) => it(f)));
    }
    return this.compileExpr(e, scope);
  }

  private compileCall(e: Extract<Expr, { kind: 'Call' }>, scope: Scope): Eval {
    const rt = this.rt;
    if (e.func.kind === 'Name' && e.func.id === 'super' && e.args.length === 0 && e.keywords.length === 0) {
      const ref = this.resolve('super', scope);
      if (ref.kind === 'global') {
        const zeroArg = this.compileSuper(e.pos, scope);
        if (zeroArg) return zeroArg;
      }
    }
    const pos = e.pos;
    const hook = this.onPosition;
    const simpleArgs = e.args.every((a) => a.kind !== 'Starred');
    const args = simpleArgs ? null : this.compileItems(e.args, scope);
    const argEvs = simpleArgs ? e.args.map((a) => this.compileExpr(a, scope)) : [];
    const nargs = argEvs.length;
    const kws = e.keywords.map((k) => ({ name: k.name, ev: this.compileExpr(k.value, scope), pos: k.pos }));
    const evalArgs = (f: Frame): PyValue[] => {
      if (args !== null) return args(f);
      const out = new Array<PyValue>(nargs);
      for (let i = 0; i < nargs; i++) out[i] = argEvs[i](f);
      return out;
    };
    const evalKwargs =
      kws.length === 0
        ? (): Kwargs => null
        : (f: Frame): Kwargs => {
            const m = new Map<string, PyValue>();
            for (const k of kws) {
              const v = k.ev(f);
              if (k.name !== null) {
                m.set(k.name, v);
                continue;
              }
              if (!(v instanceof PyDict)) {
                throw new PyError('TypeError', `argument after ** must be a mapping, not ${rt.typeName(v)}`, k.pos);
              }
              for (const [kk, vv] of v.entries()) {
                if (typeof kk !== 'string') throw new PyError('TypeError', 'keywords must be strings', k.pos);
                if (m.has(kk)) throw new PyError('TypeError', `got multiple values for keyword argument '${kk}'`, k.pos);
                m.set(kk, vv);
              }
            }
            return m;
          };
    if (e.func.kind === 'Attribute') {
      // obj.method(...): no bound-method object in between.
      const obj = this.compileExpr(e.func.value, scope);
      const name = e.func.attr;
      if (this.onTemporary && this.isTensor && TEMP_METHODS.has(name)) return this.compileTempMethod(e, obj, evalArgs, evalKwargs);
      return (f) => {
        const o = obj(f);
        const a = evalArgs(f);
        const k = evalKwargs(f);
        this.pos = pos;
        if (hook !== undefined) hook(pos);
        return rt.callMethod(o, name, a, k);
      };
    }
    const func = this.compileExpr(e.func, scope);
    return (f) => {
      const fn = func(f);
      const a = evalArgs(f);
      const k = evalKwargs(f);
      this.pos = pos;
      if (hook !== undefined) hook(pos);
      if (fn instanceof PyCallable) return fn.call(a, k);
      return rt.call(fn, a, k);
    };
  }

  /**
   * `t.pow(2)`, `(y_pred - y).pow(2).sum()`: a tensor method from TEMP_METHODS makes a new tensor, so its result
   * is a temporary as an arithmetic operator's is (see compileArith), and a receiver that is itself such a
   * temporary is handed back once the method has consumed it.
   */
  private compileTempMethod(e: Extract<Expr, { kind: 'Call' }>, obj: Eval, evalArgs: (f: Frame) => PyValue[], evalKwargs: (f: Frame) => Kwargs): Eval {
    const rt = this.rt;
    const func = e.func as Extract<Expr, { kind: 'Attribute' }>;
    const name = func.attr;
    const pos = e.pos;
    const hook = this.onPosition;
    const isTensor = this.isTensor!;
    const onTemporary = this.onTemporary!;
    const recv = func.value;
    const receiverTemp = (recv.kind === 'BinOp' && ARITH_OPS.has(recv.op)) || (recv.kind === 'Call' && recv.func.kind === 'Attribute' && TEMP_METHODS.has(recv.func.attr));
    const plain = (v: PyValue): boolean => v === null || typeof v === 'number' || typeof v === 'boolean' || v instanceof PyFloat || isTensor(v);
    return (f) => {
      const o = obj(f);
      const oTemp = receiverTemp && o !== null && this.lastTemp === o;
      const a = evalArgs(f);
      const k = evalKwargs(f);
      this.lastTemp = null;
      this.pos = pos;
      if (hook !== undefined) hook(pos);
      const res = rt.callMethod(o, name, a, k);
      if (isTensor(o) && isTensor(res) && res !== o && a.every(plain) && (k === null || [...k.values()].every(plain))) {
        if (oTemp) onTemporary(o, res);
        this.lastTemp = res;
      }
      return res;
    };
  }

  private compileFString(parts: (string | FormattedValue)[], scope: Scope): Eval {
    const rt = this.rt;
    const pieces = parts.map((p) => {
      if (typeof p === 'string') return () => p;
      const value = this.compileExpr(p.value, scope);
      const spec = p.spec ? this.compileFString(p.spec, scope) : null;
      const conv = p.conversion;
      const debug = p.debugText ?? '';
      const pos = p.value.pos;
      return (f: Frame): string => {
        let v = value(f);
        const s = spec ? (spec(f) as string) : '';
        this.pos = pos;
        if (conv === 'r') v = rt.repr(v);
        else if (conv === 'a') v = asciiRepr(rt.repr(v));
        else if (conv === 's') v = rt.str(v);
        return debug + rt.format(v, s);
      };
    });
    if (pieces.length === 1) return pieces[0];
    return (f) => {
      let out = '';
      for (const p of pieces) out += p(f);
      return out;
    };
  }

  /**
   * `(elt for x in it if c)`: lazy, as Python's (it may run over an endless iterator, and its items are computed
   * as they are taken). The first iterable is evaluated, and iter() taken of it, when the expression is.
   */
  private compileGeneratorExp(e: Extract<Expr, { kind: 'ListComp' | 'SetComp' | 'GeneratorExp' }>, outer: Scope): Eval {
    const rt = this.rt;
    const inner = new Scope('function', outer);
    inner.qualname = outer.qualify('<genexpr>');
    for (const g of e.generators) for (const n of targetNames(g.target)) inner.add(n);
    const firstIter = this.compileIterable(e.generators[0].iter, outer);
    const levels = e.generators.map((g, i) => ({
      iter: i === 0 ? null : this.compileIterable(g.iter, inner),
      store: this.compileStore(g.target, inner),
      ifs: g.ifs.map((c) => this.compileTest(c, inner)),
      pos: g.iter.pos,
    }));
    const elt = this.compileExpr(e.elt, inner);
    const self = this;
    function* loop(f: Frame, level: number, it: PyIterator): Generator<PyValue, void, undefined> {
      const L = levels[level];
      outer: for (let x = it.next(); x !== undefined; x = it.next()) {
        if (++self.steps > self.stepBudget) self.budgetExceeded(L.pos);
        L.store(f, x);
        for (const c of L.ifs) if (!c(f)) continue outer;
        if (level + 1 < levels.length) {
          const next = levels[level + 1];
          const v = next.iter!(f);
          self.pos = next.pos;
          yield* loop(f, level + 1, rt.iter(v));
        } else yield elt(f);
      }
    }
    return (f) => {
      const iterable = firstIter(f);
      this.pos = levels[0].pos;
      const it = rt.iter(iterable);
      const frame = new Frame(new Array(inner.slots.size), f);
      return new JsIterator(loop(frame, 0, it), 'generator');
    };
  }

  /**
   * Comprehensions run in their own scope (a fresh frame over the enclosing one). `emit` pushes the
   * element(s) for one innermost iteration.
   */
  private compileComprehension(
    generators: Comprehension[],
    outer: Scope,
    makeEmit: (inner: Scope) => (f: Frame, out: PyValue[]) => void,
  ): (f: Frame) => PyValue[] {
    const rt = this.rt;
    const inner = new Scope('function', outer);
    inner.qualname = outer.qualify('<listcomp>');
    for (const g of generators) for (const n of targetNames(g.target)) inner.add(n);
    // The first iterable is evaluated in the enclosing scope.
    const firstIter = this.compileIterable(generators[0].iter, outer);
    const levels = generators.map((g, i) => ({
      iter: i === 0 ? null : this.compileIterable(g.iter, inner),
      store: this.compileStore(g.target, inner),
      ifs: g.ifs.map((c) => this.compileTest(c, inner)),
      pos: g.iter.pos,
    }));
    const emit = makeEmit(inner);
    const nslots = () => inner.slots.size;
    const loop = (f: Frame, level: number, iterable: PyValue, out: PyValue[]): void => {
      const L = levels[level];
      this.pos = L.pos;
      const it = rt.iter(iterable);
      for (let x = it.next(); x !== undefined; x = it.next()) {
        if (++this.steps > this.stepBudget) this.budgetExceeded(L.pos);
        L.store(f, x);
        let ok = true;
        for (const c of L.ifs) {
          if (!c(f)) {
            ok = false;
            break;
          }
        }
        if (!ok) continue;
        if (level + 1 < levels.length) loop(f, level + 1, levels[level + 1].iter!(f), out);
        else emit(f, out);
      }
    };
    return (f) => {
      const iterable = firstIter(f);
      const frame = new Frame(new Array(nslots()), f);
      const out: PyValue[] = [];
      loop(frame, 0, iterable, out);
      return out;
    };
  }
}

function frameAt(f: Frame, depth: number): Frame {
  let fr = f;
  for (let i = 0; i < depth; i++) fr = fr.parent!;
  return fr;
}

function constValue(v: import('./ast').ConstValue): PyValue {
  if (v === null || typeof v !== 'object') return v;
  if ('float' in v) return new PyFloat(v.float);
  return Ellipsis;
}

/**
 * A frozenset constant as CPython's compiler makes it: built from the items, then built again from its own
 * iteration order when the compiler merges constants (merge_consts_recursive).
 */
function constantFrozenset(items: PyValue[]): PySet {
  return new PySet(new PySet(items, true).items(), true);
}

/** Whether an `except X` clause takes the exception `value` (a builtin exception's or a program class's instance). */
export function exceptionMatches(value: PyValue, x: PyValue): boolean {
  if (value instanceof PyExceptionValue) return x instanceof PyExceptionType && value.type.isSubclassOf(x);
  const cls = classOf(value);
  if (!cls?.exceptionBase) return false;
  if (x instanceof PyClass) return cls.isSubclassOf(x);
  return x instanceof PyExceptionType && (cls.exceptionBase as PyExceptionType).isSubclassOf(x);
}

/** Whether CPython's compiler folds the expression to a constant (a number, string, or tuple of such). */
function isConstant(e: Expr): boolean {
  if (e.kind === 'Const') return true;
  if (e.kind === 'UnaryOp' && (e.op === '-' || e.op === '+')) return e.operand.kind === 'Const' && typeof e.operand.value !== 'string';
  if (e.kind === 'Tuple') return e.elts.every(isConstant);
  return false;
}

function quoteList(names: string[]): string {
  const q = names.map((n) => `'${n}'`);
  if (q.length === 1) return q[0];
  if (q.length === 2) return `${q[0]} and ${q[1]}`;
  return `${q.slice(0, -1).join(', ')}, and ${q[q.length - 1]}`;
}

function targetNames(t: Expr, out: string[] = []): string[] {
  if (t.kind === 'Name') out.push(t.id);
  else if (t.kind === 'Tuple' || t.kind === 'List') for (const e of t.elts) targetNames(e, out);
  else if (t.kind === 'Starred') targetNames(t.value, out);
  return out;
}

/**
 * The expressions a statement evaluates in its own scope, not those of the statements it holds (below) nor
 * a function's body: decorators, defaults and bases run where the def or class statement is.
 */
function ownExprs(s: Stmt): (Expr | null | undefined)[] {
  switch (s.kind) {
    case 'ExprStmt':
    case 'Return':
      return [s.value];
    case 'Assign':
      return [...s.targets, s.value];
    case 'AugAssign':
      return [s.target, s.value];
    case 'AnnAssign':
      return [s.target, s.annotation, s.value];
    case 'For':
      return [s.target, s.iter];
    case 'While':
    case 'If':
      return [s.test];
    case 'With':
      return s.items.flatMap((it) => [it.expr, it.target]);
    case 'FunctionDef':
      return [...s.decorators, ...s.params.params.map((p) => p.default), ...s.params.kwonly.map((p) => p.default)];
    case 'ClassDef':
      return [...s.decorators, ...s.bases];
    case 'Delete':
      return s.targets;
    case 'Assert':
      return [s.test, s.msg];
    case 'Raise':
      return [s.exc, s.cause];
    case 'Try':
      return s.handlers.map((h) => h.type);
    case 'Match':
      return [s.subject, ...s.cases.map((c) => c.guard)];
    default:
      return [];
  }
}

/** The statement lists a statement holds and runs in its own scope (not a function's or class's body). */
function ownBodies(s: Stmt): Stmt[][] {
  switch (s.kind) {
    case 'For':
    case 'While':
    case 'If':
      return [s.body, s.orelse];
    case 'With':
      return [s.body];
    case 'Try':
      return [s.body, ...s.handlers.map((h) => h.body), s.orelse, s.finalbody];
    case 'Match':
      return s.cases.map((c) => c.body);
    default:
      return [];
  }
}

/** Names a function body binds (its locals), not looking into nested functions or comprehensions. */
function collectLocals(body: Stmt[], out = new Set<string>()): Set<string> {
  for (const s of body) {
    for (const e of ownExprs(s)) walrusTargets(e ?? null, out);
    switch (s.kind) {
      case 'Assign':
        for (const t of s.targets) for (const n of targetNames(t)) out.add(n);
        break;
      case 'AugAssign':
      case 'AnnAssign':
        if (s.target.kind === 'Name') out.add(s.target.id);
        break;
      case 'For':
        for (const n of targetNames(s.target)) out.add(n);
        break;
      case 'With':
        for (const it of s.items) if (it.target) for (const n of targetNames(it.target)) out.add(n);
        break;
      case 'FunctionDef':
      case 'ClassDef':
        out.add(s.name);
        break;
      case 'Import':
        for (const n of s.names) out.add(n.asname ?? n.name.split('.')[0]);
        break;
      case 'ImportFrom':
        for (const n of s.names) out.add(n.asname ?? n.name);
        break;
      case 'Delete':
        for (const t of s.targets) for (const n of targetNames(t)) out.add(n);
        break;
      case 'Match':
        for (const c of s.cases) patternNames(c.pattern, out);
        break;
      case 'Try':
        for (const h of s.handlers) if (h.name) out.add(h.name);
        break;
    }
    for (const b of ownBodies(s)) collectLocals(b, out);
  }
  return out;
}

/** Whether statements hold a yield of their own (not one of a function or class they define). */
function hasYield(body: Stmt[]): boolean {
  return body.some((s) => ownExprs(s).some((e) => exprHasYield(e ?? null)) || ownBodies(s).some(hasYield));
}

/** The names a case pattern binds. */
function patternNames(p: Pattern, out: Set<string>): void {
  switch (p.kind) {
    case 'MatchCapture':
    case 'MatchStar':
      if (p.name !== null) out.add(p.name);
      break;
    case 'MatchAs':
      out.add(p.name);
      patternNames(p.pattern, out);
      break;
    case 'MatchOr':
    case 'MatchSequence':
      for (const q of p.patterns) patternNames(q, out);
      break;
    case 'MatchMapping':
      for (const q of p.patterns) patternNames(q, out);
      if (p.rest) out.add(p.rest);
      break;
    case 'MatchClass':
      for (const q of [...p.patterns, ...p.kwdPatterns]) patternNames(q, out);
      break;
  }
}

/** An expression's operands in the order Python evaluates them (lambdas and comprehensions have none: own scopes). */
function operands(e: Expr): Expr[] {
  switch (e.kind) {
    case 'BinOp':
      return [e.left, e.right];
    case 'UnaryOp':
      return [e.operand];
    case 'BoolOp':
      return [...e.values];
    case 'IfExp':
      return [e.test, e.body, e.orelse];
    case 'Compare':
      return [e.left, ...e.comparators];
    case 'Call':
      return [e.func, ...e.args, ...e.keywords.map((k) => k.value)];
    case 'Attribute':
    case 'Starred':
    case 'YieldFrom':
    case 'NamedExpr':
      return [e.value];
    case 'Yield':
      return e.value ? [e.value] : [];
    case 'Subscript':
      return [e.value, e.index];
    case 'Slice':
      return [e.lower, e.upper, e.step].filter((x): x is Expr => x !== null);
    case 'Tuple':
    case 'List':
    case 'Set':
      return [...e.elts];
    case 'Dict': {
      const out: Expr[] = [];
      e.keys.forEach((k, i) => {
        if (k) out.push(k);
        out.push(e.values[i]);
      });
      return out;
    }
    case 'FString':
      return e.parts.filter((p): p is FormattedValue => typeof p !== 'string').map((p) => p.value);
    default:
      return [];
  }
}

/** `e` with its operands (in the order of `operands`) replaced by `ops` (BinOp ... FString; see hoistOperands). */
function rebuild(e: Expr, ops: Expr[]): Expr {
  let k = 0;
  const next = (): Expr => ops[k++];
  switch (e.kind) {
    case 'BinOp':
      return { ...e, left: next(), right: next() };
    case 'UnaryOp':
      return { ...e, operand: next() };
    case 'Compare':
      return { ...e, left: next(), comparators: e.comparators.map(next) };
    case 'Call':
      return { ...e, func: next(), args: e.args.map(next), keywords: e.keywords.map((kw) => ({ ...kw, value: next() })) };
    case 'Attribute':
    case 'Starred':
    case 'NamedExpr':
      return { ...e, value: next() };
    case 'Subscript':
      return { ...e, value: next(), index: next() };
    case 'Slice':
      return { ...e, lower: e.lower && next(), upper: e.upper && next(), step: e.step && next() };
    case 'Tuple':
    case 'List':
    case 'Set':
      return { ...e, elts: e.elts.map(next) };
    case 'Dict': {
      const keys: (Expr | null)[] = [];
      const values: Expr[] = [];
      e.keys.forEach((key) => {
        keys.push(key && next());
        values.push(next());
      });
      return { ...e, keys, values };
    }
    case 'FString':
      return { ...e, parts: e.parts.map((p) => (typeof p === 'string' ? p : { ...p, value: next() })) };
    default:
      return e;
  }
}

/** Whether an expression holds a yield (not one of a lambda or comprehension in it). */
function exprHasYield(e: Expr | null): boolean {
  if (e === null) return false;
  if (e.kind === 'Yield' || e.kind === 'YieldFrom') return true;
  return operands(e).some(exprHasYield);
}

/** What calling a generator function returns: an iterator that runs the body up to each yield. */
export class PyGenerator extends PyIterator {
  private running = false;
  private started = false;
  private done = false;
  constructor(
    readonly name: string,
    readonly qualname: string,
    private readonly interp: Interpreter,
    private readonly body: Generator<PyValue, Status, PyValue | undefined>,
    private readonly frame: Frame,
    private readonly library: boolean,
  ) {
    super();
  }
  /** What the body returned (`return v`), once it has. */
  private returned: PyValue | undefined = undefined;
  override stopValue(): PyValue | undefined {
    return this.returned;
  }
  override get typeName(): string {
    return 'generator';
  }
  next(): PyValue | undefined {
    return this.send(null);
  }
  /** The next yielded value (undefined once the body has returned), sending `value` in as the yield's result. */
  send(value: PyValue): PyValue | undefined {
    if (this.done) return undefined;
    if (!this.started && value !== null) throw typeError("can't send non-None value to a just-started generator");
    this.started = true;
    if (this.running) throw new PyError('ValueError', 'generator already executing');
    this.running = true;
    try {
      const r = this.interp.resumeGenerator(this.body, value, this.library);
      if (r.done) {
        this.done = true;
        if (r.value === RETURN && this.frame.ret !== null) this.returned = this.frame.ret;
      }
      return r.done ? undefined : r.value;
    } catch (e) {
      this.done = true;
      throw e;
    } finally {
      this.running = false;
    }
  }
  /** generator.throw: the error raised where the body is suspended; the next value it yields, or undefined. */
  throwIn(err: PyError): PyValue | undefined {
    if (this.done || !this.started) {
      this.done = true;
      throw err;
    }
    if (this.running) throw new PyError('ValueError', 'generator already executing');
    this.running = true;
    try {
      const r = this.body.throw(err);
      if (r.done) {
        this.done = true;
        if (r.value === RETURN && this.frame.ret !== null) this.returned = this.frame.ret;
        return undefined;
      }
      return r.value;
    } catch (e) {
      this.done = true;
      throw e;
    } finally {
      this.running = false;
    }
  }

  /** generator.close: GeneratorExit where the body is suspended, so its finally clauses run. */
  close(generatorExit: PyExceptionType): void {
    if (this.done) return;
    if (!this.started) {
      this.done = true;
      return;
    }
    const err = new PyError('GeneratorExit', '');
    err.value = new PyExceptionValue(generatorExit, []);
    try {
      if (this.throwIn(err) !== undefined) throw new PyError('RuntimeError', 'generator ignored GeneratorExit');
    } catch (e) {
      if (e instanceof PyError && (e.type === 'GeneratorExit' || e.type === 'StopIteration')) return;
      throw e;
    }
  }

  /** `yield from` this generator: its values, sending through what the outer generator receives. */
  *delegate(): Generator<PyValue, PyValue, PyValue | undefined> {
    let sent: PyValue = null;
    for (;;) {
      const v = this.send(sent);
      if (v === undefined) return this.returned ?? null;
      sent = (yield v) ?? null;
    }
  }
}

/** The names a body declares `global` (or `nonlocal`), not looking into the functions and classes it defines. */
function collectGlobals(body: Stmt[], out: Set<string>, kind: 'Global' | 'Nonlocal' = 'Global'): void {
  for (const s of body) {
    if (s.kind === kind) for (const n of s.names) out.add(n);
    else if (s.kind === 'For' || s.kind === 'While' || s.kind === 'If') {
      collectGlobals(s.body, out, kind);
      collectGlobals(s.orelse, out, kind);
    } else if (s.kind === 'With') collectGlobals(s.body, out, kind);
    else if (s.kind === 'Try') {
      collectGlobals(s.body, out, kind);
      for (const h of s.handlers) collectGlobals(h.body, out, kind);
      collectGlobals(s.orelse, out, kind);
      collectGlobals(s.finalbody, out, kind);
    }
  }
}

/** Where a body declares `nonlocal name` (for the SyntaxError when nothing encloses it). */
function nonlocalPos(body: Stmt[], name: string): Pos | undefined {
  for (const s of body) {
    if (s.kind === 'Nonlocal' && s.names.includes(name)) return s.pos;
    const inner =
      s.kind === 'For' || s.kind === 'While' || s.kind === 'If'
        ? [...s.body, ...s.orelse]
        : s.kind === 'With'
          ? s.body
          : s.kind === 'Try'
            ? [...s.body, ...s.handlers.flatMap((h) => h.body), ...s.orelse, ...s.finalbody]
            : [];
    const p = nonlocalPos(inner, name);
    if (p) return p;
  }
  return undefined;
}

/** Targets of `name := value` in an expression, comprehensions included (they bind in the enclosing scope). */
function walrusTargets(e: Expr | null, out: Set<string>): void {
  if (e === null) return;
  switch (e.kind) {
    case 'NamedExpr':
      out.add(e.target.id);
      walrusTargets(e.value, out);
      return;
    case 'ListComp':
    case 'SetComp':
    case 'GeneratorExp':
    case 'DictComp':
      if (e.kind === 'DictComp') {
        walrusTargets(e.key, out);
        walrusTargets(e.value, out);
      } else walrusTargets(e.elt, out);
      for (const g of e.generators) {
        walrusTargets(g.iter, out);
        for (const c of g.ifs) walrusTargets(c, out);
      }
      return;
    default:
      for (const o of operands(e)) walrusTargets(o, out);
  }
}

export type { BinOp };
