// safetensors: an 8-byte little-endian header length, a JSON header { name: { dtype, shape, data_offsets } }
// (plus an optional "__metadata__" of strings), then the raw little-endian bytes.
//
// Note: the engine has no half dtypes, so F16 and BF16 decode to float32 tensors; the integer types keep theirs
// (I64 exact below 2^53). Errors use the safetensors library's names
// ("Error while deserializing header: HeaderTooSmall") as the SafetensorError Python sees.
import { allocStorage } from '../dtype';
import { EngineError } from '../context';
import { fromData } from '../creation';
import type { DType, Storage } from '../dtype';
import { Tensor } from '../tensor';

export type SafetensorsDType = 'F64' | 'F32' | 'F16' | 'BF16' | 'I64' | 'I32' | 'I16' | 'I8' | 'U8' | 'BOOL';

const BYTES: Record<SafetensorsDType, number> = { F64: 8, F32: 4, F16: 2, BF16: 2, I64: 8, I32: 4, I16: 2, I8: 1, U8: 1, BOOL: 1 };
const ENGINE_DTYPE: Record<SafetensorsDType, DType> = {
  F64: 'float64', F32: 'float32', F16: 'float32', BF16: 'float32', I64: 'int64', I32: 'int32', I16: 'int16', I8: 'int8', U8: 'uint8', BOOL: 'bool',
};
/** The safetensors library refuses headers above 100 MB. */
const MAX_HEADER = 100_000_000;

export interface TensorInfo {
  dtype: SafetensorsDType;
  shape: number[];
  dataOffsets: [number, number];
}

export interface SafetensorsHeader {
  tensors: Map<string, TensorInfo>;
  metadata: Record<string, string> | null;
  /** Byte offset where the data section starts (8 + header length). */
  dataStart: number;
}

const fail = (what: string): EngineError => new EngineError('SafetensorError', `Error while deserializing header: ${what}`);

/** Parses and validates the header (offsets contiguous, sizes matching dtype x shape, inside the buffer). */
export function parseHeader(bytes: Uint8Array): SafetensorsHeader {
  if (bytes.length < 8) throw fail('HeaderTooSmall');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = Number(view.getBigUint64(0, true));
  if (n > MAX_HEADER) throw fail('HeaderTooLarge');
  const dataStart = 8 + n;
  if (dataStart > bytes.length) throw fail('InvalidHeaderLength');
  const text = utf8Decode(bytes.subarray(8, dataStart));
  if (text === null) throw fail('InvalidHeader');
  if (!text.startsWith('{')) throw fail('InvalidHeaderStart');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw fail('InvalidHeaderDeserialization');
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw fail('InvalidHeaderDeserialization');
  const tensors = new Map<string, TensorInfo>();
  let metadata: Record<string, string> | null = null;
  for (const [name, raw] of Object.entries(json as Record<string, unknown>)) {
    if (name === '__metadata__') {
      metadata = raw as Record<string, string>;
      continue;
    }
    const info = raw as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    const dtype = info?.dtype as SafetensorsDType;
    const shape = info?.shape;
    const offsets = info?.data_offsets;
    if (
      typeof dtype !== 'string' || !(dtype in BYTES) || !Array.isArray(shape) || !shape.every((s) => Number.isInteger(s) && s >= 0) ||
      !Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((o) => Number.isInteger(o) && o >= 0)
    ) {
      throw fail('InvalidHeaderDeserialization');
    }
    tensors.set(name, { dtype, shape: shape as number[], dataOffsets: [offsets[0], offsets[1]] });
  }
  // Offsets must tile the data section without gaps or overlaps, as the library checks.
  const sorted = Array.from(tensors.entries()).sort((a, b) => a[1].dataOffsets[0] - b[1].dataOffsets[0] || a[1].dataOffsets[1] - b[1].dataOffsets[1]);
  let start = 0;
  for (const [name, info] of sorted) {
    const [s, e] = info.dataOffsets;
    if (s !== start || e < s) throw fail(`InvalidOffset(${JSON.stringify(name)})`);
    const numel = info.shape.reduce((a, b) => a * b, 1);
    if (numel * BYTES[info.dtype] !== e - s) throw fail('TensorInvalidInfo');
    start = e;
  }
  if (dataStart + start !== bytes.length) throw fail('MetadataIncompleteBuffer');
  return { tensors, metadata, dataStart };
}

/** An aligned copy of a byte range (views need their element alignment). */
function aligned(bytes: Uint8Array, start: number, end: number): ArrayBuffer {
  return bytes.slice(start, end).buffer as ArrayBuffer;
}

let halfTable: Float32Array | null = null;

