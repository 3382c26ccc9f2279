// GPT-2 tokenizer throughput: @qkv/tokenizer against js-tiktoken and gpt-tokenizer, same corpus.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { BPETokenizer, vocabAndMergesFromTiktoken } from '@qkv/tokenizer';
import r50k from 'js-tiktoken/ranks/r50k_base';
import { encode as gptEncode } from 'gpt-tokenizer/encoding/r50k_base';
import { getEncoding } from 'js-tiktoken';
import { time } from '../harness.js';
import type { BenchContext, Measurement } from '../harness.js';

const require = createRequire(import.meta.url);

/** A deterministic mixed corpus: English prose, source code from installed packages, Hangul, emoji. */
export function mixedCorpus(bytes: number): string {
  const parts: string[] = [];
  let size = 0;
  const add = (s: string) => {
    parts.push(s);
    size += Buffer.byteLength(s);
  };
  const codeDir = dirname(require.resolve('js-tiktoken'));
  const files = readdirSync(codeDir).filter((f) => /\.(c?js|mjs|ts)$/.test(f) && statSync(join(codeDir, f)).size < 400_000);
  const prose = 'The quick brown fox jumps over the lazy dog. Attention is all you need, they said, and 2017 proved them right!  ';
  const hangul = '트랜스포머는 어텐션으로 문장의 모든 단어를 한꺼번에 봅니다. 안녕하세요, 세계! ';
  const emoji = '🤖✨ 👩‍💻🚀 ñandú café naïve ';
  let i = 0;
  while (size < bytes) {
    add(prose.repeat(3));
    add(hangul);
    add(emoji);
    const f = files[i++ % Math.max(1, files.length)];
    if (f) add(readFileSync(join(codeDir, f), 'utf8').slice(0, 20_000));
    add('\n\n    \t  indented   whitespace runs   \n');
  }
  return parts.join('');
}

/** Tokens/s and MB/s of GPT-2 encoding. */
export async function tokenizerSuite(ctx: BenchContext): Promise<Measurement[]> {
  const corpus = mixedCorpus(ctx.quick ? 20_000 : 1_000_000);
  const mb = Buffer.byteLength(corpus);
  const tiktoken = getEncoding('r50k_base');
  const reference = tiktoken.encode(corpus);
  const { vocab, merges } = vocabAndMergesFromTiktoken(r50k.bpe_ranks, r50k.special_tokens);
  const ours = BPETokenizer.fromVocabAndMerges(vocab, merges, { specialTokens: { eos: '<|endoftext|>', pad: '<|endoftext|>' } });
  const out: Measurement[] = [];
  const add = (system: string, t: Awaited<ReturnType<typeof time>>, ids: number[]) => {
    const same = ids.length === reference.length && ids.every((x, i) => x === reference[i]);
    if (!same) throw new Error(`tokenizer ${system}: encoding differs from js-tiktoken's r50k_base`);
    out.push({ suite: 'tokenizer', case: `${(mb / 1e6).toFixed(2)} MB mixed`, system, ...t, work: { amount: mb, unit: 'MB/s' }, maxAbsDiff: 0 });
  };
  add('qkv', await time(() => ours.encode(corpus), ctx.quick, { minRuns: 3 }), ours.encode(corpus));
  add('js-tiktoken', await time(() => tiktoken.encode(corpus), ctx.quick, { minRuns: 3 }), reference);
  add('gpt-tokenizer', await time(() => gptEncode(corpus), ctx.quick, { minRuns: 3 }), gptEncode(corpus));
  return out;
}
