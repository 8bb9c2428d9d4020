// ResNet-18 against PyTorch: the three tier-3 golden programs of shared/golden/resnet.json, run through the
// TypeScript API step by step, compared with the file's own tolerance rule; plus architecture facts.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resnet, resnet18 } from './resnet';
import { Module } from '../nn/module';
import { loadFile } from '../io/safetensors';
import { Linear } from '../nn/layers';
import { SGD } from '../optim/sgd';
import { noGrad } from '../context';
import { Tensor } from '../tensor';
import { sub, sum, norm, crossEntropy, index, backward } from '../index';

const here = dirname(fileURLToPath(import.meta.url));
/** The project's copy of the golden files, else the shared one. */
function goldenDir(): string {
  for (const d of [join(here, '../../golden'), '/work/shared/golden']) {
    try {
      readFileSync(join(d, 'resnet-io.safetensors'));
      readFileSync(join(d, 'resnet18-f16.safetensors'));
      return d;
    } catch {
      /* try the next */
    }
  }
  throw new Error('resnet.json not found');
}
const dir = goldenDir();
const golden = JSON.parse(readFileSync(join(dir, 'resnet.json'), 'utf8')) as {
  cases: { name: string; rtol?: number; atol_scale?: number; expect: Record<string, { shape?: number[]; data?: number[]; bool?: boolean }> }[];
};
const load = (name: string): Map<string, Tensor> => loadFile(new Uint8Array(readFileSync(join(dir, name))));

/** The golden rule: |got - want| <= atol + rtol*|want|, atol = atol_scale * max(1, max|want|). */
function check(caseName: string, key: string, got: Tensor | number | boolean): void {
  const c = golden.cases.find((x) => x.name === caseName)!;
  const want = c.expect[key];
  expect(want, `${caseName}: no expectation ${key}`).toBeDefined();
  if (want.bool !== undefined) {
    expect(got, key).toBe(want.bool);
    return;
  }
  const data = got instanceof Tensor ? Array.from(got.data) : [+got];
  const shape = got instanceof Tensor ? got.shape : [];
  expect(shape, `${key} shape`).toEqual(want.shape);
  const rtol = c.rtol ?? 1e-4;
  const maxAbs = Math.max(1, ...want.data!.map(Math.abs));
  const atol = (c.atol_scale ?? 1e-5) * maxAbs;
  want.data!.forEach((w, i) => {
    if (Math.abs(data[i] - w) > atol + rtol * Math.abs(w)) throw new Error(`${caseName}: ${key}[${i}] = ${data[i]}, want ${w}`);
  });
}

