// Engine rows: the tutorial's 2000-iteration polynomial loop (through the language and through the API),
// the cost of events, one ResNet-18 training step and forward on 1×3×64×64, and one fine-tune epoch of the
// project's small ResNet (these three again on 2 threads when the gemm helper is installed). Peers:
// TensorFlow.js on the same work where it has it; for events, the engine itself without a listener.
import { readFileSync } from 'node:fs';
import * as E from '../../engine/index';
import { runProgram } from '../../engine/lang/run';
import { resnet18 } from '../../engine/models/resnet';
import { loadPretrained, type PretrainedMeta } from '../../engine/models/pretrained';
import { makeShapes, normalize, FINETUNE_CLASSES } from '../../engine/data/shapes';
import type { BenchCase, Peer, PeerEnv, Suite } from './types';
import { tfjsPeers } from './tfjs';
import { withTwoThreads } from './twoThreads';

const POLYFIT = JSON.parse(readFileSync(new URL('../../golden/polyfit.json', import.meta.url), 'utf8')).cases[0].program as string;

/** The tutorial's loop written against the engine's API, statement for statement. */
function polyfitApi(): number {
  const x = E.linspace(-Math.PI, Math.PI, 2000);
  const y = E.sin(x);
  const params = [-0.461, 0.731, 0.125, -0.902].map((v) => E.tensor({ float: v }, { requiresGrad: true }));
  const [a, b, c, d] = params;
  let loss = 0;
  for (let t = 0; t < 2000; t++) {
    const yPred = E.add(E.add(E.add(a, E.mul(b, x)), E.mul(c, E.pow(x, 2))), E.mul(d, E.pow(x, 3)));
    const l = E.sum(E.pow(E.sub(yPred, y), 2));
    E.backward(l);
    E.noGrad(() => {
      for (const p of params) {
        E.inplace(p, E.OPS.sub, [E.mul(1e-6, p.grad!)], {}, '-=');
        p.grad = null;
      }
    });
    loss = l.item();
  }
  return loss;
}

/** The same loop in TensorFlow.js: variables, tf.variableGrads, assign. */
function tfjsPolyfit(tf: typeof import('@tensorflow/tfjs')): () => void {
  return () => {
    const x = tf.linspace(-Math.PI, Math.PI, 2000);
    const y = tf.sin(x);
    const [a, b, c, d] = [-0.461, 0.731, 0.125, -0.902].map((v) => tf.variable(tf.scalar(v)));
    for (let t = 0; t < 2000; t++) {
      tf.tidy(() => {
        const { grads } = tf.variableGrads(() => {
          const yPred = a.add(b.mul(x)).add(c.mul(x.square())).add(d.mul(x.pow(3)));
          return yPred.sub(y).square().sum() as import('@tensorflow/tfjs').Scalar;
        });
        for (const v of [a, b, c, d]) v.assign(v.sub(grads[v.name].mul(1e-6)));
      });
    }
    a.dataSync();
    tf.dispose([x, y, a, b, c, d]);
  };
}

function withListener<T>(fn: () => T): T {
  let n = 0;
  const stop = E.events.subscribe(() => void n++);
  try {
    return fn();
  } finally {
    stop();
  }
}

const runPolyfitProgram = (): void => {
  const r = runProgram(POLYFIT, { onPrint: () => {} });
  if (!r.ok) throw new Error(r.error!.message);
};

/** ResNet-18's eval forward in TensorFlow.js ops (NHWC), with random weights and folded batch norm. */
function tfjsResnet18Forward(tf: typeof import('@tensorflow/tfjs')): () => void {
  const w = (kh: number, kw: number, ci: number, co: number) => tf.randomNormal([kh, kw, ci, co], 0, Math.sqrt(2 / (kh * kw * co))) as import('@tensorflow/tfjs').Tensor4D;
  const bn = (c: number) => ({ mean: tf.zeros([c]), variance: tf.ones([c]), scale: tf.ones([c]), offset: tf.zeros([c]) });
  type T4 = import('@tensorflow/tfjs').Tensor4D;
  const convBn = (x: T4, k: import('@tensorflow/tfjs').Tensor4D, b: ReturnType<typeof bn>, stride: number, pad: number | 'same' | 'valid') =>
    tf.batchNorm(tf.conv2d(x, k, stride, pad === 'same' || pad === 'valid' ? pad : [[0, 0], [pad, pad], [pad, pad], [0, 0]]), b.mean, b.variance, b.offset, b.scale, 1e-5) as T4;
  const stages = [64, 128, 256, 512];
  const stem = { k: w(7, 7, 3, 64), b: bn(64) };
  const blocks: { k1: T4; b1: ReturnType<typeof bn>; k2: T4; b2: ReturnType<typeof bn>; down?: { k: T4; b: ReturnType<typeof bn> }; stride: number }[] = [];
  let inC = 64;
  stages.forEach((c, s) => {
    for (let i = 0; i < 2; i++) {
      const stride = s > 0 && i === 0 ? 2 : 1;
      blocks.push({ k1: w(3, 3, inC, c), b1: bn(c), k2: w(3, 3, c, c), b2: bn(c), down: stride !== 1 || inC !== c ? { k: w(1, 1, inC, c), b: bn(c) } : undefined, stride });
      inC = c;
    }
  });
  const fcW = tf.randomNormal([512, 1000], 0, 0.02);
  const fcB = tf.zeros([1000]);
  const x0 = tf.randomUniform([1, 64, 64, 3]) as T4;
  return () =>
    tf.tidy(() => {
      let x = tf.relu(convBn(x0, stem.k, stem.b, 2, 3)) as T4;
      x = tf.maxPool(tf.pad(x, [[0, 0], [1, 1], [1, 1], [0, 0]], -Infinity) as T4, 3, 2, 'valid');
      for (const blk of blocks) {
        const id = blk.down ? convBn(x, blk.down.k, blk.down.b, blk.stride, 0) : x;
        let h = tf.relu(convBn(x, blk.k1, blk.b1, blk.stride, 1)) as T4;
        h = convBn(h, blk.k2, blk.b2, 1, 1);
        x = tf.relu(h.add(id)) as T4;
      }
      const pooled = tf.mean(x, [1, 2]);
      void tf.matMul(pooled, fcW).add(fcB).dataSync();
    });
}

