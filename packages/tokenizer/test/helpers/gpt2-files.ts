// GPT-2's vocab.json and merges.txt, rebuilt from the r50k_base ranks that js-tiktoken ships
// (r50k_base is GPT-2's encoding: rank = GPT-2 token id), so nothing large is committed.
import r50k from 'js-tiktoken/ranks/r50k_base';
import { bytesToToken } from '../../src/index.js';

export interface Gpt2Files {
  /** token (GPT-2 byte ↔ character spelling) → id, as in GPT-2's encoder.json */
  vocab: Record<string, number>;
  /** merges in rank order, as in GPT-2's vocab.bpe / merges.txt */
  merges: [string, string][];
  vocabJson: string;
  mergesTxt: string;
}

let cached: Gpt2Files | undefined;

/** Decodes js-tiktoken's compressed rank table: lines of `prefix offset base64 base64 …`. */
function ranksByToken(): Map<string, number> {
  const ranks = new Map<string, number>();
  for (const line of r50k.bpe_ranks.split('\n')) {
    if (line === '') continue;
    const [, offset, ...tokens] = line.split(' ');
    tokens.forEach((b64, i) => ranks.set(bytesToToken(Buffer.from(b64, 'base64')), Number(offset) + i));
  }
  return ranks;
}

/**
 * The pair a token of rank r was made from: BPE of its bytes using only ranks < r must end in
 * exactly two parts (tiktoken's own merge rule), and those two parts are the merge.
 */
function lastMerge(token: string, rank: number, ranks: Map<string, number>): [string, string] {
  const parts = [...token];
  while (parts.length > 2) {
    let best = rank;
    let at = -1;
    for (let i = 0; i + 1 < parts.length; i++) {
      const r = ranks.get(parts[i]! + parts[i + 1]!);
      if (r !== undefined && r < best) [best, at] = [r, i];
    }
    if (at < 0) break;
    parts.splice(at, 2, parts[at]! + parts[at + 1]!);
  }
  if (parts.length !== 2) throw new Error(`gpt2-files: token ${JSON.stringify(token)} (rank ${rank}) is not one merge of two tokens`);
  return [parts[0]!, parts[1]!];
}

/** GPT-2's files, built once per test file (about a second). */
export function gpt2Files(): Gpt2Files {
  if (cached) return cached;
  const ranks = ranksByToken();
  const vocab: Record<string, number> = {};
  for (const [token, rank] of ranks) vocab[token] = rank;
  for (const [text, id] of Object.entries(r50k.special_tokens)) vocab[text] = id;
  const merges = [...ranks]
    .filter(([token]) => token.length > 1)
    .sort((a, b) => a[1] - b[1])
    .map(([token, rank]) => lastMerge(token, rank, ranks));
  const mergesTxt = `#version: 0.2\n${merges.map((m) => m.join(' ')).join('\n')}\n`;
  cached = { vocab, merges, vocabJson: JSON.stringify(vocab), mergesTxt };
  return cached;
}
