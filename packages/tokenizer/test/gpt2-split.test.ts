import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GPT2_PATTERN, gpt2Split } from '../src/index.js';
import { anyText } from './helpers/arbitraries.js';

/** The reference: the regex itself, as js-tiktoken and gpt-tokenizer run it. */
const byRegex = (text: string) => [...text.matchAll(new RegExp(GPT2_PATTERN, 'gu'))].map((m) => m[0]);

describe('gpt2Split (hand-compiled GPT-2 pre-tokenisation)', () => {
  it.each([
    ["I'm here", ['I', "'m", ' here']],
    ['Hello  world', ['Hello', ' ', ' world']],
    ['a\t\tb', ['a', '\t', '\t', 'b']],
    ['end   ', ['end', '   ']],
    ["they'll 's'", ['they', "'ll", " '", 's', "'"]],
    ['안녕하세요 세계', ['안녕하세요', ' 세계']],
    ['x=1+2;', ['x', '=', '1', '+', '2', ';']],
    ['😀👍🏽 ok', ['😀👍🏽', ' ok']],
  ])('splits %j like the regex', (text, pieces) => {
    expect(gpt2Split(text)).toEqual(pieces);
    expect(byRegex(text)).toEqual(pieces);
  });

  it('gives exactly the regex pieces on 10,000 arbitrary strings, lone surrogates included', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        expect(gpt2Split(text)).toEqual(byRegex(text));
      }),
      { numRuns: 10_000 },
    );
  });
});
