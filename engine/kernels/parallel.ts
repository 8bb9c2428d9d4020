// A second thread for the kernels: one helper thread (a Web Worker, or a worker_threads Worker in Node)
// that shares a SharedArrayBuffer with the engine's thread and takes tickets of a job the engine posts,
// so a kernel stays synchronous for its caller while two cores work on it.
//
// Note: the engine never creates threads (it stays pure: no DOM, no Node). A host creates the helper and
// hands the engine something that can post one message to it (installGemmHelper in ./matmul); the
// helper's entry passes that message to serveGemmHelper, which blocks in Atomics.wait for good. The
// helper cannot receive another message while it blocks, so everything after the first message goes
// through memory: fixed-size buffers allocated at install.
//
// Jobs are of several kinds (JobKind: the gemm's tiles, Winograd's products, the tap-wise products),
// each with its parameters and its own layout of the shared data; the protocol is the same for all, and
// so are the fallbacks. The one rule every kind keeps is the split of the data (SHARED_OUT): inputs below,
// the helper's results above.
//
// The protocol, per job:
//   the engine writes the job's kind and parameters under a seqlock (SEQ odd while writing, even when done; the
//   even value is the job's id), bumps SEQ and notifies; the job is the tickets [BASE, END) of the
//   ever-growing counter NEXT; both threads take tickets from NEXT (the helper by compare-and-swap, so a
//   helper that woke late and still holds an old job's parameters can never take a ticket of a newer
//   job); the helper marks each ticket it finished with the job's id in DONE (and counts it in HFIN,
//   with a notify); the engine collects the helper's finished tickets between its own, and once NEXT
//   reaches END sleeps on HFIN (Atomics.wait with a timeout) for the ones still out. Sleeping rather
//   than polling matters when the two threads share one core (the other busy with another process):
//   measured on the 2-core box in that state, 512³ took ~60 ms on two threads with a polling engine
//   against ~54 ms on one, and ~33 ms with the sleeping one.
// Nothing waits for the helper: a helper that is not up yet, descheduled, or gone takes no tickets, and
// the engine does them all. A ticket the helper took and has not finished after about three tickets'
// time (descheduled on a busy machine, or dead) the engine does itself, and ignores the helper's result
// for it when it comes (the id no longer matches). A helper that makes no progress for seconds after that
// is given up on. Before the packing that precedes a job the engine wakes a sleeping helper (wake), so
// its wake-up, ~0.1 ms, overlaps the packing.

/** What a host gives the engine: a helper thread (or its port) that accepts one message. */
export interface HelperTarget {
  postMessage(message: unknown): void;
}

/** The one message a helper receives. */
export interface HelperMessage {
  protocol: typeof PROTOCOL;
  ctrl: SharedArrayBuffer;
  data: SharedArrayBuffer;
}

export const PROTOCOL = 'autograd-playground/parallel/2';

// Int32 slots of the control buffer (each on its own 64-byte line, so the two threads do not contend).
const SLOT = 16;
const SEQ = 0;
const NEXT = 1 * SLOT;
const STATE = 2 * SLOT;
/** Units of work (tiles) done by the helper, for tests and to see that it makes progress. */
const HWORK = 3 * SLOT;
/** Tickets finished by the helper (wrapping int32): the engine sleeps on it while the helper works. */
const HFIN = 4 * SLOT + 8;
const BASE = 4 * SLOT;
const END = BASE + 1;
/** The job's kind (JobKind), then its parameters: PARAM_COUNT int32s. */
const KIND = 5 * SLOT;
const PARAMS = KIND + 1;
export const PARAM_COUNT = 31;
/** Per ticket of the current job: the id of the job in which the helper finished it. */
const DONE = PARAMS + PARAM_COUNT + SLOT;
export const MAX_TICKETS = 64;
const CTRL_INTS = DONE + MAX_TICKETS;

/**
 * What a job's tickets are; the helper's entry (serveGemmHelper in ./matmul) runs each kind's ticket.
 * One protocol for all of them: only the parameters and the layout of the shared data differ.
 */
export const JobKind = {
  /** MR×NR tiles of one (pc, ic) block of the packed gemm (./matmul). */
  gemm: 0,
  /** Row blocks of Winograd's 16 products (./convWinograd). */
  winograd: 1,
  /** Row panels of the tap-wise products (./convTap). */
  taps: 2,
} as const;
export type JobKind = (typeof JobKind)[keyof typeof JobKind];

