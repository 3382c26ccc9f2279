// GPT-2's vocab.json and merges.txt, rebuilt from the r50k_base ranks that js-tiktoken ships
// (r50k_base is GPT-2's encoding: rank = GPT-2 token id), so nothing large is committed.
import r50k from 'js-tiktoken/ranks/r50k_base';
import { vocabAndMergesFromTiktoken } from '../../src/index.js';

export interface Gpt2Files {
  /** token (GPT-2 byte ↔ character spelling) → id, as in GPT-2's encoder.json */
  vocab: Record<string, number>;
  /** merges in rank order, as in GPT-2's vocab.bpe / merges.txt */
  merges: [string, string][];
  vocabJson: string;
  mergesTxt: string;
}

let cached: Gpt2Files | undefined;

/** GPT-2's files, built once per test file (about a second). */
export function gpt2Files(): Gpt2Files {
  if (cached) return cached;
  const { vocab, merges } = vocabAndMergesFromTiktoken(r50k.bpe_ranks, r50k.special_tokens);
  const mergesTxt = `#version: 0.2\n${merges.map((m) => m.join(' ')).join('\n')}\n`;
  cached = { vocab, merges, vocabJson: JSON.stringify(vocab), mergesTxt };
  return cached;
}
