// npx tsx scripts/pretrain.ts [--epochs N] [--out DIR]
//
// Pretrains the small ResNet that the fine-tune panel starts from, with the project's own engine, in Node,
// and writes public/models/small-resnet.safetensors (float32 weights, torchvision-style names) and
// public/models/small-resnet.json (architecture, classes, input normalisation, data, training, accuracy).
//
// Deterministic: the data come from engine/data/shapes.ts with fixed seeds, the initial weights from
// torch.manual_seed(0) on the engine's mt19937, the batch order from its own seeded generator, and every
// kernel is single-threaded plain JS; the same run writes the same bytes. About 2-3 minutes on 2 cores.
//
// The task: six classes of coloured shapes and stripe patterns on noisy backgrounds (3x32x32). The fine-tune
// panel later asks the same generator for classes this model has never seen (ring, half disc, checker,
// diagonal stripes), freezes the backbone and trains a new head, as the seed's ResNet-18 tutorial does.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { manualSeed, noGrad, backward, crossEntropy, argmax, Tensor } from '../engine/index';
import { MT19937 } from '../engine/random';
import { resnet, type ResNetOptions } from '../engine/models/resnet';
import { SGD } from '../engine/optim/sgd';
import { saveFile } from '../engine/io/safetensors';
import { makeShapes, normalize, PRETRAIN_CLASSES, SHAPES_MEAN, SHAPES_STD, type ShapesData } from '../engine/data/shapes';
import type { PretrainedMeta } from '../engine/models/pretrained';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name: string, fallback: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
};

const CONFIG = {
  seed: 0,
  trainSeed: 1,
  testSeed: 2,
  trainPerClass: 400,
  testPerClass: 100,
  size: 32,
  epochs: Number(arg('epochs', '6')),
  batch: 32,
  lr: 0.05,
  momentum: 0.9,
  weightDecay: 5e-4,
};
const ARCH: ResNetOptions = { layers: [1, 1, 1], widths: [16, 32, 64], numClasses: PRETRAIN_CLASSES.length, inChannels: 3, stem: 'small', stemStride: 2 };
const OUT = arg('out', join(root, 'public/models'));

/** Images [from, to) of a data set as a batch tensor, and their labels as int64. */
function batchOf(d: ShapesData, order: Int32Array, from: number, to: number): [Tensor, Tensor] {
  const px = 3 * d.size * d.size;
  const x = new Float32Array((to - from) * px);
  const y = new Float64Array(to - from);
  for (let k = from; k < to; k++) {
    const i = order[k];
    x.set(d.images.subarray(i * px, (i + 1) * px), (k - from) * px);
    y[k - from] = d.labels[i];
  }
  return [new Tensor(x, [to - from, 3, d.size, d.size], 'float32'), new Tensor(y, [to - from], 'int64')];
}

function accuracy(model: ReturnType<typeof resnet>, d: ShapesData): number {
  model.eval();
  const order = Int32Array.from({ length: d.n }, (_, i) => i);
  let correct = 0;
  noGrad(() => {
    for (let from = 0; from < d.n; from += 100) {
      const [x, y] = batchOf(d, order, from, Math.min(d.n, from + 100));
      const pred = argmax(model.call(x) as Tensor, 1);
      for (let i = 0; i < y.numel; i++) correct += +(pred.data[i] === y.data[i]);
    }
  });
  model.train();
  return correct / d.n;
}