/**
 * The shared data buffer, in float64s, and its one split for every kind of job: the job's inputs (packed
 * or transformed operands, written by the engine before it posts) in [0, SHARED_OUT), the helper's results
 * in [SHARED_OUT, SHARED_LENGTH). A helper that is still finishing a ticket of an old job (taken back from
 * it) reads stale or half-rewritten inputs, which only spoils results the engine ignores, and writes only
 * at or above SHARED_OUT, where no job's inputs are; the helper never takes indices from the shared data
 * without clamping them to its own ticket's results. 819,200 float64s (6.25 MiB): the gemm's packed B
 * (KC×NC) and A (MC×KC) below SHARED_OUT, its C scratch (MC×NC) above; the convolutions fit their jobs in
 * the same areas (or stay on one thread for a job that does not fit).
 */
export const SHARED_OUT = 557_056;
export const SHARED_LENGTH = 819_200;

const STARTING = 0;
const SERVING = 1;
const QUIT = 2;

/** A helper that holds a ticket past its turn and then does no work for this long is given up on. */
const HELPER_DEADLINE_MS = 2000;
/**
 * Busy polls before the helper blocks between jobs: about 100 µs (a poll is ~6 ns), longer than the
 * engine's packing between the blocks of one product, so the helper does not fall asleep between them.
 */
const HELPER_SPINS = 16_000;
/** Polls of the helper's tickets before the engine sleeps on HFIN (each a few loads: some µs in all). */
const SETTLE_SPINS = 64;
/** NEXT grows by one per ticket; it restarts from 0 before it could overflow an int32. */
const NEXT_LIMIT = 1 << 30;

const clock: { now(): number } = (globalThis as { performance?: { now(): number } }).performance ?? Date;

/**
 * Whether this thread can share memory and block on it: SharedArrayBuffer exists (in a browser, only
 * when the page is cross-origin isolated) and Atomics.wait is allowed (not on a browser's main thread).
 */
export function canBlockOnSharedMemory(): boolean {
  if (typeof SharedArrayBuffer !== 'function' || typeof Atomics !== 'object') return false;
  try {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1, 0);
    return true;
  } catch {
    return false;
  }
}

/** The engine's end of an installed helper. */
export class HelperChannel {
  readonly ctrl: Int32Array;
  /** The shared data buffer, as float64s. */
  readonly data: Float64Array;
  /** The same buffer as float32s (for operands copied as they are). */
  readonly data32: Float32Array;
  /** Set when the helper was given up on or uninstalled: never used again. */
  dead = false;
  /** Tickets the helper took and the engine then did itself (a slow or stalled helper). */
  takenBack = 0;
  /** Jobs posted, by JobKind (tests use it to see which paths went to two threads). */
  readonly posted = [0, 0, 0];
  private job = 0;
  private base = 0;
  private end = 0;
  /** Since a ticket was taken back from the helper: when, and the helper's work count then. */
  private stuckSince = -1;
  private stuckWork = 0;
  /** Tickets below this are the engine's or collected. */
  private collected = 0;

  constructor(ctrl: Int32Array, data: Float64Array) {
    this.ctrl = ctrl;
    this.data = data;
    this.data32 = new Float32Array(data.buffer, data.byteOffset, data.length * 2);
  }

  /** Whether the helper has started serving (it may still be busy or descheduled). */
  get serving(): boolean {
    return !this.dead && Atomics.load(this.ctrl, STATE) === SERVING;
  }

  /** Units of work the helper reported, over its life. */
  get helperWork(): number {
    return Atomics.load(this.ctrl, HWORK);
  }

  /**
   * Posts a job of `kind` with `tickets` (at most MAX_TICKETS) tickets and its parameters (at most
   * PARAM_COUNT, read by the helper as int32s). The shared data the job reads must be written before this
   * call and left alone until settle() returns.
   */
  post(kind: JobKind, params: ArrayLike<number>, tickets: number): void {
    const c = this.ctrl;
    if (this.stuckSince >= 0) this.checkStuck();
    const seq = c[SEQ];
    Atomics.store(c, SEQ, seq + 1); // odd: parameters being written
    let base = Atomics.load(c, NEXT);
    if (base > NEXT_LIMIT) {
      base = 0;
      Atomics.store(c, NEXT, 0);
    }
    c[KIND] = kind;
    this.posted[kind]++;
    for (let i = 0; i < params.length; i++) c[PARAMS + i] = params[i];
    c[BASE] = base;
    c[END] = base + tickets;
    this.base = base;
    this.end = base + tickets;
    this.job = (seq + 2) | 0;
    this.collected = 0;
    Atomics.store(c, SEQ, this.job);
    Atomics.notify(c, SEQ, 1);
  }

