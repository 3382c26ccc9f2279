// safetensors dtypes: byte sizes and conversion to and from qkv's float32 / int32 / bool storage.
import type { DType, TypedArray } from '@qkv/tensor-core';

/** The safetensors dtypes qkv reads. F16, BF16 and F64 become float32; I64, I16, I8, U8 become int32. */
export type SafetensorsDType = 'F64' | 'F32' | 'F16' | 'BF16' | 'I64' | 'I32' | 'I16' | 'I8' | 'U8' | 'BOOL';

/** Bytes per element of each readable dtype (a null-prototype object: `'toString'` is no dtype). */
export const itemSize: Readonly<Record<SafetensorsDType, number>> = Object.freeze(
  Object.assign(Object.create(null) as Record<SafetensorsDType, number>, { F64: 8, F32: 4, F16: 2, BF16: 2, I64: 8, I32: 4, I16: 2, I8: 1, U8: 1, BOOL: 1 }),
);

/**
 * Whether a header's dtype string is one qkv reads (an own key of `itemSize`, so prototype keys
 * such as `'constructor'` are not).
 * @example isSafetensorsDType('BF16') // true; isSafetensorsDType('__proto__') // false
 */
export function isSafetensorsDType(d: string): d is SafetensorsDType {
  return Object.hasOwn(itemSize, d);
}

/** Dtypes of the format that qkv knowingly does not read (so the error can say "unsupported", not "unknown"). */
export const unsupported: ReadonlySet<string> = new Set(['U16', 'U32', 'U64', 'F8_E4M3', 'F8_E5M2', 'F8_E8M0', 'F4', 'F6_E2M3', 'F6_E3M2', 'C64']);

/** The tensor dtype a safetensors dtype loads as. */
export function loadedDType(d: SafetensorsDType): DType {
  if (d === 'BOOL') return 'bool';
  return d.startsWith('F') || d === 'BF16' ? 'float32' : 'int32';
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** IEEE half → float (exact). */
export function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 31) return frac ? NaN : sign * Infinity;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

/** float → IEEE half, rounding to nearest even; overflow gives ±∞. */
export function floatToHalf(v: number): number {
  f32[0] = v;
  const x = u32[0]!;
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  let mant = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0);
  let e = exp - 127 + 15;
  if (e >= 31) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    mant |= 0x800000;
    const shift = 14 - e;
    const half = 1 << (shift - 1);
    let m = mant >>> shift;
    const rest = mant & ((1 << shift) - 1);
    if (rest > half || (rest === half && (m & 1))) m++;
    return sign | m;
  }
  let m = mant >>> 13;
  const rest = mant & 0x1fff;
  if (rest > 0x1000 || (rest === 0x1000 && (m & 1))) {
    m++;
    if (m === 0x400) {
      m = 0;
      e++;
      if (e >= 31) return sign | 0x7c00;
    }
  }
  return sign | (e << 10) | m;
}

/** float → bfloat16 bits, rounding to nearest even (NaN stays NaN). */
export function floatToBf16(v: number): number {
  f32[0] = v;
  const x = u32[0]!;
  if ((x & 0x7fffffff) > 0x7f800000) return ((x >>> 16) | 0x40) & 0xffff;
  return ((x + 0x7fff + ((x >>> 16) & 1)) >>> 16) & 0xffff;
}

/** bfloat16 bits → float (exact). */
export function bf16ToFloat(b: number): number {
  u32[0] = b << 16;
  return f32[0]!;
}

/**
 * Decodes `count` little-endian elements at `view[offset…]`. Returns `{ outOfRange }` for an I64 value outside
 * the int32 range, reported by the caller.
 */
export function decode(view: DataView, offset: number, count: number, d: SafetensorsDType): TypedArray | { outOfRange: number } {
  switch (d) {
    case 'F32': { const o = new Float32Array(count); for (let i = 0; i < count; i++) o[i] = view.getFloat32(offset + 4 * i, true); return o; }
    case 'F64': { const o = new Float32Array(count); for (let i = 0; i < count; i++) o[i] = view.getFloat64(offset + 8 * i, true); return o; }
    case 'F16': { const o = new Float32Array(count); for (let i = 0; i < count; i++) o[i] = halfToFloat(view.getUint16(offset + 2 * i, true)); return o; }
    case 'BF16': { const o = new Float32Array(count); for (let i = 0; i < count; i++) o[i] = bf16ToFloat(view.getUint16(offset + 2 * i, true)); return o; }
    case 'I32': { const o = new Int32Array(count); for (let i = 0; i < count; i++) o[i] = view.getInt32(offset + 4 * i, true); return o; }
    case 'I16': { const o = new Int32Array(count); for (let i = 0; i < count; i++) o[i] = view.getInt16(offset + 2 * i, true); return o; }
    case 'I8': { const o = new Int32Array(count); for (let i = 0; i < count; i++) o[i] = view.getInt8(offset + i); return o; }
    case 'U8': { const o = new Int32Array(count); for (let i = 0; i < count; i++) o[i] = view.getUint8(offset + i); return o; }
    case 'BOOL': { const o = new Uint8Array(count); for (let i = 0; i < count; i++) o[i] = view.getUint8(offset + i) ? 1 : 0; return o; }
    case 'I64': {
      const o = new Int32Array(count);
      for (let i = 0; i < count; i++) {
        const lo = view.getUint32(offset + 8 * i, true);
        const hi = view.getInt32(offset + 8 * i + 4, true);
        if (!((hi === 0 && lo < 0x80000000) || (hi === -1 && lo >= 0x80000000))) return { outOfRange: hi * 2 ** 32 + lo };
        o[i] = lo | 0;
      }
      return o;
    }
    default: return d satisfies never;
  }
}

/** Encodes values into `view` at `offset` as `d` (little-endian). */
export function encode(view: DataView, offset: number, values: TypedArray, d: SafetensorsDType): void {
  const n = values.length;
  switch (d) {
    case 'F32': for (let i = 0; i < n; i++) view.setFloat32(offset + 4 * i, values[i]!, true); return;
    case 'F64': for (let i = 0; i < n; i++) view.setFloat64(offset + 8 * i, values[i]!, true); return;
    case 'F16': for (let i = 0; i < n; i++) view.setUint16(offset + 2 * i, floatToHalf(values[i]!), true); return;
    case 'BF16': for (let i = 0; i < n; i++) view.setUint16(offset + 2 * i, floatToBf16(values[i]!), true); return;
    case 'I32': for (let i = 0; i < n; i++) view.setInt32(offset + 4 * i, values[i]!, true); return;
    case 'I16': for (let i = 0; i < n; i++) view.setInt16(offset + 2 * i, values[i]!, true); return;
    case 'I8': for (let i = 0; i < n; i++) view.setInt8(offset + i, values[i]!); return;
    case 'U8': case 'BOOL': for (let i = 0; i < n; i++) view.setUint8(offset + i, values[i]!); return;
    case 'I64':
      for (let i = 0; i < n; i++) {
        view.setInt32(offset + 8 * i, values[i]!, true);
        view.setInt32(offset + 8 * i + 4, values[i]! < 0 ? -1 : 0, true);
      }
      return;
    default: d satisfies never;
  }
}
