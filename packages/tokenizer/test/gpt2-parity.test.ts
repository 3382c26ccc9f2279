import { encode as gptTokenizerEncode } from 'gpt-tokenizer/encoding/r50k_base';
import { Tiktoken } from 'js-tiktoken/lite';
import r50k from 'js-tiktoken/ranks/r50k_base';
import { beforeAll, describe, expect, it } from 'vitest';
import { BPETokenizer } from '../src/index.js';
import { mixedCorpus } from './helpers/corpus.js';
import { gpt2Files } from './helpers/gpt2-files.js';

const firstDifference = (a: readonly number[], b: readonly number[]) => {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return a.length === b.length ? -1 : n;
};

describe('GPT-2 parity with js-tiktoken and gpt-tokenizer (r50k_base)', () => {
  let gpt2: BPETokenizer;
  let corpus: string;
  beforeAll(() => {
    const files = gpt2Files();
    gpt2 = BPETokenizer.fromFiles(files.vocabJson, files.mergesTxt, { specialTokens: { eos: '<|endoftext|>' } });
    corpus = mixedCorpus();
  });

  it('builds from a corpus of at least 1 MB of English, code, Hangul, emoji and whitespace runs', () => {
    expect(Buffer.byteLength(corpus, 'utf8')).toBeGreaterThan(1_048_576);
    for (const sample of ['안녕하세요', '👩‍👩‍👧‍👦', 'e\u0301', '\u3000', 'interface Array<T>', "don't"]) {
      expect(corpus).toContain(sample);
    }
  });

  it('encodes the whole corpus token for token like js-tiktoken', () => {
    const ours = gpt2.encode(corpus);
    const theirs = new Tiktoken(r50k).encode(corpus);
    expect(firstDifference(ours, theirs)).toBe(-1);
    expect(ours.length).toBeGreaterThan(250_000);
  });

  it('encodes the whole corpus token for token like gpt-tokenizer', () => {
    expect(firstDifference(gpt2.encode(corpus), gptTokenizerEncode(corpus))).toBe(-1);
  });

  it('agrees line by line too, where every line starts a fresh pre-tokenisation', () => {
    const ref = new Tiktoken(r50k);
    const lines = corpus.split('\n').slice(0, 3000);
    const mismatched = lines.filter((line) => firstDifference(gpt2.encode(line), ref.encode(line)) !== -1);
    expect(mismatched).toEqual([]);
  });

  it('decodes the corpus back to itself, and its ids to the same text as js-tiktoken', () => {
    const ids = gpt2.encode(corpus);
    expect(gpt2.decode(ids)).toBe(corpus);
    expect(gpt2.decode(ids.slice(0, 5000))).toBe(new Tiktoken(r50k).decode(ids.slice(0, 5000)));
  });

  it('loads the same model from a Hugging Face tokenizer.json', () => {
    const { vocab, merges } = gpt2Files();
    const json = {
      version: '1.0',
      added_tokens: [{ id: 50256, content: '<|endoftext|>', special: true }],
      normalizer: null,
      pre_tokenizer: { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true },
      model: { type: 'BPE', dropout: null, unk_token: null, vocab, merges: merges.map((m) => m.join(' ')) },
    };
    const fromJson = BPETokenizer.fromTokenizerJson(JSON.stringify(json));
    const sample = corpus.slice(0, 50_000);
    expect(fromJson.encode(sample)).toEqual(gpt2.encode(sample));
    expect(fromJson.specialTokens.eos).toBe(50256);
  });
});
