// Dtypes: PyTorch 1.13.1's promotion table, the storage each dtype gets, casts as PyTorch's CPU casts, and
// safetensors' integer types kept as they are.
import { describe, expect, it } from 'vitest';
import { allocStorage, castInto, copyStorage, promoteTypes, recycling, releaseStorage, resultType, type DType } from './dtype';
import { loadFile, saveFile } from './io/safetensors';
import * as E from './index';

const ALL: DType[] = ['bool', 'uint8', 'int8', 'int16', 'int32', 'int64', 'float32', 'float64'];

describe('type promotion', () => {
  it('is torch.promote_types for every pair', () => {
    // Printed by PyTorch 1.13.1: torch.promote_types(a, b) for a (rows) and b (columns) in ALL's order.
    const table = `bool uint8 int8 int16 int32 int64 float32 float64
uint8 uint8 int16 int16 int32 int64 float32 float64
int8 int16 int8 int16 int32 int64 float32 float64
int16 int16 int16 int16 int32 int64 float32 float64
int32 int32 int32 int32 int32 int64 float32 float64
int64 int64 int64 int64 int64 int64 float32 float64
float32 float32 float32 float32 float32 float32 float32 float64
float64 float64 float64 float64 float64 float64 float64 float64`;
    const got = ALL.map((a) => ALL.map((b) => promoteTypes(a, b)).join(' ')).join('\n');
    expect(got).toBe(table);
  });

  it('is torch.result_type with Python numbers and zero-dim tensors', () => {
    const dim = (dtype: DType) => ({ dtype, zeroDim: false, wrappedNumber: false });
    const zero = (dtype: DType) => ({ dtype, zeroDim: true, wrappedNumber: false });
    const num = (dtype: DType) => ({ dtype, zeroDim: true, wrappedNumber: true });
    // PyTorch: result_type(u8 tensor, 1000) uint8; (u8, 2.5) float32; (int8 0-dim, u8 tensor) uint8; (True, u8) uint8;
    // (float 0-dim, u8) float32; (u8 0-dim, int8 tensor) int8; (u8 tensor, int16 0-dim) uint8.
    expect(resultType([dim('uint8'), num('int64')])).toBe('uint8');
    expect(resultType([dim('uint8'), num('float64')])).toBe('float32');
    expect(resultType([zero('int8'), dim('uint8')])).toBe('uint8');
    expect(resultType([num('bool'), dim('uint8')])).toBe('uint8');
    expect(resultType([zero('float32'), dim('uint8')])).toBe('float32');
    expect(resultType([zero('uint8'), dim('int8')])).toBe('int8');
    expect(resultType([dim('uint8'), zero('int16')])).toBe('uint8');
  });
});

describe('narrow integer storage', () => {
  it('gives each dtype its typed array, and keeps the class through copies and recycling', () => {
    expect(allocStorage('uint8', 3)).toBeInstanceOf(Uint8Array);
    expect(allocStorage('int8', 3)).toBeInstanceOf(Int8Array);
    expect(allocStorage('int16', 3)).toBeInstanceOf(Int16Array);
    expect(copyStorage(allocStorage('int8', 3))).toBeInstanceOf(Int8Array);
    expect(copyStorage(allocStorage('int16', 3))).toBeInstanceOf(Int16Array);
    // Large enough to be pooled: an int16 array of 512 elements is not handed out as an int8 or bool one.
    for (const [put, take, cls] of [['int16', 'int8', Int8Array], ['int8', 'int16', Int16Array], ['int8', 'uint8', Uint8Array]] as const) {
      recycling(() => {
        releaseStorage(allocStorage(put, 512));
        const st = allocStorage(take, 512);
        expect(st).toBeInstanceOf(cls);
        expect(st.length).toBe(512);
      });
    }
  });

  it('casts floats as PyTorch CPU does: through int32, then the low bits', () => {
    // PyTorch 1.13.1: torch.tensor([-1.5, 300.7, 256., -256.5, 1e10, nan, inf, -3e9, 3e9, -129.7]).byte() / .char() / .short()
    const src = Float32Array.of(-1.5, 300.7, 256, -256.5, 1e10, NaN, Infinity, -3e9, 3e9, -129.7);
    const cast = (dtype: DType) => {
      const out = allocStorage(dtype, src.length);
      castInto(out, dtype, src, 'float32');
      return Array.from(out);
    };
    expect(cast('uint8')).toEqual([255, 44, 0, 0, 0, 0, 0, 0, 0, 127]);
    expect(cast('int8')).toEqual([-1, 44, 0, 0, 0, 0, 0, 0, 0, 127]);
    expect(cast('int16')).toEqual([-1, 300, 256, -256, 0, 0, 0, 0, 0, -129]);
  });

  it('wraps arithmetic and keeps the dtype through the engine', () => {
    const u = E.tensor([1, 200, 255], { dtype: 'uint8' });
    const c = E.tensor([-128, 127, 5], { dtype: 'int8' });
    const sum = E.add(u, c);
    expect(sum.dtype).toBe('int16');
    expect(Array.from(sum.data)).toEqual([-127, 327, 260]);
    const wrapped = E.add(u, 1000);
    expect(wrapped.dtype).toBe('uint8');
    expect(Array.from(wrapped.data)).toEqual([233, 176, 231]);
    expect(Array.from(E.mul(c, 2).data)).toEqual([0, -2, 10]);
  });

  it('round-trips safetensors U8, I8 and I16 as their own dtypes', () => {
    const tensors: [string, E.Tensor][] = [
      ['u', E.tensor([0, 128, 255], { dtype: 'uint8' })],
      ['c', E.tensor([-128, 0, 127], { dtype: 'int8' })],
      ['h', E.tensor([-32768, 5, 32767], { dtype: 'int16' })],
    ];
    const back = loadFile(saveFile(tensors));
    for (const [name, t] of tensors) {
      const b = back.get(name)!;
      expect(b.dtype).toBe(t.dtype);
      expect(Array.from(b.data)).toEqual(Array.from(t.data));
    }
  });
});