  /**
   * Wakes the helper if it sleeps, without a job: it then polls for one for a while. Called before work
   * that precedes a post (packing), so the helper's wake-up overlaps it instead of the job.
   */
  wake(): void {
    Atomics.notify(this.ctrl, SEQ, 1);
  }

  /** The engine's next ticket of the posted job (0-based), or -1 when all are taken. */
  take(): number {
    const v = Atomics.add(this.ctrl, NEXT, 1);
    return v < this.end ? v - this.base : -1;
  }

  /**
   * After take() returned -1: for every ticket the engine did not take (`took[t]` is 0), calls
   * `fromHelper(t)` once the helper has finished it (its results are then in the shared data), or, when
   * the helper still holds it after about `patienceMs`, `takeBack(t)`, and the engine must do it itself.
   */
  settle(took: Uint8Array, patienceMs: number, fromHelper: (t: number) => void, takeBack: (t: number) => void): void {
    if (this.collect(took, fromHelper) === 0) return;
    const c0 = this.ctrl;
    const start = clock.now();
    // Poll briefly, then sleep until the helper finishes a ticket: when the two threads share a core
    // (the other one busy), polling would only keep the helper from running.
    for (let i = 0; i < SETTLE_SPINS; i++) if (this.collect(took, fromHelper) === 0) return;
    for (;;) {
      const fin = Atomics.load(c0, HFIN);
      if (this.collect(took, fromHelper) === 0) return;
      const left = patienceMs - (clock.now() - start);
      if (left <= 0) break;
      Atomics.wait(c0, HFIN, fin, left);
    }
    const n = this.end - this.base;
    const c = this.ctrl;
    for (let t = 0; t < n; t++) {
      if (took[t]) continue;
      took[t] = 1;
      this.takenBack++;
      takeBack(t);
    }
    if (this.stuckSince < 0) {
      this.stuckSince = Date.now();
      this.stuckWork = Atomics.load(c, HWORK);
    }
  }

  /**
   * Calls `fromHelper(t)` for the tickets the helper has finished since the last call (marking them in
   * `took`), so the engine can store them between its own; returns how many tickets are neither the
   * engine's nor collected (only meaningful once take() has returned -1).
   */
  collect(took: Uint8Array, fromHelper: (t: number) => void): number {
    const c = this.ctrl;
    const n = this.end - this.base;
    let open = 0;
    for (let t = this.collected; t < n; t++) {
      if (took[t]) {
        if (open === 0) this.collected = t + 1;
        continue;
      }
      if (Atomics.load(c, DONE + t) === this.job) {
        took[t] = 1;
        if (open === 0) this.collected = t + 1;
        fromHelper(t);
      } else open++;
    }
    return open;
  }

  private checkStuck(): void {
    if (Atomics.load(this.ctrl, HWORK) !== this.stuckWork) this.stuckSince = -1;
    else if (Date.now() - this.stuckSince > HELPER_DEADLINE_MS) this.close();
  }

  /** Tells the helper to leave its loop (its thread may then end); the channel is not used again. */
  close(): void {
    if (this.dead) return;
    this.dead = true;
    const c = this.ctrl;
    Atomics.store(c, STATE, QUIT);
    Atomics.add(c, SEQ, 2);
    Atomics.notify(c, SEQ);
  }
}

// ---- the installed helper, shared by every kernel that posts jobs ----

let installed: HelperChannel | null = null;
let enabled = true;

/** Makes `channel` the helper the kernels use (closing a previous one). */
export function installChannel(channel: HelperChannel): void {
  if (installed !== channel) installed?.close();
  installed = channel;
}

/** Closes `channel`; the kernels stop using it if it is the installed one. */
export function uninstallChannel(channel: HelperChannel): void {
  channel.close();
  if (installed === channel) installed = null;
}

/** Jobs of `kind` posted to the installed helper (0 without one). */
export function jobsPosted(kind: JobKind): number {
  return installed === null ? 0 : installed.posted[kind];
}

