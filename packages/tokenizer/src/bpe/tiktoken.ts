// GPT-2-style vocabulary and merges rebuilt from a tiktoken rank table (the compressed format
// js-tiktoken ships: lines of `prefix offset base64 base64 …`), so nothing large needs copying.
import { TokenizerError } from '../core/errors.js';
import { bytesToToken } from './byte-unicode.js';

/** A vocabulary (token → id) and merges in rank order, as in `vocab.json` + `merges.txt`. */
export interface VocabAndMerges {
  vocab: Record<string, number>;
  merges: [string, string][];
}

/** Longest token (in bytes) accepted: rebuilding a token's merge costs O(length²). */
const MAX_TOKEN_BYTES = 1024;

function decodeBase64(b64: string, fn: string, line: number): Uint8Array {
  let bin: string;
  try {
    bin = atob(b64);
  } catch {
    throw new TokenizerError(`${fn}: expected base64 tokens on line ${line}, got ${JSON.stringify(b64.slice(0, 40))}`);
  }
  if (bin.length === 0 || bin.length > MAX_TOKEN_BYTES) {
    throw new TokenizerError(`${fn}: expected tokens of 1…${MAX_TOKEN_BYTES} bytes on line ${line}, got ${bin.length} bytes`);
  }
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

function ranksByToken(bpeRanks: string, fn: string): Map<string, number> {
  const ranks = new Map<string, number>();
  bpeRanks.split('\n').forEach((line, n) => {
    if (line === '') return;
    const [, offset, ...tokens] = line.split(' ');
    const start = Number(offset);
    if (!Number.isInteger(start) || start < 0 || start > 4_000_000 || tokens.length === 0) throw new TokenizerError(`${fn}: expected line ${n + 1} to be 'prefix offset base64…', got ${JSON.stringify(line.slice(0, 40))}`);
    tokens.forEach((b64, i) => ranks.set(bytesToToken(decodeBase64(b64, fn, n + 1)), start + i));
  });
  return ranks;
}

/**
 * The pair a token of rank r was made from: BPE of its bytes using only ranks < r ends in exactly
 * two parts (tiktoken's merge rule), and those two parts are the merge.
 */
function lastMerge(token: string, rank: number, ranks: Map<string, number>, fn: string): [string, string] {
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
  if (parts.length !== 2) throw new TokenizerError(`${fn}: token ${JSON.stringify(token)} (rank ${rank}) is not one merge of two tokens`);
  return [parts[0]!, parts[1]!];
}

/**
 * Rebuilds `vocab` and `merges` from tiktoken ranks (rank = token id for GPT-2's r50k_base).
 * @example
 * import r50k from 'js-tiktoken/ranks/r50k_base';
 * const { vocab, merges } = vocabAndMergesFromTiktoken(r50k.bpe_ranks, r50k.special_tokens);
 */
export function vocabAndMergesFromTiktoken(bpeRanks: string, specialTokens: Record<string, number> = {}): VocabAndMerges {
  const fn = 'vocabAndMergesFromTiktoken';
  const ranks = ranksByToken(bpeRanks, fn);
  // No prototype: a token spelled `__proto__` or `constructor` is an ordinary key.
  const vocab = Object.create(null) as Record<string, number>;
  for (const [token, rank] of ranks) vocab[token] = rank;
  for (const [text, id] of Object.entries(specialTokens)) vocab[text] = id;
  const merges = [...ranks]
    .filter(([token]) => token.length > 1)
    .sort((a, b) => a[1] - b[1])
    .map(([token, rank]) => lastMerge(token, rank, ranks, fn));
  return { vocab, merges };
}