/** IEEE half -> float32, for all 65536 bit patterns (made once). */
function halfToFloatTable(): Float32Array {
  if (halfTable) return halfTable;
  const t = new Float32Array(65536);
  for (let h = 0; h < 65536; h++) {
    const sign = h & 0x8000 ? -1 : 1;
    const exp = (h >> 10) & 0x1f;
    const frac = h & 0x3ff;
    if (exp === 0) t[h] = sign * frac * 2 ** -24;
    else if (exp === 31) t[h] = frac ? NaN : sign * Infinity;
    else t[h] = sign * (1 + frac / 1024) * 2 ** (exp - 15);
  }
  halfTable = t;
  return t;
}

/** Decodes one tensor's bytes into engine storage. */
export function decode(dtype: SafetensorsDType, bytes: Uint8Array, start: number, end: number): Storage {
  const n = (end - start) / BYTES[dtype];
  switch (dtype) {
    case 'F32': {
      // Into engine storage (recycled between the app's runs, see recyclingAfter): a byte copy, which
      // needs no alignment of the file's data.
      const out = allocStorage('float32', n, false) as Float32Array;
      new Uint8Array(out.buffer, out.byteOffset, out.byteLength).set(bytes.subarray(start, end));
      return out;
    }
    case 'F64':
      return new Float64Array(aligned(bytes, start, end));
    case 'F16': {
      const src = new Uint16Array(aligned(bytes, start, end));
      const table = halfToFloatTable();
      const out = allocStorage('float32', n, false) as Float32Array;
      for (let i = 0; i < n; i++) out[i] = table[src[i]];
      return out;
    }
    case 'BF16': {
      const src = new Uint16Array(aligned(bytes, start, end));
      const out = new Float32Array(n);
      const bits = new Uint32Array(out.buffer);
      for (let i = 0; i < n; i++) bits[i] = src[i] << 16;
      return out;
    }
    case 'I64': {
      const src = new Int32Array(aligned(bytes, start, end));
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++) out[i] = src[2 * i + 1] * 4294967296 + (src[2 * i] >>> 0);
      return out;
    }
    case 'I32':
      return Int32Array.from(new Int32Array(aligned(bytes, start, end)));
    case 'I16':
      return Int16Array.from(new Int16Array(aligned(bytes, start, end)));
    case 'I8':
      return Int8Array.from(new Int8Array(aligned(bytes, start, end)));
    case 'U8':
      return Uint8Array.from(bytes.subarray(start, end));
    case 'BOOL':
      return Uint8Array.from(bytes.subarray(start, end), (b) => (b ? 1 : 0));
  }
}

/** safetensors.torch.load_file: every tensor of the file, in the header's order, as new leaves (origin 'load'). */
export function loadFile(bytes: Uint8Array): Map<string, Tensor> {
  const header = parseHeader(bytes);
  const out = new Map<string, Tensor>();
  for (const [name, info] of header.tensors) {
    const [s, e] = info.dataOffsets;
    const data = decode(info.dtype, bytes, header.dataStart + s, header.dataStart + e);
    out.set(name, fromData(data, info.shape, ENGINE_DTYPE[info.dtype], 'load'));
  }
  return out;
}

/** The safetensors dtype a float tensor is written as (F32 by default; F16/BF16 halve the file). */
export type FloatEncoding = 'F32' | 'F16' | 'BF16';

export interface SaveOptions {
  metadata?: Record<string, string>;
  /** How float32 tensors are stored; float64 stays F64. */
  float32As?: FloatEncoding;
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** float32 -> IEEE half, rounding to nearest even (as torch's .half()). */
export function floatToHalf(x: number): number {
  f32[0] = x;
  const b = u32[0];
  const sign = (b >>> 16) & 0x8000;
  const exp = (b >>> 23) & 0xff;
  let mant = b & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0);
  let e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    mant |= 0x800000;
    const shift = 14 - e;
    let h = mant >>> shift;
    const rem = mant & ((1 << shift) - 1);
    const half = 1 << (shift - 1);
    if (rem > half || (rem === half && h & 1)) h++;
    return sign | h;
  }
  let h = (e << 10) | (mant >>> 13);
  const rem = mant & 0x1fff;
  if (rem > 0x1000 || (rem === 0x1000 && h & 1)) h++;
  return sign | h;
}

/** float32 -> bfloat16, rounding to nearest even. */
function floatToBf16(x: number): number {
  f32[0] = x;
  const b = u32[0];
  if ((b & 0x7fffffff) > 0x7f800000) return (b >>> 16) | 0x40;
  return ((b + 0x7fff + ((b >>> 16) & 1)) >>> 16) & 0xffff;
}

function encodingOf(t: Tensor, o: SaveOptions): SafetensorsDType {
  switch (t.dtype) {
    case 'float32':
      return o.float32As ?? 'F32';
    case 'float64':
      return 'F64';
    case 'int64':
      return 'I64';
    case 'int32':
      return 'I32';
    case 'int16':
      return 'I16';
    case 'int8':
      return 'I8';
    case 'uint8':
      return 'U8';
    case 'bool':
      return 'BOOL';
  }
}