describe('resnet18', () => {
  it("has torchvision's 11,689,512 parameters, names and state-dict keys", () => {
    const model = resnet18();
    expect(model.parameters().reduce((n, p) => n + p.numel, 0)).toBe(11_689_512);
    const names = model.namedParameters().map(([n]) => n);
    expect(names.length).toBe(62);
    expect(names.slice(0, 4)).toEqual(['conv1.weight', 'bn1.weight', 'bn1.bias', 'layer1.0.conv1.weight']);
    expect(names).toContain('layer2.0.downsample.0.weight');
    expect(names.slice(-2)).toEqual(['fc.weight', 'fc.bias']);
    const keys = Array.from(model.stateDict().keys());
    expect(keys.length).toBe(122);
    expect(keys.slice(0, 6)).toEqual(['conv1.weight', 'bn1.weight', 'bn1.bias', 'bn1.running_mean', 'bn1.running_var', 'bn1.num_batches_tracked']);
    const file = Array.from(load('resnet18-f16.safetensors').keys());
    expect(keys).toEqual(file);
  });

  it('refuses pretrained weights with a clear message', () => {
    expect(() => resnet18({ pretrained: true })).toThrow(/offline/);
    expect(() => resnet18({ weights: 'IMAGENET1K_V1' })).toThrow(/offline/);
  });

  it('golden resnet18_eval_logits', () => {
    const model = resnet18();
    model.loadStateDict(load('resnet18-f16.safetensors'));
    model.eval();
    const data = load('resnet-io.safetensors').get('data')!;
    const prediction = noGrad(() => model.call(data)) as Tensor;
    check('resnet18_eval_logits', 'prediction', prediction);
    check('resnet18_eval_logits', 'prediction.requires_grad', prediction.requiresGrad);
  });

  it('golden resnet18_seed_sgd_step', () => {
    const C = 'resnet18_seed_sgd_step';
    const model = resnet18();
    model.loadStateDict(load('resnet18-f16.safetensors'));
    const io = load('resnet-io.safetensors');
    const prediction = model.call(io.get('data')!) as Tensor;
    const loss = sum(sub(prediction, io.get('labels')!));
    backward(loss);
    const optim = new SGD(model.parameters(), { lr: 1e-2, momentum: 0.9 });
    optim.step();
    const at = (path: string): Tensor => {
      const dict = new Map([...model.namedParameters(), ...model.namedBuffers()]);
      return dict.get(path)!;
    };
    check(C, 'loss', loss);
    check(C, 'model.fc.bias', at('fc.bias'));
    check(C, 'model.conv1.weight.grad.norm()', norm(at('conv1.weight').grad!));
    check(C, 'model.layer1[0].conv1.weight.grad.norm()', norm(at('layer1.0.conv1.weight').grad!));
    check(C, 'model.layer4[1].bn2.weight.grad', at('layer4.1.bn2.weight').grad!);
    check(C, 'model.layer4[1].conv2.weight[0, 0]', index(at('layer4.1.conv2.weight'), [0, 0]));
    check(C, 'model.layer3[0].downsample[0].weight.grad.norm()', norm(at('layer3.0.downsample.0.weight').grad!));
    check(C, 'model.bn1.running_mean', at('bn1.running_mean'));
    check(C, 'model.bn1.running_var', at('bn1.running_var'));
    expect(at('bn1.num_batches_tracked').item()).toBe(1);
  });

  it('golden resnet18_finetune_frozen_backbone', () => {
    const C = 'resnet18_finetune_frozen_backbone';
    const model = resnet18();
    model.loadStateDict(load('resnet18-f16.safetensors'));
    const io = load('resnet-io.safetensors');
    for (const p of model.parameters()) p.requiresGrad = false;
    const fc = new Linear(512, 10);
    model.setAttr('fc', fc);
    fc.loadStateDict(new Map([['weight', io.get('head_weight')!], ['bias', io.get('head_bias')!]]));
    let trainable = 0;
    for (const p of model.parameters()) if (p.requiresGrad) trainable += p.numel;
    const optimizer = new SGD(fc.parameters(), { lr: 1e-2, momentum: 0.9 });
    const prediction = model.call(io.get('batch')!) as Tensor;
    const loss = crossEntropy(prediction, io.get('target')!);
    backward(loss);
    optimizer.step();
    check(C, 'trainable', trainable);
    check(C, 'loss', loss);
    check(C, 'model.conv1.weight.grad is None', (model.getAttr('conv1') as Module).getAttr('weight') instanceof Tensor && ((model.getAttr('conv1') as Module).getAttr('weight') as Tensor).grad === null);
    check(C, 'model.fc.weight.grad.norm()', norm(fc.weight.grad!));
    check(C, 'model.fc.bias', fc.bias!);
    check(C, 'prediction.shape[1]', prediction.shape[1]);
  });
});

describe('resnet builder', () => {
  it('builds a small ResNet with torchvision names', () => {
    const model = resnet({ layers: [1, 1, 1], widths: [16, 32, 64], numClasses: 5, stem: 'small' });
    const names = model.namedParameters().map(([n]) => n);
    expect(names[0]).toBe('conv1.weight');
    expect(names).toContain('layer2.0.downsample.0.weight');
    expect(names.at(-2)).toBe('fc.weight');
    const x = new Tensor(new Float32Array(2 * 3 * 32 * 32).fill(0.5), [2, 3, 32, 32], 'float32');
    const y = model.call(x) as Tensor;
    expect(y.shape).toEqual([2, 5]);
  });
});
