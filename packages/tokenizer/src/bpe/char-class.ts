/** Character classes of GPT-2's pre-tokenisation regex, exactly as JavaScript's `u` regexes see them. */
export const WHITESPACE = 1;
export const LETTER = 2;
export const NUMBER = 3;
/** Anything else: punctuation, symbols, emoji, marks, lone surrogates (`[^\s\p{L}\p{N}]`). */
export const OTHER = 4;

const IS_SPACE = /^\s$/u;
const IS_LETTER = /^\p{L}$/u;
const IS_NUMBER = /^\p{N}$/u;

// Filled on demand from the regexes themselves, so the scanner agrees with the engine's Unicode data.
let table: Uint8Array | undefined;

/** The class of code point `cp` (0 ≤ cp ≤ 0x10FFFF). @example charClass(0x1f600) // OTHER */
export function charClass(cp: number): number {
  table ??= new Uint8Array(0x110000);
  const known = table[cp]!;
  if (known !== 0) return known;
  const s = String.fromCodePoint(cp);
  const cls = IS_SPACE.test(s) ? WHITESPACE : IS_LETTER.test(s) ? LETTER : IS_NUMBER.test(s) ? NUMBER : OTHER;
  table[cp] = cls;
  return cls;
}