/** Whether `channel` is the installed helper. */
export function isInstalled(channel: HelperChannel): boolean {
  return installed === channel;
}

/** The helper a kernel may post jobs to now: installed, enabled and not given up on; else null. */
export function activeChannel(): HelperChannel | null {
  const h = installed;
  if (h === null || !enabled) return null;
  if (h.dead) {
    installed = null;
    return null;
  }
  return h;
}

/** Turns the use of an installed helper off or back on; returns the previous setting. */
export function setParallelEnabled(on: boolean): boolean {
  const was = enabled;
  enabled = on;
  return was;
}

/** Threads the kernels run on now: 2 when a helper is installed, enabled and serving, else 1. */
export function kernelThreads(): number {
  return installed !== null && enabled && installed.serving ? 2 : 1;
}

/**
 * How long the engine waits for a ticket of `madds` multiply-adds that the helper holds: three tickets at
 * the engine's 2.5 multiply-adds per ns (the helper, reading data the other core wrote, runs at ~0.7 of
 * that), and at least 50 µs. A running helper is done by then; a descheduled one costs the engine that
 * wait plus the ticket.
 */
export function ticketPatienceMs(madds: number): number {
  return Math.max(0.05, madds / (2.5e6 / 3));
}

/**
 * Creates the shared buffers (`dataLength` float64s) and posts them to the helper that `spawn` returns.
 * Null, with no helper created, when this thread cannot share memory and block on it; null too when
 * spawning or posting fails.
 */
export function openHelperChannel(spawn: () => HelperTarget, dataLength: number): HelperChannel | null {
  if (!canBlockOnSharedMemory()) return null;
  try {
    const ctrl = new Int32Array(new SharedArrayBuffer(CTRL_INTS * 4));
    const data = new Float64Array(new SharedArrayBuffer(dataLength * 8));
    const message: HelperMessage = { protocol: PROTOCOL, ctrl: ctrl.buffer as SharedArrayBuffer, data: data.buffer as SharedArrayBuffer };
    spawn().postMessage(message);
    return new HelperChannel(ctrl, data);
  } catch {
    return null;
  }
}

/** A job's kind, parameters and shared data, as the helper sees them. */
export interface HelperJob {
  kind: number;
  params: Int32Array;
  data: Float64Array;
  /** `data`'s buffer as float32s. */
  data32: Float32Array;
}

/**
 * The helper's loop: waits for jobs and runs `work(job, ticket)` for every ticket it takes (work returns
 * the units it did, counted for tests). Returns only when the engine closes the channel. Throws on a
 * message that is not the protocol's.
 */
export function serveHelper(message: unknown, work: (job: HelperJob, ticket: number) => number): void {
  const m = message as Partial<HelperMessage> | null;
  if (!m || m.protocol !== PROTOCOL || !(m.ctrl instanceof SharedArrayBuffer) || !(m.data instanceof SharedArrayBuffer)) {
    throw new Error('serveHelper: not a helper message');
  }
  const c = new Int32Array(m.ctrl);
  const data = new Float64Array(m.data);
  const job: HelperJob = { kind: 0, params: new Int32Array(PARAM_COUNT), data, data32: new Float32Array(m.data) };
  Atomics.compareExchange(c, STATE, STARTING, SERVING);
  let seen = -1;
  for (;;) {
    let s = Atomics.load(c, SEQ);
    for (let i = 0; i < HELPER_SPINS && (s === seen || s & 1); i++) s = Atomics.load(c, SEQ);
    if (Atomics.load(c, STATE) === QUIT) return;
    if (s === seen || s & 1) {
      Atomics.wait(c, SEQ, s);
      continue;
    }
    job.kind = c[KIND];
    for (let i = 0; i < PARAM_COUNT; i++) job.params[i] = c[PARAMS + i];
    const base = c[BASE];
    const end = c[END];
    if (Atomics.load(c, SEQ) !== s) continue; // the engine rewrote the job while we read it
    seen = s;
    for (;;) {
      const v = Atomics.load(c, NEXT);
      if (v < base || v >= end) break;
      if (Atomics.compareExchange(c, NEXT, v, v + 1) !== v) continue;
      const done = work(job, v - base);
      Atomics.add(c, HWORK, done);
      Atomics.store(c, DONE + v - base, s);
      Atomics.add(c, HFIN, 1);
      Atomics.notify(c, HFIN);
    }
  }
}
