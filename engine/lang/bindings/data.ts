// torch.utils.data as PyTorch 1.13 runs it in the main process (num_workers=0): Dataset, TensorDataset, Subset,
// random_split, DataLoader with its samplers and default_collate.
//
// Note: the random numbers. Every iter(loader) draws a base seed from the loader's generator, or the default
// one (random64: two 32-bit draws), as _BaseDataLoaderIter does, shuffled or not; a shuffling loader's
// RandomSampler then, at the first batch, shuffles with the loader's generator, or else draws a seed from the
// default generator (another random64) and shuffles with a fresh mt19937 seeded with it (torch.randperm's
// Fisher-Yates, random() % (n - i)). So a program that iterates a loader and then calls torch.rand gets
// PyTorch's numbers after it too.
//
// Note: the graph. default_collate stacks the samples. A batch of tensors that need no grad is a leaf in
// PyTorch (no grad_fn): it is made here without op events, as one new tensor made by default_collate, rather
// than as a select per sample and a stack (64 nodes for a batch of 32 pairs, none of them the program's
// code), and a TensorDataset's rows are taken without events too. Samples that need grad are selected and
// stacked by the recorded ops, SelectBackward0 and StackBackward0 as in PyTorch. A program's own Dataset runs
// its __getitem__ as written, ops and all.

import { engine } from '../../context';
import { created } from '../../creation';
import * as E from '../../index';
import { MT19937, generator as defaultGenerator } from '../../random';
import { Tensor } from '../../tensor';
import { PyError } from '../errors';
import type { Runtime } from '../runtime';
import { PyClass } from '../classes';
import { PyBuiltin, PyDict, PyFloat, PyList, PyModule, PyTuple, PyType, type HostType, type NativeFn, type PyValue, numberOf } from '../values';
import { def, intArg, boolArg, pyTypeName, typeError, given } from './common';

/** TensorDataset(*tensors): sample i is the tuple of every tensor's row i. */
export class TensorDataset {
  constructor(readonly tensors: Tensor[]) {}
}

/** Subset(dataset, indices): sample i is dataset[indices[i]]. */
export class Subset {
  constructor(readonly dataset: PyValue, readonly indices: number[]) {}
}

/** A torch.Generator: its own mt19937 (DataLoader(generator=...), random_split(..., generator=...)). */
export class TorchGenerator {
  readonly mt = new MT19937();
  initialSeed = 67280421310721n;
}

export class DataLoader {
  constructor(
    readonly dataset: PyValue,
    readonly batchSize: number | null,
    readonly shuffle: boolean,
    readonly dropLast: boolean,
    readonly collateFn: PyValue | null,
    readonly generator: TorchGenerator | null,
  ) {}
}

/**
 * Runs `draw` with the default generator's state replaced by g's (torch.rand(3, generator=g)): the engine's
 * random functions all draw from the default one. Without a generator (None), as it is.
 */
export function usingGenerator<T>(g: unknown, fn: string, draw: () => T): T {
  if (g === null || g === undefined || !given(g as PyValue)) return draw();
  if (!(g instanceof TorchGenerator)) throw typeError(`${fn}(): argument 'generator' must be torch.Generator, not ${pyTypeName(g as PyValue)}`);
  defaultGenerator.swap(g.mt);
  try {
    return draw();
  } finally {
    defaultGenerator.swap(g.mt);
  }
}

/** random64() of a generator, as a BigInt (the first 32-bit draw is the high half). */
function random64(mt: MT19937): bigint {
  const hi = mt.random();
  const lo = mt.random();
  return (BigInt(hi) << 32n) | BigInt(lo);
}

/** torch.randperm(n, generator=g) on the CPU: Fisher-Yates from the front, random() % (n - i). */
function randperm(n: number, mt: MT19937): number[] {
  const r = Array.from({ length: n }, (_, i) => i);
  for (let i = 0; i < n - 1; i++) {
    const z = mt.random() % (n - i);
    const sav = r[i];
    r[i] = r[z + i];
    r[z + i] = sav;
  }
  return r;
}

/** A class's constructor, bound by signature like a function. */
function ctor(name: string, spec: string, body: Parameters<typeof def>[2]): NativeFn {
  const fn = def(name, spec, body);
  return (args, kwargs) => fn.call(args, kwargs);
}

export interface DataBindings {
  module: PyModule;
  hostTypes: [abstract new (...args: any[]) => unknown, HostType][];
  /** torch.Generator, for the torch module. */
  generatorClass: PyType;
}

