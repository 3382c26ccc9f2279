import { charClass, LETTER, NUMBER, OTHER, WHITESPACE } from './char-class.js';

/**
 * GPT-2's pre-tokenisation, hand-compiled: the same pieces as
 * `'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+` with the `u` flag,
 * without allocating a match object per piece (the regex is most of js-tiktoken's time).
 */
export const GPT2_PATTERN = String.raw`'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+`;

const ASCII = Uint8Array.from({ length: 128 }, (_, c) => charClass(c));
const APOSTROPHE = 39;
const SPACE = 32;

/** Class and UTF-16 width of the code point at `i`, packed as class * 4 + width. */
function classAt(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c < 128) return ASCII[c]! * 4 + 1;
  if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
    const lo = text.charCodeAt(i + 1);
    if (lo >= 0xdc00 && lo <= 0xdfff) return charClass(((c - 0xd800) << 10) + (lo - 0xdc00) + 0x10000) * 4 + 2;
  }
  return charClass(c) * 4 + 1;
}

/** End of the run of class `cls` that starts at `i`. */
function runEnd(text: string, i: number, cls: number): number {
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c < 128) {
      if (ASCII[c] !== cls) return i;
      i++;
      continue;
    }
    const packed = classAt(text, i);
    if (packed >> 2 !== cls) return i;
    i += packed & 3;
  }
  return i;
}

/** Length (2, 3 or 0) of a contraction `'s 't 're 've 'm 'll 'd` at `i`. */
function contractionLength(text: string, i: number): number {
  const c1 = text.charCodeAt(i + 1);
  if (c1 === 115 || c1 === 116 || c1 === 109 || c1 === 100) return 2; // s t m d
  const c2 = text.charCodeAt(i + 2);
  if ((c1 === 114 || c1 === 118) && c2 === 101) return 3; // re ve
  if (c1 === 108 && c2 === 108) return 3; // ll
  return 0;
}

/**
 * End (exclusive) of the GPT-2 piece that starts at `start` (< text.length).
 * @example nextPieceEnd("Hello world", 5) // 11: the piece is " world"
 */
export function nextPieceEnd(text: string, start: number): number {
  const n = text.length;
  const c = text.charCodeAt(start);
  if (c === APOSTROPHE) {
    const len = contractionLength(text, start);
    if (len > 0) return start + len;
  }
  if (c === SPACE && start + 1 < n) {
    const cls = classAt(text, start + 1) >> 2;
    if (cls !== WHITESPACE) return runEnd(text, start + 1, cls); // ` ?\p{L}+`, ` ?\p{N}+`, ` ?[^\s\p{L}\p{N}]+`
  }
  const cls = classAt(text, start) >> 2;
  if (cls === LETTER || cls === NUMBER || cls === OTHER) return runEnd(text, start, cls);
  // `\s+(?!\S)|\s+`: a whitespace run gives its last character to the word that follows it.
  const end = runEnd(text, start, WHITESPACE);
  return end === n || end - start === 1 ? end : end - 1;
}

/**
 * Splits text into GPT-2 pieces. @example gpt2Split("I'm  here") // ['I', "'m", ' ', ' here']
 */
export function gpt2Split(text: string): string[] {
  const pieces: string[] = [];
  for (let i = 0; i < text.length; ) {
    const end = nextPieceEnd(text, i);
    pieces.push(text.slice(i, end));
    i = end;
  }
  return pieces;
}
