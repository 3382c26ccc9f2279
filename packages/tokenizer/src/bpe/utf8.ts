/**
 * UTF-8 for byte-level tokenizers, with one documented policy for what UTF-8 cannot hold:
 * a lone surrogate (U+D800–U+DFFF without its partner) is encoded as U+FFFD's bytes EF BF BD,
 * exactly as `TextEncoder` does, so `decode(encode(s)) === s.toWellFormed()`.
 */

/** Number of UTF-8 bytes of code point `cp` (a lone surrogate counts as U+FFFD: 3). */
export function utf8Length(cp: number): number {
  return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
}

/** The code point at UTF-16 index `i` of `s`, as a surrogate pair when well formed. */
export function codePointAt(s: string, i: number): number {
  const hi = s.charCodeAt(i);
  if (hi >= 0xd800 && hi <= 0xdbff && i + 1 < s.length) {
    const lo = s.charCodeAt(i + 1);
    if (lo >= 0xdc00 && lo <= 0xdfff) return ((hi - 0xd800) << 10) + (lo - 0xdc00) + 0x10000;
  }
  return hi;
}

/**
 * Appends the UTF-8 bytes of `s[start, end)` to `out`, mapping each byte through `map`
 * (byte-level BPE passes the byte → token-id table). Returns the number of bytes written.
 * @example encodeUtf8('é', 0, 1, bytes, identity) // pushes 0xc3, 0xa9
 */
export function encodeUtf8(s: string, start: number, end: number, out: number[], map: ArrayLike<number>): number {
  const before = out.length;
  for (let i = start; i < end; i++) {
    let cp = s.charCodeAt(i);
    if (cp < 0x80) {
      out.push(map[cp]!);
      continue;
    }
    if (cp >= 0xd800 && cp <= 0xdfff) {
      const lo = i + 1 < end ? s.charCodeAt(i + 1) : 0;
      if (cp <= 0xdbff && lo >= 0xdc00 && lo <= 0xdfff) {
        cp = ((cp - 0xd800) << 10) + (lo - 0xdc00) + 0x10000;
        i++;
      } else {
        cp = 0xfffd; // lone surrogate: no UTF-8 form (see the policy above)
      }
    }
    if (cp < 0x800) {
      out.push(map[0xc0 | (cp >> 6)]!, map[0x80 | (cp & 63)]!);
    } else if (cp < 0x10000) {
      out.push(map[0xe0 | (cp >> 12)]!, map[0x80 | ((cp >> 6) & 63)]!, map[0x80 | (cp & 63)]!);
    } else {
      out.push(map[0xf0 | (cp >> 18)]!, map[0x80 | ((cp >> 12) & 63)]!, map[0x80 | ((cp >> 6) & 63)]!, map[0x80 | (cp & 63)]!);
    }
  }
  return out.length - before;
}

/** The identity byte map, for callers that want raw bytes from {@link encodeUtf8}. */
export const IDENTITY_BYTES: readonly number[] = Array.from({ length: 256 }, (_, b) => b);
