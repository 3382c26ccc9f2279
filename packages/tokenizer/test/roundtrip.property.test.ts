import fc from 'fast-check';
import { Tiktoken } from 'js-tiktoken/lite';
import r50k from 'js-tiktoken/ranks/r50k_base';
import { beforeAll, describe, expect, it } from 'vitest';
import { BPETokenizer } from '../src/index.js';
import { anyText } from './helpers/arbitraries.js';
import { mixedCorpus } from './helpers/corpus.js';
import { gpt2Files } from './helpers/gpt2-files.js';

// Policy under test: a lone surrogate has no UTF-8 form, so it is encoded as U+FFFD (EF BF BD),
// as TextEncoder does; hence decode(encode(s)) === s.toWellFormed() for every string s.

/** String.prototype.toWellFormed (ES2024, beyond this package's ES2022 lib): lone surrogates → U+FFFD. */
const wellFormed = (s: string) => s.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');

let gpt2: BPETokenizer;
let trained: BPETokenizer;
beforeAll(() => {
  const files = gpt2Files();
  gpt2 = BPETokenizer.fromFiles(files.vocabJson, files.mergesTxt);
  trained = BPETokenizer.train(mixedCorpus().slice(0, 200_000), { vocabSize: 1000 });
});

describe.each([
  ['GPT-2', () => gpt2],
  ['a BPE trained here', () => trained],
])('byte-level round trip: %s', (_name, tokenizer) => {
  it('decode(encode(s)) === s.toWellFormed() on 10,000 arbitrary strings', () => {
    const tok = tokenizer();
    fc.assert(
      fc.property(anyText, (text) => {
        expect(tok.decode(tok.encode(text))).toBe(wellFormed(text));
      }),
      { numRuns: 10_000 },
    );
  });

  it('is exact (no replacement) for well-formed strings', () => {
    const tok = tokenizer();
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), (text) => {
        expect(tok.decode(tok.encode(text))).toBe(text);
      }),
      { numRuns: 2_000 },
    );
  });

  it('encodes a lone surrogate exactly as U+FFFD and decodes it to U+FFFD', () => {
    const tok = tokenizer();
    for (const text of ['\ud800', 'a\udfffb', '\udc00\ud800', ' \ud83d']) {
      expect(tok.encode(text)).toEqual(tok.encode(wellFormed(text)));
      expect(tok.decode(tok.encode(text))).toBe(wellFormed(text));
    }
    expect([...tok.decodeBytes(tok.encode('\ud800'))]).toEqual([0xef, 0xbf, 0xbd]);
  });

  it('gives each token a span that decodes to exactly the text under it when no character is shared', () => {
    const tok = tokenizer();
    fc.assert(
      fc.property(anyText, (text) => {
        const { ids, offsets } = tok.encodeWithOffsets(text);
        expect(ids).toEqual(tok.encode(text));
        offsets.forEach(([start, end], i) => {
          const prevEnd = i > 0 ? offsets[i - 1]![1] : 0;
          const nextStart = i + 1 < offsets.length ? offsets[i + 1]![0] : text.length;
          expect(start).toBeLessThanOrEqual(prevEnd); // no gaps
          expect(start).toBeLessThan(end);
          if (start >= prevEnd && end <= nextStart) expect(tok.decode([ids[i]!])).toBe(wellFormed(text.slice(start, end)));
        });
        if (text.length > 0) expect(offsets.at(-1)![1]).toBe(text.length);
      }),
      { numRuns: 2_000 },
    );
  });
});

describe('bytes that are not valid UTF-8', () => {
  it('decode to U+FFFD by the WHATWG rules, while decodeBytes returns them untouched', () => {
    const tok = gpt2;
    const [first, second] = tok.encode('한'); // one syllable, three bytes, two tokens
    expect(tok.decode([first!])).toBe('\ufffd');
    expect(tok.decode([first!, second!])).toBe('한');
    expect([...tok.decodeBytes([first!, second!])]).toEqual([...new TextEncoder().encode('한')]);
  });

  it('match js-tiktoken on arbitrary strings, lone surrogates included (same U+FFFD policy)', () => {
    const ref = new Tiktoken(r50k);
    fc.assert(
      fc.property(anyText, (text) => {
        expect(gpt2.encode(text)).toEqual(ref.encode(text));
      }),
      { numRuns: 10_000 },
    );
  });
});
