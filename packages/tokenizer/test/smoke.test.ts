import { Tiktoken } from 'js-tiktoken/lite';
import r50k from 'js-tiktoken/ranks/r50k_base';
import { it, expect } from 'vitest';
import { BPETokenizer } from '../src/index.js';
import { gpt2Files } from './helpers/gpt2-files.js';

it('smoke', () => {
  const t0 = performance.now();
  const f = gpt2Files();
  const t1 = performance.now();
  const tok = BPETokenizer.fromFiles(f.vocabJson, f.mergesTxt);
  const t2 = performance.now();
  console.log('files', t1 - t0, 'load', t2 - t1, f.merges.length);
  const ref = new Tiktoken(r50k);
  const s = "Hello world! I'm here   \n\n  안녕하세요 세계 😀👍🏽 e\u0301 12345 fn(x) => x*2;\t\tend  ";
  expect(tok.encode(s)).toEqual(ref.encode(s));
  expect(tok.decode(tok.encode(s))).toBe(s);
  console.log(tok.encodeWithOffsets("Hi 안녕").offsets);
});
