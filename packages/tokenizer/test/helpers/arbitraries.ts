import fc from 'fast-check';

/** Characters that exercise every branch of GPT-2's splitter: spaces before words, contractions, runs. */
const TRICKY = [' ', ' ', '  ', '\t', '\n', '\r\n', '\u00a0', '\u3000', "'", "'s", "'ll", "'re", 's', 't', 'll', 'a', 'Z', '7', '٣', '.', '!?', '😀', '👍🏽', '한', '글', 'é', 'e\u0301', '\u0301', '中', '\u200d', '\ufeff', '\u0085'];

/** Strings of arbitrary code points (lone surrogates included) mixed with tricky pieces. */
export const anyText = fc
  .array(
    fc.oneof(
      fc.string({ unit: 'binary', maxLength: 4 }),
      fc.integer({ min: 0xd800, max: 0xdfff }).map((u) => String.fromCharCode(u)), // lone surrogates
      fc.constantFrom(...TRICKY),
      fc.string({ unit: 'grapheme', maxLength: 6 }),
    ),
    { maxLength: 24 },
  )
  .map((parts) => parts.join(''));