function resnetStepCases(env: PeerEnv): BenchCase[] {
  let model: ReturnType<typeof resnet18>;
  let data: E.Tensor;
  let labels: E.Tensor;
  let optim: E.optim.SGD;
  return [
    {
      name: 'resnet18 train step 1×3×64×64',
      setup: () => {
        E.manualSeed(0);
        model = resnet18();
        data = E.rand([1, 3, 64, 64]);
        labels = E.rand([1, 1000]);
        optim = new E.optim.SGD(model.parameters(), { lr: 1e-2, momentum: 0.9 });
      },
      ours: () => {
        optim.zeroGrad(true);
        const prediction = model.call(data) as E.Tensor;
        E.backward(E.sum(E.sub(prediction, labels)));
        optim.step();
      },
      peers: [],
    },
    {
      name: 'resnet18 forward (eval) 1×3×64×64',
      setup: () => {
        E.manualSeed(0);
        model = resnet18();
        model.eval();
        data = E.rand([1, 3, 64, 64]);
      },
      ours: () => void E.noGrad(() => model.call(data)),
      peers: tfjsPeers(env, tfjsResnet18Forward),
    },
  ];
}

function finetuneEpochCase(): BenchCase {
  let run: () => void = () => {};
  return {
    name: 'small resnet fine-tune epoch (1200 images, batch 32, frozen backbone)',
    setup: () => {
      const meta = JSON.parse(readFileSync(new URL('../../public/models/small-resnet.json', import.meta.url), 'utf8')) as PretrainedMeta;
      const model = loadPretrained(meta, new Uint8Array(readFileSync(new URL('../../public/models/small-resnet.safetensors', import.meta.url))));
      for (const p of model.parameters()) p.requiresGrad = false;
      model.eval();
      E.manualSeed(0);
      const head = new E.nn.Linear(64, FINETUNE_CLASSES.length);
      model.setAttr('fc', head);
      const optim = new E.optim.SGD(head.parameters(), { lr: 0.05, momentum: 0.9 });
      const set = makeShapes({ classes: FINETUNE_CLASSES, perClass: 300, seed: 11 });
      const images = normalize(set.images);
      const per = 3 * set.size * set.size;
      run = () => {
        for (let i = 0; i < set.n; i += 32) {
          const n = Math.min(32, set.n - i);
          const x = E.fromData(images.slice(i * per, (i + n) * per), [n, 3, set.size, set.size], 'float32');
          const y = E.tensor(Array.from(set.labels.subarray(i, i + n)), { dtype: 'int64' });
          E.recycling(() => {
            optim.zeroGrad(true);
            E.backward(E.crossEntropy(model.call(x) as E.Tensor, y));
            optim.step();
          });
        }
      };
    },
    ours: () => run(),
    peers: [],
  };
}

let stepModel: ReturnType<typeof resnet18>;
let stepData: E.Tensor;
let stepLabels: E.Tensor;
function resnetStep(model: ReturnType<typeof resnet18>, data: E.Tensor, labels: E.Tensor): void {
  model.zeroGrad(true);
  E.backward(E.sum(E.sub(model.call(data) as E.Tensor, labels)));
}

export const engineSuite: Suite = (env) => {
  const withoutListener: Peer = { name: 'engine, no listener', run: runPolyfitProgram, sameEngine: true };
  return [
    { name: 'polyfit 2000 it, language (program as pasted)', ours: runPolyfitProgram, peers: tfjsPeers(env, tfjsPolyfit) },
    { name: 'polyfit 2000 it, engine API', ours: () => void polyfitApi(), peers: tfjsPeers(env, tfjsPolyfit) },
    { name: 'polyfit 2000 it, language, events on (every op)', ours: () => withListener(runPolyfitProgram), peers: [withoutListener] },
    {
      name: "polyfit 2000 it, language, events on (the app's 30 first + 20 last iterations)",
      ours: () => withListener(() => {
        const r = runProgram(POLYFIT, { onPrint: () => {}, recordIteration: (i, total) => i < 30 || (total !== undefined && i >= total - 20) });
        if (!r.ok) throw new Error(r.error!.message);
      }),
      peers: [withoutListener],
    },
    {
      name: 'resnet18 train step, events on',
      setup: () => {
        E.manualSeed(0);
        stepModel = resnet18();
        stepData = E.rand([1, 3, 64, 64]);
        stepLabels = E.rand([1, 1000]);
      },
      ours: () => withListener(() => resnetStep(stepModel, stepData, stepLabels)),
      peers: [{ name: 'engine, no listener', run: () => resnetStep(stepModel, stepData, stepLabels), sameEngine: true }],
    },
    ...withTwoThreads(env.threads, [...resnetStepCases(env), finetuneEpochCase()]),
  ];
};
