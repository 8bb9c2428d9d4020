// nn.Module and the layers against facts about PyTorch 1.13: seeded initial values, registration order,
// state_dict keys, load_state_dict's error text and leniencies, module events.
import { describe, expect, it } from 'vitest';
import { manualSeed } from '../random';
import { collect } from '../events';
import { engine, events } from '../context';
import { tensor, zeros } from '../creation';
import { backward } from '../autograd/backward';
import { sum } from '../ops/reduce';
import { Tensor } from '../tensor';
import { Module, isParameter } from './module';
import { BatchNorm2d, Conv2d, Flatten, Linear, MaxPool2d, ReLU, Sequential, Dropout, AdaptiveAvgPool2d } from './layers';
import { resnet18, resnet } from '../models/resnet';

const near = (got: ArrayLike<number>, want: number[], tol = 5e-5): void => {
  expect(got.length).toBe(want.length);
  want.forEach((w, i) => expect(Math.abs(got[i] - w), `element ${i}: ${got[i]} vs ${w}`).toBeLessThanOrEqual(tol));
};

describe('Linear', () => {
  it("draws PyTorch's initial values: torch.manual_seed(0); nn.Linear(3, 2)", () => {
    manualSeed(0);
    const l = new Linear(3, 2);
    // PyTorch 1.13 prints tensor([[-0.0043, 0.3097, -0.4752], [-0.4249, -0.2224, 0.1548]]) and tensor([-0.0114, 0.4578]).
    near(l.weight.data, [-0.0043, 0.3097, -0.4752, -0.4249, -0.2224, 0.1548], 5e-5);
    near(l.bias!.data, [-0.0114, 0.4578], 5e-5);
    expect(l.weight.requiresGrad && l.weight.isLeaf && isParameter(l.weight)).toBe(true);
    expect(l.repr()).toBe('Linear(in_features=3, out_features=2, bias=True)');
  });

  it('computes x W^T + b and its gradients', () => {
    const l = new Linear(2, 1);
    l.weight.data.set([2, -1]);
    l.bias!.data.set([0.5]);
    const y = l.call(tensor([[1, 2], [3, 4]], { dtype: 'float32' })) as Tensor;
    expect(Array.from(y.data)).toEqual([0.5, 2.5]);
    expect(y.gradFn?.name).toBe('AddmmBackward0');
    backward(sum(y));
    expect(Array.from(l.weight.grad!.data)).toEqual([4, 6]);
    expect(Array.from(l.bias!.grad!.data)).toEqual([2]);
  });
});

