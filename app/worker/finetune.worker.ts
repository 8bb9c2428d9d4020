// The fine-tune worker: loads the pretrained small ResNet once, runs fine-tuning sessions
// (app/finetune/session.ts) in short chunks, and posts progress a few times per second. Between chunks it
// yields to its own message queue, so Pause, Reset and Show graph are answered within one chunk.
/// <reference lib="webworker" />
import type { PretrainedMeta } from '../../engine/models/pretrained';
import type { FromFinetune, ToFinetune } from '../finetune/protocol';
import { FinetuneSession, loadFrozen, type FrozenModel } from '../finetune/session';
import { startGemmHelper } from './gemm';

declare const self: DedicatedWorkerGlobalScope;

// A second thread for gemm (the backbone's convolutions) where the page is cross-origin isolated.
startGemmHelper();

/** Compute per chunk; a training step of the first epoch (32 images through the backbone) can take longer. */
const CHUNK_MS = 25;
/** Progress messages: at most this often (plus one at the end and at every change of state). */
const PROGRESS_MS = 200;

let session: FinetuneSession | null = null;
let frozen: { key: string; model: Promise<FrozenModel> } | null = null;
let scheduled = false;
let lastPost = 0;

const post = (m: FromFinetune, transfer: Transferable[] = []) => self.postMessage(m, transfer);

async function fetchBytes(url: string): Promise<Uint8Array> {
  const r = await fetch(url);
  if (!r.ok) throw new Error(`could not load ${url}: HTTP ${r.status}`);
  return new Uint8Array(await r.arrayBuffer());
}

/** The frozen model, loaded once per worker (a Reset only replaces the head). */
function modelFor(metaUrl: string, weightsUrl: string): Promise<FrozenModel> {
  const key = `${metaUrl} ${weightsUrl}`;
  if (!frozen || frozen.key !== key) {
    const model = (async () => {
      const [metaBytes, weights] = await Promise.all([fetchBytes(metaUrl), fetchBytes(weightsUrl)]);
      return loadFrozen(JSON.parse(new TextDecoder().decode(metaBytes)) as PretrainedMeta, weights);
    })();
    frozen = { key, model };
    model.catch(() => {
      if (frozen?.model === model) frozen = null;
    });
  }
  return frozen.model;
}

// A zero-delay yield: a MessageChannel round trip is not clamped like nested setTimeout(0).
const channel = new MessageChannel();
channel.port1.onmessage = () => {
  scheduled = false;
  runChunk();
};

function schedule(): void {
  if (scheduled) return;
  scheduled = true;
  channel.port2.postMessage(null);
}

function sendProgress(s: FinetuneSession): void {
  const p = s.progress();
  lastPost = performance.now();
  post(p, [p.losses.buffer]);
}

function runChunk(): void {
  const s = session;
  if (!s || !s.playing) return;
  try {
    s.runFor(CHUNK_MS);
  } catch (err) {
    s.playing = false;
    post({ type: 'failed', runId: s.runId, message: `Fine-tuning failed: ${err instanceof Error ? err.message : String(err)}` });
    return;
  }
  if (s.done || performance.now() - lastPost >= PROGRESS_MS) sendProgress(s);
  if (s.playing && !s.done) schedule();
}

self.onmessage = async (msg: MessageEvent<ToFinetune>) => {
  const m = msg.data;
  if (m.type === 'reset') {
    session = null;
    try {
      const model = await modelFor(m.metaUrl, m.weightsUrl);
      const s = new FinetuneSession(m.runId, m.recipe, model);
      session = s;
      const setup = s.setup();
      post(setup, [setup.sampleImages.buffer]);
      sendProgress(s);
    } catch (err) {
      post({ type: 'failed', runId: m.runId, message: `Could not load the pretrained model: ${err instanceof Error ? err.message : String(err)}` });
    }
    return;
  }
  const s = session;
  if (!s || m.runId !== s.runId) return;
  switch (m.type) {
    case 'play':
      if (s.done) return void sendProgress(s);
      s.playing = true;
      sendProgress(s);
      schedule();
      return;
    case 'pause':
      s.playing = false;
      sendProgress(s);
      return;
    case 'record':
      try {
        post(s.recordStep(m.requestId));
      } catch (err) {
        post({ type: 'failed', runId: s.runId, message: `Could not record a step: ${err instanceof Error ? err.message : String(err)}` });
      }
      return;
  }
};
