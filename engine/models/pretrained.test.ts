// The bundled model's description round-trips: build from the JSON, load the weights, same outputs.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { saveFile } from '../io/safetensors';
import { noGrad } from '../context';
import { Tensor } from '../tensor';
import { resnet } from './resnet';
import { loadPretrained, type PretrainedMeta } from './pretrained';

const META: PretrainedMeta = {
  format: 'autograd-playground-model/1',
  architecture: { builder: 'resnet', layers: [1, 1], widths: [4, 8], numClasses: 3, inChannels: 3, stem: 'small', stemStride: 2 },
  parameters: 0, classes: ['a', 'b', 'c'], input: { channels: 3, size: 8, mean: 0.5, std: 0.25 },
  data: { generator: '', trainSeed: 0, testSeed: 0, trainPerClass: 0, testPerClass: 0 }, training: {}, accuracy: { train: 0, test: 0 }, seconds: 0, weights: '',
};

describe('loadPretrained', () => {
  it('rebuilds the architecture and loads the weights', () => {
    const { builder: _b, ...arch } = META.architecture;
    const original = resnet(arch).eval();
    const copy = loadPretrained(META, saveFile(original.stateDict()));
    const x = new Tensor(Float32Array.from({ length: 2 * 3 * 8 * 8 }, (_, i) => Math.sin(i)), [2, 3, 8, 8], 'float32');
    const a = noGrad(() => original.call(x)) as Tensor;
    const b = noGrad(() => copy.call(x)) as Tensor;
    expect(Array.from(b.data)).toEqual(Array.from(a.data));
    expect(copy.training).toBe(false);
  });

  const dir = fileURLToPath(new URL('../../public/models/', import.meta.url));
  it.runIf(existsSync(dir + 'small-resnet.json'))('loads the bundled small ResNet', () => {
    const meta = JSON.parse(readFileSync(dir + 'small-resnet.json', 'utf8')) as PretrainedMeta;
    const model = loadPretrained(meta, new Uint8Array(readFileSync(dir + meta.weights)));
    expect(model.parameters().reduce((n, p) => n + p.numel, 0)).toBe(meta.parameters);
    expect(meta.accuracy.test).toBeGreaterThan(0.85);
  });
});