describe('Module registry', () => {
  const net = (): Sequential => new Sequential([new Conv2d(1, 2, 3, { padding: 1 }), new BatchNorm2d(2), new ReLU(), new Flatten(), new Linear(2 * 4 * 4, 3)]);

  it('lists parameters, buffers and modules in registration order', () => {
    const m = net();
    expect(m.namedParameters().map(([n]) => n)).toEqual(['0.weight', '0.bias', '1.weight', '1.bias', '4.weight', '4.bias']);
    expect(m.namedBuffers().map(([n]) => n)).toEqual(['1.running_mean', '1.running_var', '1.num_batches_tracked']);
    expect(Array.from(m.stateDict().keys())).toEqual([
      '0.weight', '0.bias', '1.weight', '1.bias', '1.running_mean', '1.running_var', '1.num_batches_tracked', '4.weight', '4.bias',
    ]);
    expect(Array.from(m.namedModules(), ([n]) => n)).toEqual(['', '0', '1', '2', '3', '4']);
    expect(m.children().length).toBe(5);
    expect(m.length).toBe(5);
    expect(m.at(-1)).toBeInstanceOf(Linear);
    expect(m.slice([1, 2]).namedChildren().map(([n]) => n)).toEqual(['1', '2']);
  });

  it('shares a module used twice once in parameters()', () => {
    const l = new Linear(2, 2);
    const m = new Sequential([l, l]);
    expect(m.parameters().length).toBe(2);
    expect(m.stateDict().size).toBe(4);
  });

  it('replaces a child and its parameters on assignment', () => {
    const model = resnet({ layers: [1, 1], widths: [4, 8], numClasses: 7, stem: 'small' });
    const before = model.parameters().length;
    model.setAttr('fc', new Linear(8, 10));
    expect(model.parameters().length).toBe(before);
    expect((model.getAttr('fc') as Linear).outFeatures).toBe(10);
    expect(() => model.setAttr('fc', 3)).toThrow("cannot assign 'int' as child module 'fc' (torch.nn.Module or None expected)");
    expect(model.setAttr('name', 'x')).toBe(false);
    const x = zeros([2, 3, 8, 8]);
    expect((model.call(x) as Tensor).shape).toEqual([2, 10]);
  });

  it('train/eval reach every module; requires_grad_ and zero_grad', () => {
    const m = net();
    m.eval();
    expect(m.modules().every((x) => !x.training)).toBe(true);
    m.train();
    expect(m.modules().every((x) => x.training)).toBe(true);
    const y = m.call(zeros([2, 1, 4, 4])) as Tensor;
    backward(sum(y));
    const w = (m.at(4) as Linear).weight;
    expect(w.grad).not.toBeNull();
    m.zeroGrad();
    expect(Array.from(w.grad!.data).every((v) => v === 0)).toBe(true);
    m.zeroGrad(true);
    expect(w.grad).toBeNull();
    m.requiresGrad_(false);
    expect(m.parameters().some((p) => p.requiresGrad)).toBe(false);
  });

  it('prints as PyTorch does', () => {
    const m = new Sequential([new Conv2d(3, 64, 7, { stride: 2, padding: 3, bias: false }), new MaxPool2d(3, 2, 1), new AdaptiveAvgPool2d([1, 1]), new Dropout()]);
    expect(m.repr()).toBe(
      [
        'Sequential(',
        '  (0): Conv2d(3, 64, kernel_size=(7, 7), stride=(2, 2), padding=(3, 3), bias=False)',
        '  (1): MaxPool2d(kernel_size=3, stride=2, padding=1, dilation=1, ceil_mode=False)',
        '  (2): AdaptiveAvgPool2d(output_size=(1, 1))',
        '  (3): Dropout(p=0.5, inplace=False)',
        ')',
      ].join('\n'),
    );
    expect(new BatchNorm2d(64).repr()).toBe('BatchNorm2d(64, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)');
    expect(new ReLU(true).repr()).toBe('ReLU(inplace=True)');
  });
});

describe('BatchNorm2d', () => {
  it('updates running statistics and num_batches_tracked in training, uses them in eval', () => {
    const bn = new BatchNorm2d(1);
    const x = tensor([[[[1, 2], [3, 4]]], [[[5, 6], [7, 8]]]], { dtype: 'float32' });
    bn.call(x);
    // mean 4.5, unbiased var 6: running = 0.9 * (0, 1) + 0.1 * (4.5, 6)
    near(bn.runningMean!.data, [0.45], 1e-6);
    near(bn.runningVar!.data, [1.5], 1e-6);
    expect(bn.numBatchesTracked!.item()).toBe(1);
    bn.eval();
    const y = bn.call(x) as Tensor;
    near(y.data.slice(0, 1), [(1 - 0.45) / Math.sqrt(1.5 + 1e-5)], 1e-5);
    expect(bn.numBatchesTracked!.item()).toBe(1);
  });

  it('momentum=None is a cumulative average', () => {
    const bn = new BatchNorm2d(1, { momentum: null });
    bn.call(tensor([[[[2, 2]]], [[[2, 2]]]], { dtype: 'float32' }));
    bn.call(tensor([[[[4, 4]]], [[[4, 4]]]], { dtype: 'float32' }));
    near(bn.runningMean!.data, [3], 1e-6);
  });
});