function encode(t: Tensor, dtype: SafetensorsDType): Uint8Array {
  const n = t.data.length;
  switch (dtype) {
    case 'F32':
      return new Uint8Array(Float32Array.from(t.data).buffer);
    case 'F64':
      return new Uint8Array(Float64Array.from(t.data).buffer);
    case 'F16':
      return new Uint8Array(Uint16Array.from(t.data, floatToHalf).buffer);
    case 'BF16':
      return new Uint8Array(Uint16Array.from(t.data, floatToBf16).buffer);
    case 'I64': {
      const out = new Int32Array(2 * n);
      for (let i = 0; i < n; i++) {
        const v = t.data[i];
        const hi = Math.floor(v / 4294967296);
        out[2 * i] = v - hi * 4294967296;
        out[2 * i + 1] = hi;
      }
      return new Uint8Array(out.buffer);
    }
    case 'I32':
      return new Uint8Array(Int32Array.from(t.data).buffer);
    case 'I16':
      return new Uint8Array(Int16Array.from(t.data).buffer);
    case 'I8':
      return new Uint8Array(Int8Array.from(t.data).buffer);
    case 'U8':
      return Uint8Array.from(t.data);
    case 'BOOL':
      return Uint8Array.from(t.data, (v) => (v ? 1 : 0));
    default:
      throw new EngineError('SafetensorError', `cannot write dtype ${dtype}`);
  }
}

/**
 * safetensors.torch.save: tensors sorted by element size (largest first, keeping alignment) then name,
 * the header padded with spaces to a multiple of 8 bytes, as the reference writer does.
 */
export function saveFile(tensors: Iterable<[string, Tensor]>, options: SaveOptions = {}): Uint8Array {
  const entries = Array.from(tensors, ([name, t]) => ({ name, t, dtype: encodingOf(t, options) }));
  entries.sort((a, b) => BYTES[b.dtype] - BYTES[a.dtype] || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const header: Record<string, unknown> = {};
  if (options.metadata) header.__metadata__ = options.metadata;
  const blobs: Uint8Array[] = [];
  let offset = 0;
  for (const { name, t, dtype } of entries) {
    const blob = encode(t, dtype);
    header[name] = { dtype, shape: t.shape.slice(), data_offsets: [offset, offset + blob.length] };
    blobs.push(blob);
    offset += blob.length;
  }
  let json = utf8Encode(JSON.stringify(header));
  const padded = Math.ceil(json.length / 8) * 8;
  if (padded !== json.length) {
    const p = new Uint8Array(padded).fill(0x20);
    p.set(json);
    json = p;
  }
  const out = new Uint8Array(8 + json.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  let at = 8 + json.length;
  for (const b of blobs) {
    out.set(b, at);
    at += b.length;
  }
  return out;
}

// The engine's lib has no TextEncoder/TextDecoder (no DOM): UTF-8 by hand, strict as the library's decoder.

/** Strict UTF-8 decode; null on malformed input. */
export function utf8Decode(b: Uint8Array): string | null {
  let out = '';
  for (let i = 0; i < b.length; ) {
    const c = b[i];
    let cp: number;
    let extra: number;
    if (c < 0x80) {
      cp = c;
      extra = 0;
    } else if (c >= 0xc2 && c < 0xe0) {
      cp = c & 0x1f;
      extra = 1;
    } else if (c >= 0xe0 && c < 0xf0) {
      cp = c & 0x0f;
      extra = 2;
    } else if (c >= 0xf0 && c < 0xf5) {
      cp = c & 0x07;
      extra = 3;
    } else return null;
    if (i + extra >= b.length + (extra ? 0 : 1)) return null;
    for (let k = 1; k <= extra; k++) {
      const cc = b[i + k];
      if ((cc & 0xc0) !== 0x80) return null;
      cp = (cp << 6) | (cc & 0x3f);
    }
    if ((extra === 2 && cp < 0x800) || (extra === 3 && (cp < 0x10000 || cp > 0x10ffff)) || (cp >= 0xd800 && cp < 0xe000)) return null;
    out += String.fromCodePoint(cp);
    i += extra + 1;
  }
  return out;
}

export function utf8Encode(s: string): Uint8Array {
  const bytes: number[] = [];
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (cp < 0x80) bytes.push(cp);
    else if (cp < 0x800) bytes.push(0xc0 | (cp >> 6), 0x80 | (cp & 0x3f));
    else if (cp < 0x10000) bytes.push(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
    else bytes.push(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 0x3f), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
  }
  return Uint8Array.from(bytes);
}
