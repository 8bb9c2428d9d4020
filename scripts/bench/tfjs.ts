// TensorFlow.js as a peer: the pure-JS 'cpu' backend, and the 'wasm' backend where it initializes
// in Node. A backend that fails is reported and its rows skipped, never fatal.
import type { PeerEnv, Peer, TfjsHandle } from './types';

export const TFJS_BACKENDS = ['cpu', 'wasm'] as const;

export async function loadTfjs(log: (line: string) => void): Promise<TfjsHandle | null> {
  let tf: TfjsHandle['tf'];
  try {
    tf = await import('@tensorflow/tfjs');
  } catch (e) {
    log(`peers: @tensorflow/tfjs not loaded (${errorText(e)}); peer rows skipped`);
    return null;
  }
  // Production mode: no debug checks, as a deployed app would run it (and no Node.js banner).
  tf.enableProdMode();
  const backends: string[] = [];
  const failures: Record<string, string> = {};
  if (await tf.setBackend('cpu')) backends.push('cpu');
  else failures.cpu = 'setBackend(cpu) failed';
  let wasmInfo = '';
  try {
    await import('@tensorflow/tfjs-backend-wasm');
    // One thread, as the cpu backend and our one-thread rows: in a cross-origin isolated page the wasm
    // backend would otherwise start its own pthread workers.
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    if (!(await tf.setBackend('wasm'))) throw new Error('setBackend(wasm) returned false');
    await tf.ready();
    const simd = tf.env().getBool('WASM_HAS_SIMD_SUPPORT');
    const threads = tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT');
    wasmInfo = `wasm (SIMD ${simd ? 'on' : 'off'}, threads ${threads ? 'on' : 'off'})`;
    backends.push('wasm');
  } catch (e) {
    failures.wasm = errorText(e);
    wasmInfo = `wasm skipped: ${failures.wasm}`;
  }
  log(`peers: tfjs ${tf.version.tfjs}: ${backends.includes('cpu') ? 'cpu' : 'cpu failed'}; ${wasmInfo}`);
  return { tf, backends, failures };
}

/**
 * One Peer per tfjs backend. `build` runs after the backend is switched and returns the timed
 * function; tensors it creates are disposed at teardown. The timed function's own temporaries
 * should be released inside it (tf.tidy, and dataSync so that the work is complete).
 */
export function tfjsPeers(env: PeerEnv, build: (tf: TfjsHandle['tf']) => () => void): Peer[] {
  return TFJS_BACKENDS.map((backend): Peer => {
    let run: (() => void) | null = null;
    let tf: TfjsHandle['tf'] | null = null;
    return {
      name: `tfjs-${backend}`,
      async setup() {
        const t = await env.tfjs();
        if (!t) throw new Error('@tensorflow/tfjs not loaded');
        if (!t.backends.includes(backend)) throw new Error(t.failures[backend] ?? `backend ${backend} unavailable`);
        if (!(await t.tf.setBackend(backend))) throw new Error(`setBackend(${backend}) failed`);
        await t.tf.ready();
        tf = t.tf;
        tf.engine().startScope();
        run = build(tf);
      },
      run() {
        run!();
      },
      teardown() {
        tf?.engine().endScope();
        tf = null;
        run = null;
      },
    };
  });
}

export function errorText(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  return text.split('\n')[0].slice(0, 160);
}