function main(): void {
  const t0 = performance.now();
  manualSeed(CONFIG.seed);
  const model = resnet(ARCH);
  const nParams = model.parameters().reduce((n, p) => n + p.numel, 0);
  const train = makeShapes({ classes: PRETRAIN_CLASSES, perClass: CONFIG.trainPerClass, size: CONFIG.size, seed: CONFIG.trainSeed });
  const test = makeShapes({ classes: PRETRAIN_CLASSES, perClass: CONFIG.testPerClass, size: CONFIG.size, seed: CONFIG.testSeed });
  normalize(train.images);
  normalize(test.images);
  console.log(`small ResNet: ${nParams} parameters; ${train.n} training and ${test.n} test images of ${PRETRAIN_CLASSES.join(', ')}`);

  const opt = new SGD(model.parameters(), { lr: CONFIG.lr, momentum: CONFIG.momentum, weightDecay: CONFIG.weightDecay });
  const shuffler = new MT19937(CONFIG.seed + 1000);
  const stepsPerEpoch = Math.ceil(train.n / CONFIG.batch);
  const totalSteps = CONFIG.epochs * stepsPerEpoch;
  let step = 0;
  for (let epoch = 0; epoch < CONFIG.epochs; epoch++) {
    const order = Int32Array.from({ length: train.n }, (_, i) => i);
    for (let i = order.length - 1; i > 0; i--) {
      const j = shuffler.random() % (i + 1);
      [order[i], order[j]] = [order[j], order[i]];
    }
    let lossSum = 0;
    let correct = 0;
    for (let from = 0; from < train.n; from += CONFIG.batch) {
      // Cosine decay of the learning rate over the whole run.
      opt.paramGroups[0].options.lr = (CONFIG.lr * (1 + Math.cos((Math.PI * step) / totalSteps))) / 2;
      const [x, y] = batchOf(train, order, from, Math.min(train.n, from + CONFIG.batch));
      const logits = model.call(x) as Tensor;
      const loss = crossEntropy(logits, y);
      opt.zeroGrad(true);
      backward(loss);
      opt.step();
      lossSum += loss.item() * y.numel;
      const pred = argmax(logits, 1);
      for (let i = 0; i < y.numel; i++) correct += +(pred.data[i] === y.data[i]);
      step++;
    }
    const s = ((performance.now() - t0) / 1000).toFixed(0);
    console.log(`epoch ${epoch + 1}/${CONFIG.epochs}: loss ${(lossSum / train.n).toFixed(4)}, train accuracy ${((100 * correct) / train.n).toFixed(1)}% (${s} s)`);
  }
  const trainAcc = accuracy(model, train);
  const testAcc = accuracy(model, test);
  const seconds = (performance.now() - t0) / 1000;
  console.log(`accuracy: train ${(100 * trainAcc).toFixed(1)}%, test ${(100 * testAcc).toFixed(1)}%; ${seconds.toFixed(0)} s`);

  const meta: PretrainedMeta = {
    format: 'autograd-playground-model/1',
    architecture: { builder: 'resnet', ...ARCH },
    parameters: nParams,
    classes: PRETRAIN_CLASSES.slice(),
    input: { channels: 3, size: CONFIG.size, mean: SHAPES_MEAN, std: SHAPES_STD },
    data: { generator: 'engine/data/shapes.ts makeShapes', trainSeed: CONFIG.trainSeed, testSeed: CONFIG.testSeed, trainPerClass: CONFIG.trainPerClass, testPerClass: CONFIG.testPerClass },
    training: {
      optimizer: 'SGD', lr: CONFIG.lr, schedule: 'cosine', momentum: CONFIG.momentum, weightDecay: CONFIG.weightDecay,
      epochs: CONFIG.epochs, batch: CONFIG.batch, seed: CONFIG.seed, loss: 'cross_entropy',
    },
    accuracy: { train: round4(trainAcc), test: round4(testAcc) },
    seconds: Math.round(seconds),
    weights: 'small-resnet.safetensors',
  };
  mkdirSync(OUT, { recursive: true });
  const bytes = saveFile(model.stateDict(), { metadata: { format: 'pt', description: 'small ResNet pretrained on engine/data/shapes.ts; see small-resnet.json' } });
  writeFileSync(join(OUT, 'small-resnet.safetensors'), bytes);
  // `seconds` varies from run to run; everything else in both files is deterministic.
  writeFileSync(join(OUT, 'small-resnet.json'), JSON.stringify(meta, null, 2) + '\n');
  console.log(`wrote ${join(OUT, 'small-resnet.safetensors')} (${bytes.length} bytes) and small-resnet.json`);
}

const round4 = (x: number): number => Math.round(x * 1e4) / 1e4;

main();
