// safetensors: round trips, half-precision decoding, the golden files' layout, and the library's errors.
import { readFileSync, existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Tensor } from '../tensor';
import { floatToHalf, loadFile, parseHeader, saveFile } from './safetensors';

const GOLDEN = '/work/shared/golden/resnet-io.safetensors';

function headerBytes(json: string, data = new Uint8Array(0)): Uint8Array {
  const h = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + h.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(h.length), true);
  out.set(h, 8);
  out.set(data, 8 + h.length);
  return out;
}

describe('safetensors', () => {
  it('round-trips every dtype the engine has', () => {
    const tensors = new Map<string, Tensor>([
      ['w', new Tensor(Float32Array.from([1.5, -2, 3e-8]), [3], 'float32')],
      ['d', new Tensor(Float64Array.from([Math.PI, -1e300]), [1, 2], 'float64')],
      ['i', new Tensor(Float64Array.from([-3, 2 ** 40, 0]), [3], 'int64')],
      ['b', new Tensor(Uint8Array.from([1, 0]), [2], 'bool')],
      ['s', new Tensor(Float32Array.from([7]), [], 'float32')],
    ]);
    const bytes = saveFile(tensors, { metadata: { format: 'pt' } });
    expect(parseHeader(bytes).metadata).toEqual({ format: 'pt' });
    expect((8 + Number(new DataView(bytes.buffer).getBigUint64(0, true))) % 8).toBe(0);
    const back = loadFile(bytes);
    for (const [k, t] of tensors) {
      const u = back.get(k)!;
      expect(u.dtype).toBe(t.dtype);
      expect(u.shape).toEqual(t.shape);
      expect(Array.from(u.data)).toEqual(Array.from(t.data));
    }
  });

  it('writes and reads F16 and BF16 (decoded to float32)', () => {
    const t = new Tensor(Float32Array.from([1, -0.5, 65504, 6e-8, 0.1, 1e6]), [6], 'float32');
    const half = loadFile(saveFile([['x', t]], { float32As: 'F16' })).get('x')!;
    expect(half.dtype).toBe('float32');
    expect(Array.from(half.data.slice(0, 3))).toEqual([1, -0.5, 65504]);
    expect(half.data[3]).toBeCloseTo(5.960464477539063e-8, 20);
    expect(half.data[4]).toBe(0.0999755859375);
    expect(half.data[5]).toBe(Infinity);
    const bf = loadFile(saveFile([['x', t]], { float32As: 'BF16' })).get('x')!;
    expect(bf.data[4]).toBe(0.10009765625);
    expect(floatToHalf(1)).toBe(0x3c00);
    expect(floatToHalf(-2)).toBe(0xc000);
  });

  it.runIf(existsSync(GOLDEN))("reads the golden I/O file's tensors", () => {
    const io = loadFile(new Uint8Array(readFileSync(GOLDEN)));
    expect(Array.from(io.keys())).toEqual(['data', 'labels', 'batch', 'target', 'head_weight', 'head_bias']);
    expect(io.get('data')!.shape).toEqual([1, 3, 64, 64]);
    expect(io.get('target')!.dtype).toBe('int64');
  });

  it('fails on truncated or malformed files with the library error names', () => {
    const ok = saveFile([['x', new Tensor(Float32Array.from([1, 2]), [2], 'float32')]]);
    expect(() => loadFile(ok.slice(0, 5))).toThrow('Error while deserializing header: HeaderTooSmall');
    expect(() => loadFile(ok.slice(0, 20))).toThrow('Error while deserializing header: InvalidHeaderLength');
    expect(() => loadFile(ok.slice(0, ok.length - 1))).toThrow('Error while deserializing header: MetadataIncompleteBuffer');
    expect(() => loadFile(headerBytes('[1, 2]'))).toThrow('InvalidHeaderStart');
    expect(() => loadFile(headerBytes('{"x": 1}'))).toThrow('InvalidHeaderDeserialization');
    expect(() => loadFile(headerBytes('{"x": {"dtype": "F32", "shape": [2], "data_offsets": [0, 4]}}', new Uint8Array(4)))).toThrow('TensorInvalidInfo');
    expect(() => loadFile(headerBytes('{"x": {"dtype": "F32", "shape": [1], "data_offsets": [4, 8]}}', new Uint8Array(8)))).toThrow('InvalidOffset');
    const big = new Uint8Array(8);
    new DataView(big.buffer).setBigUint64(0, 200_000_000n, true);
    expect(() => loadFile(big)).toThrow('HeaderTooLarge');
    try {
      loadFile(ok.slice(0, 5));
    } catch (e) {
      expect((e as { pyType: string }).pyType).toBe('SafetensorError');
    }
  });
});
