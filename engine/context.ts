// The engine's global state: grad mode, id counters, the event stream, the current source position,
// and the allocation budget. One engine per JS realm (a page's worker, a Node process).
import { EventStream, type SourcePos } from './events';

export class EngineError extends Error {
  /** The Python exception type this error surfaces as in the language: RuntimeError, IndexError, ... */
  constructor(
    readonly pyType: string,
    message: string,
  ) {
    super(message);
  }
}

/** PyTorch's errors are RuntimeErrors unless stated otherwise. */
export const runtimeError = (message: string): EngineError => new EngineError('RuntimeError', message);

export const engine = {
  events: new EventStream(),
  gradEnabled: true,
  /** torch.autograd.set_detect_anomaly: backward checks each node's gradients for NaN. */
  anomaly: false,
  /** The program position being evaluated; the interpreter updates it, events carry it. */
  pos: undefined as SourcePos | undefined,
  nextTensorId: 1,
  nextNodeId: 1,
  /** Largest number of elements one tensor may have (a runaway allocation stops with a clear error). */
  maxElements: 256 * 1024 * 1024,
};

export const events = engine.events;

export function newTensorId(): number {
  return engine.nextTensorId++;
}

/**
 * Advances the tensor numbering as if n tensors had been made. A fused path (one pass where the ops it stands
 * for make intermediate tensors) calls it so that every later tensor keeps the id, and the event stream the
 * content, that the unfused ops give.
 */
export function skipTensorIds(n: number): void {
  engine.nextTensorId += n;
}

export function newNodeId(): number {
  return engine.nextNodeId++;
}

export function isGradEnabled(): boolean {
  return engine.gradEnabled;
}

export function setGradEnabled(enabled: boolean): void {
  if (engine.gradEnabled === enabled) return;
  engine.gradEnabled = enabled;
  if (engine.events.active) engine.events.emit({ type: 'grad-mode', enabled, pos: engine.pos });
}

/** Runs fn with grad mode off, as `with torch.no_grad():` does. */
export function noGrad<T>(fn: () => T): T {
  const prev = engine.gradEnabled;
  setGradEnabled(false);
  try {
    return fn();
  } finally {
    setGradEnabled(prev);
  }
}

/** Runs fn with grad mode set to `enabled`, restoring it after. */
export function withGradMode<T>(enabled: boolean, fn: () => T): T {
  const prev = engine.gradEnabled;
  engine.gradEnabled = enabled;
  try {
    return fn();
  } finally {
    engine.gradEnabled = prev;
  }
}

/** Grad mode on (backward's formulas under create_graph=True). */
export const withGrad = <T>(fn: () => T): T => withGradMode(true, fn);

/** Internal: runs fn with grad mode off without emitting events (backward formulas, optimizers' internals). */
export function withoutGrad<T>(fn: () => T): T {
  return withGradMode(false, fn);
}

export function checkAllocation(numel: number, bytesPerElement: number): void {
  if (!Number.isFinite(numel) || numel > engine.maxElements) throw allocationError(numel * bytesPerElement);
}

/** PyTorch's words for memory it could not get. */
export const allocationError = (bytes: number): EngineError =>
  runtimeError(`[enforce fail at alloc_cpu.cpp:75] . DefaultCPUAllocator: can't allocate memory: you tried to allocate ${bytes} bytes. Error code 12 (Cannot allocate memory)`);