describe('load_state_dict', () => {
  const model = (): Module => resnet18({ numClasses: 10 });

  it('reports missing and unexpected keys with PyTorch wording', () => {
    const m = model();
    const sd = m.stateDict();
    sd.delete('fc.weight');
    sd.set('foo', zeros([1]));
    expect(() => m.loadStateDict(sd)).toThrow(
      'Error(s) in loading state_dict for ResNet:\n\tMissing key(s) in state_dict: "fc.weight". \n\tUnexpected key(s) in state_dict: "foo". ',
    );
    const r = m.loadStateDict(sd, false);
    expect(r).toEqual({ missingKeys: ['fc.weight'], unexpectedKeys: ['foo'] });
  });

  it('reports a size mismatch even when not strict', () => {
    const m = model();
    const sd = resnet18().stateDict();
    const message =
      'Error(s) in loading state_dict for ResNet:\n\tsize mismatch for fc.weight: copying a param with shape torch.Size([1000, 512]) from checkpoint, the shape in current model is torch.Size([10, 512]).\n\tsize mismatch for fc.bias: copying a param with shape torch.Size([1000]) from checkpoint, the shape in current model is torch.Size([10]).';
    expect(() => m.loadStateDict(sd)).toThrow(message);
    expect(() => m.loadStateDict(sd, false)).toThrow(message);
  });

  it('loads a [1] tensor into a 0-dim buffer, converts dtypes, keeps tensor identity, fills a missing num_batches_tracked', () => {
    const bn = new BatchNorm2d(2);
    const w = bn.weight!;
    const sd = new Map<string, Tensor>([
      ['weight', new Tensor(new Float64Array([0.5, 0.25]), [2], 'float64')],
      ['bias', tensor([1, 2], { dtype: 'float32' })],
      ['running_mean', tensor([0, 0], { dtype: 'float32' })],
      ['running_var', tensor([1, 1], { dtype: 'float32' })],
      ['num_batches_tracked', new Tensor(new Float64Array([7]), [1], 'int64')],
    ]);
    bn.loadStateDict(sd);
    expect(bn.weight).toBe(w);
    expect(w.dtype).toBe('float32');
    expect(Array.from(w.data)).toEqual([0.5, 0.25]);
    expect(bn.numBatchesTracked!.shape).toEqual([]);
    expect(bn.numBatchesTracked!.item()).toBe(7);
    sd.delete('num_batches_tracked');
    expect(() => bn.loadStateDict(sd)).not.toThrow();
    expect(bn.numBatchesTracked!.item()).toBe(0);
  });

  it('changes nothing when a load fails', () => {
    const l = new Linear(2, 2);
    const before = Array.from(l.weight.data);
    expect(() => l.loadStateDict(new Map([['weight', zeros([2, 2])], ['bias', zeros([3])]]))).toThrow(/size mismatch for bias/);
    expect(Array.from(l.weight.data)).toEqual(before);
  });
});

describe('module events', () => {
  it('wraps each forward in module-enter/exit with its path, kind and frozen flag, and names parameters', () => {
    const model = resnet({ layers: [1], widths: [4], numClasses: 2, stem: 'small' });
    (model.getAttr('conv1') as Conv2d).requiresGrad_(false);
    const { events: got, stop } = collect(events);
    try {
      model.call(zeros([1, 3, 4, 4]));
    } finally {
      stop();
    }
    const mods = got.filter((e) => e.type === 'module-enter').map((e) => (e.type === 'module-enter' ? `${e.path}:${e.kind}:${e.frozen}` : ''));
    expect(mods).toEqual([
      ':ResNet:false', 'conv1:Conv2d:true', 'bn1:BatchNorm2d:false', 'relu:ReLU:false',
      'layer1:Sequential:false', 'layer1.0:BasicBlock:false', 'layer1.0.conv1:Conv2d:false', 'layer1.0.bn1:BatchNorm2d:false',
      'layer1.0.relu:ReLU:false', 'layer1.0.conv2:Conv2d:false', 'layer1.0.bn2:BatchNorm2d:false', 'layer1.0.relu:ReLU:false',
      'avgpool:AdaptiveAvgPool2d:false', 'fc:Linear:false',
    ]);
    const exits = got.filter((e) => e.type === 'module-exit');
    expect(exits.length).toBe(mods.length);
    const last = exits[exits.length - 1];
    expect(last.type === 'module-exit' && last.path === '' && typeof last.output === 'number').toBe(true);
    const binds = got.filter((e) => e.type === 'bind').map((e) => (e.type === 'bind' ? e.name : ''));
    expect(binds[0]).toBe('conv1.weight');
    expect(binds).toContain('fc.bias');
    expect(engine.events.active).toBe(false);
  });
});