export function dataBindings(rt: () => Runtime): DataBindings {
  const len = (ds: PyValue): number => rt().len(ds);

  /** default_collate (PyTorch 1.13) of a list of samples. */
  const collate = (batch: PyValue[], fromTuples = false): PyValue => {
    const elem = batch[0];
    if (elem instanceof Tensor) {
      const tensors = batch.map((b) => {
        if (!(b instanceof Tensor)) throw typeError(`default_collate: batch must contain tensors, numpy arrays, numbers, dicts or lists; found ${pyTypeName(b)}`);
        return b;
      });
      if (tensors.some((t) => t.requiresGrad) && engine.gradEnabled) return E.stack(tensors, 0);
      const wasActive = engine.events.active;
      engine.events.active = false;
      let out: Tensor;
      try {
        out = E.stack(tensors, 0);
      } finally {
        engine.events.active = wasActive;
      }
      return created(out, 'utils.data.default_collate');
    }
    // Numbers: torch.tensor(batch, dtype=torch.float64) after a float first, else torch.tensor(batch), whose
    // dtype follows every element (bool, int64, or float32 as soon as one is a float).
    const numbers = (): number[] => batch.map((b) => {
      const v = numberOf(b);
      if (v === undefined) throw typeError(`default_collate: expected a number in the batch, found ${pyTypeName(b)}`);
      return v;
    });
    if (elem instanceof PyFloat) return created(E.tensor(numbers(), { dtype: 'float64' }), 'utils.data.default_collate');
    if (typeof elem === 'boolean' || typeof elem === 'number') {
      const dtype = batch.some((b) => b instanceof PyFloat) ? 'float32' : batch.every((b) => typeof b === 'boolean') ? 'bool' : 'int64';
      return created(E.tensor(numbers(), { dtype }), 'utils.data.default_collate');
    }
    // Strings stay as they came: the batch list, or a column of zip(*batch), a tuple.
    if (typeof elem === 'string') return fromTuples ? new PyTuple(batch) : new PyList(batch);
    if (elem instanceof PyDict) {
      const out = new PyDict();
      for (const k of elem.keys()) out.set(k, collate(batch.map((d) => rt().getitem(d, k))));
      return out;
    }
    if (elem instanceof PyTuple || elem instanceof PyList) {
      const size = (elem as PyTuple | PyList).items.length;
      const rows = batch.map((b) => rt().toArray(b));
      if (rows.some((r) => r.length !== size)) throw new PyError('RuntimeError', 'each element in list of batch should be of equal size');
      return new PyList(Array.from({ length: size }, (_, j) => collate(rows.map((r) => r[j]), true)));
    }
    throw typeError(`default_collate: batch must contain tensors, numpy arrays, numbers, dicts or lists; found ${pyTypeName(elem)}`);
  };

  /** default_convert (batch_size=None: no batching): tuples become lists, as PyTorch 1.13 returns them. */
  const convert = (v: PyValue): PyValue => {
    if (v instanceof PyTuple || v instanceof PyList) return new PyList(v.items.map(convert));
    if (v instanceof PyDict) {
      const out = new PyDict();
      for (const [k, x] of v.entries()) out.set(k, convert(x));
      return out;
    }
    return v;
  };

  /** One epoch of a loader: its batches, drawing the seeds as PyTorch does (see the note on top). */
  function* epoch(dl: DataLoader): Generator<PyValue, void, undefined> {
    const n = len(dl.dataset);
    random64(dl.generator?.mt ?? defaultGenerator);
    // The sampler's indices, drawn at the first one asked for. Asked past its end, RandomSampler runs its
    // generator's last line, randperm(n)[:0], whose draws show on a loader's own generator in the next epoch.
    let order: number[] | null = null;
    let at = 0;
    const nextIndex = (): number => {
      if (order === null) {
        if (!dl.shuffle) order = Array.from({ length: n }, (_, i) => i);
        // RandomSampler shuffles with the loader's generator itself, or else with a fresh one seeded from the default.
        else if (dl.generator) order = randperm(n, dl.generator.mt);
        else order = randperm(n, new MT19937(random64(defaultGenerator) & ((1n << 63n) - 1n)));
      }
      if (at < order.length) return order[at++];
      if (at++ === order.length && dl.shuffle && dl.generator) randperm(n, dl.generator.mt);
      return -1;
    };
    // A TensorDataset's (or its Subset's) rows are library code, not the program's: no op events for them
    // unless a row needs grad (then PyTorch records SelectBackward0 and StackBackward0, and so does this).
    const quiet = libraryRowsWithoutGrad(dl.dataset);
    const fetch = (i: number): PyValue => {
      if (!quiet) return rt().getitem(dl.dataset, i);
      const wasActive = engine.events.active;
      engine.events.active = false;
      try {
        return rt().getitem(dl.dataset, i);
      } finally {
        engine.events.active = wasActive;
      }
    };
    const batchOf = (indices: number[]): PyValue => {
      const samples = indices.map(fetch);
      return dl.collateFn ? rt().call(dl.collateFn, [new PyList(samples)], null) : collate(samples);
    };
    if (dl.batchSize === null) {
      for (let i = nextIndex(); i >= 0; i = nextIndex()) yield dl.collateFn ? rt().call(dl.collateFn, [fetch(i)], null) : convert(fetch(i));
      return;
    }
    const bs = dl.batchSize;
    // BatchSampler (1.13): with drop_last, batches of bs next() calls until one runs out; else a running batch.
    for (;;) {
      const indices: number[] = [];
      let i = 0;
      while (indices.length < bs && (i = nextIndex()) >= 0) indices.push(i);
      if (indices.length === bs) yield batchOf(indices);
      else {
        if (indices.length && !dl.dropLast) yield batchOf(indices);
        return;
      }
    }
  }

  const libraryRowsWithoutGrad = (ds: PyValue): boolean => {
    if (ds instanceof Subset) return libraryRowsWithoutGrad(ds.dataset);
    return ds instanceof TensorDataset && !(engine.gradEnabled && ds.tensors.some((t) => t.requiresGrad));
  };

  const loaderLen = (dl: DataLoader): number => {
    const n = len(dl.dataset);
    if (dl.batchSize === null) return n;
    return dl.dropLast ? Math.floor(n / dl.batchSize) : Math.ceil(n / dl.batchSize);
  };

  const tensorDatasetType: HostType<TensorDataset> = {
    typeName: () => 'TensorDataset',
    len: (d) => d.tensors[0]?.shape[0] ?? 0,
    getitem: (d, index) => new PyTuple(d.tensors.map((t) => rt().getitem(t, index))),
    getattr: (d, name) => (name === 'tensors' ? new PyTuple(d.tensors) : undefined),
    repr: () => '<torch.utils.data.dataset.TensorDataset object>',
  };
  const subsetType: HostType<Subset> = {
    typeName: () => 'Subset',
    len: (s) => s.indices.length,
    getitem: (s, index) => {
      if (typeof index !== 'number') throw typeError(`list indices must be integers or slices, not ${pyTypeName(index)}`);
      const i = index < 0 ? index + s.indices.length : index;
      if (i < 0 || i >= s.indices.length) throw new PyError('IndexError', 'list index out of range');
      return rt().getitem(s.dataset, s.indices[i]);
    },
    getattr: (s, name) => (name === 'dataset' ? s.dataset : name === 'indices' ? new PyList(s.indices) : undefined),
    repr: () => '<torch.utils.data.dataset.Subset object>',
  };
  const loaderType: HostType<DataLoader> = {
    typeName: () => 'DataLoader',
    len: loaderLen,
    iter: (dl) => ({ [Symbol.iterator]: () => epoch(dl) }),
    getattr: (dl, name) => {
      switch (name) {
        case 'dataset': return dl.dataset;
        case 'batch_size': return dl.batchSize;
        case 'drop_last': return dl.dropLast;
        case 'num_workers': return 0;
        default: return undefined;
      }
    },
    repr: () => '<torch.utils.data.dataloader.DataLoader object>',
  };
  const generatorType: HostType<TorchGenerator> = {
    typeName: () => 'Generator',
    getattr: (g, name) => {
      if (name === 'manual_seed') {
        return def('manual_seed', 'seed', ([s]) => {
          const seed = BigInt(intArg('manual_seed', 'seed', s));
          g.mt.seed(seed);
          g.initialSeed = seed;
          return g as unknown as PyValue;
        });
      }
      if (name === 'initial_seed') return def('initial_seed', '', () => Number(g.initialSeed));
      return undefined;
    },
    repr: () => '<torch._C.Generator object>',
  };

  const generatorOf = (v: PyValue | undefined, fn: string): TorchGenerator | null => {
    if (v === undefined || v === null || !given(v)) return null;
    if (!(v instanceof TorchGenerator)) throw typeError(`${fn}(): argument 'generator' must be torch.Generator, not ${pyTypeName(v)}`);
    return v;
  };

  // A program's Dataset derives from this (class Squares(Dataset)); its __getitem__ and __len__ are the program's.
  const datasetClass = new PyClass('Dataset', [], null, new Map<string, PyValue>([
    // super().__init__() in a program's Dataset: nothing to set up.
    ['__init__', new PyBuiltin('__init__', () => null)],
  ]), rt);

  const loaderClass = new PyType('DataLoader', (v) => v instanceof DataLoader, ctor('DataLoader',
    'dataset, batch_size=1, shuffle=None, sampler=None, batch_sampler=None, num_workers=0, collate_fn=None, pin_memory=False, drop_last=False, ' +
    "timeout=0, worker_init_fn=None, multiprocessing_context=None, generator=None, *, prefetch_factor=2, persistent_workers=False, pin_memory_device=''",
    ([ds, bs, sh, sampler, batchSampler, , cf, , dl, , , , gen]) => {
      if (sampler !== null && given(sampler)) throw new PyError('NotImplementedError', 'DataLoader(sampler=...) is not supported in this playground: use shuffle=True or False');
      if (batchSampler !== null && given(batchSampler)) throw new PyError('NotImplementedError', 'DataLoader(batch_sampler=...) is not supported in this playground');
      let batchSize: number | null = null;
      if (bs !== null) {
        if (typeof bs !== 'number' || bs <= 0) throw new PyError('ValueError', `batch_size should be a positive integer value, but got batch_size=${rt().repr(bs as PyValue)}`);
        batchSize = bs;
      }
      const shuffle = sh === null ? false : boolArg('DataLoader', 'shuffle', sh);
      const dropLast = boolArg('DataLoader', 'drop_last', dl);
      if (batchSize === null && dropLast) throw new PyError('ValueError', 'batch_size=None option disables auto-batching and is mutually exclusive with drop_last');
      return new DataLoader(ds as PyValue, batchSize, shuffle, dropLast, cf === null ? null : (cf as PyValue), generatorOf(gen as PyValue, 'DataLoader'));
    }));

  const tensorDatasetClass = new PyType('TensorDataset', (v) => v instanceof TensorDataset, (args, kwargs) => {
    if (kwargs && kwargs.size) throw typeError(`__init__() got an unexpected keyword argument '${[...kwargs.keys()][0]}'`);
    const tensors = args.map((a) => {
      if (!(a instanceof Tensor)) throw new PyError('AttributeError', `'${pyTypeName(a)}' object has no attribute 'size'`);
      return a;
    });
    if (tensors.some((t) => t.ndim === 0)) throw new PyError('IndexError', 'dimension specified as 0 but tensor has no dimensions');
    if (tensors.some((t) => t.shape[0] !== tensors[0].shape[0])) throw new PyError('AssertionError', 'Size mismatch between tensors');
    return new TensorDataset(tensors);
  });

  const subsetClass = new PyType('Subset', (v) => v instanceof Subset, ctor('Subset', 'dataset, indices', ([ds, ix]) =>
    new Subset(ds as PyValue, rt().toArray(ix as PyValue).map((i) => intArg('Subset', 'indices', i)))));

  const randomSplit = def('random_split', 'dataset, lengths, generator=None', ([ds, ls, gen]) => {
    const n = len(ds as PyValue);
    const raw = rt().toArray(ls as PyValue);
    let lengths: number[];
    const values = raw.map((v) => numberOf(v) ?? NaN);
    const total = values.reduce((a, b) => a + b, 0);
    if (Math.abs(total - 1) <= 1e-9 && total <= 1) {
      // Fractions (1.13: math.isclose(sum, 1)): floor(n · f) each, the remainder handed out round-robin.
      lengths = values.map((f) => Math.floor(n * f));
      let rest = n - lengths.reduce((a, b) => a + b, 0);
      for (let i = 0; rest > 0; i = (i + 1) % lengths.length, rest--) lengths[i] += 1;
    } else lengths = raw.map((v) => intArg('random_split', 'lengths', v));
    if (lengths.reduce((a, b) => a + b, 0) !== n) throw new PyError('ValueError', 'Sum of input lengths does not equal the length of the input dataset!');
    const g = generatorOf(gen as PyValue, 'random_split');
    const perm = g ? randperm(n, g.mt) : randperm(n, defaultGenerator);
    const out: PyValue[] = [];
    let at = 0;
    for (const l of lengths) {
      out.push(new Subset(ds as PyValue, perm.slice(at, at + l)));
      at += l;
    }
    return new PyList(out);
  });

  const generatorClass = new PyType('Generator', (v) => v instanceof TorchGenerator, ctor('Generator', "device='cpu'", () => new TorchGenerator()));

  const module = new PyModule('torch.utils.data', {
    Dataset: datasetClass,
    TensorDataset: tensorDatasetClass,
    Subset: subsetClass,
    DataLoader: loaderClass,
    random_split: randomSplit,
    default_collate: def('default_collate', 'batch', ([b]) => collate(rt().toArray(b as PyValue))),
  });
  return {
    module,
    generatorClass,
    hostTypes: [
      [TensorDataset, tensorDatasetType],
      [Subset, subsetType],
      [DataLoader, loaderType],
      [TorchGenerator, generatorType],
    ],
  };
}
