import { TokenizerError } from '../core/errors.js';
import { isObject, kind, tokensFromIdMap } from '../core/json-input.js';
import type { SpecialTokensConfig } from '../core/special-tokens.js';

/** What we take from a Hugging Face byte-level BPE `tokenizer.json`. */
export interface TokenizerJsonBPE {
  /** Tokens in id order: `model.vocab` plus `added_tokens`. */
  tokens: string[];
  merges: [string, string][];
  specialTokens: SpecialTokensConfig;
  addPrefixSpace: boolean;
}

const ROLE_NAMES: Record<'pad' | 'sos' | 'eos' | 'unk', readonly string[]> = {
  pad: ['<pad>', '[PAD]', '<|pad|>'],
  sos: ['<s>', '<sos>', '<bos>', '<|startoftext|>', '<|begin_of_text|>'],
  eos: ['</s>', '<eos>', '<|endoftext|>', '<|end_of_text|>'],
  unk: ['<unk>', '[UNK]', '<|unk|>'],
};

/**
 * Validates the parts of `tokenizer.json` we support: model type BPE, byte-level pre-tokenizer,
 * no normalizer, no dropout, no subword prefixes or suffixes, no byte fallback.
 */
export function readTokenizerJson(data: unknown, fn: string): TokenizerJsonBPE {
  if (!isObject(data)) throw new TokenizerError(`${fn}: expected tokenizer.json to be an object, got ${kind(data)}`);
  const model = data.model;
  if (!isObject(model)) throw new TokenizerError(`${fn}: expected tokenizer.json to have a "model" object, got ${kind(model)}`);
  if (model.type !== undefined && model.type !== 'BPE') {
    throw new TokenizerError(`${fn}: expected model.type "BPE", got ${JSON.stringify(model.type)} (use WordPieceTokenizer for "WordPiece")`);
  }
  checkUnsupported(data, model, fn);
  const tokens = tokensFromIdMap(model.vocab, fn, 'model.vocab');
  const added = readAddedTokens(data.added_tokens, tokens, fn);
  const preTokenizer = data.pre_tokenizer as Record<string, unknown> | null | undefined;
  return {
    tokens,
    merges: readMerges(model.merges, fn),
    specialTokens: guessRoles(added, typeof model.unk_token === 'string' ? model.unk_token : undefined),
    addPrefixSpace: preTokenizer?.add_prefix_space === true,
  };
}

function checkUnsupported(data: Record<string, unknown>, model: Record<string, unknown>, fn: string): void {
  const pre = data.pre_tokenizer;
  if (!isObject(pre) || pre.type !== 'ByteLevel' || pre.use_regex === false) {
    throw new TokenizerError(`${fn}: expected pre_tokenizer { type: "ByteLevel", use_regex: true } (GPT-2 style), got ${JSON.stringify(pre)?.slice(0, 80)}`);
  }
  if (data.normalizer !== null && data.normalizer !== undefined) {
    throw new TokenizerError(`${fn}: expected normalizer null, got ${JSON.stringify(data.normalizer).slice(0, 80)}`);
  }
  if (typeof model.dropout === 'number' && model.dropout > 0) {
    throw new TokenizerError(`${fn}: expected model.dropout null (BPE dropout is not supported), got ${model.dropout}`);
  }
  for (const key of ['continuing_subword_prefix', 'end_of_word_suffix'] as const) {
    if (typeof model[key] === 'string' && model[key] !== '') {
      throw new TokenizerError(`${fn}: expected model.${key} to be empty for byte-level BPE, got ${JSON.stringify(model[key])}`);
    }
  }
  if (model.byte_fallback === true) throw new TokenizerError(`${fn}: expected model.byte_fallback false, got true`);
}

function readMerges(merges: unknown, fn: string): [string, string][] {
  if (!Array.isArray(merges)) throw new TokenizerError(`${fn}: expected model.merges to be an array, got ${kind(merges)}`);
  return merges.map((m: unknown, i) => {
    const pair = typeof m === 'string' ? m.split(' ') : m;
    if (!Array.isArray(pair) || pair.length !== 2 || !pair.every((s) => typeof s === 'string' && s !== '')) {
      throw new TokenizerError(`${fn}: expected model.merges[${i}] to be "left right" or ["left", "right"], got ${JSON.stringify(m)}`);
    }
    return [pair[0] as string, pair[1] as string];
  });
}

/** Puts added tokens into `tokens` at their ids; returns the special ones. */
function readAddedTokens(added: unknown, tokens: string[], fn: string): string[] {
  if (added === undefined || added === null) return [];
  if (!Array.isArray(added)) throw new TokenizerError(`${fn}: expected added_tokens to be an array, got ${kind(added)}`);
  const specials: string[] = [];
  added.forEach((entry: unknown, i) => {
    if (!isObject(entry) || typeof entry.content !== 'string' || typeof entry.id !== 'number' || !Number.isInteger(entry.id)) {
      throw new TokenizerError(`${fn}: expected added_tokens[${i}] to be { id: integer, content: string }, got ${JSON.stringify(entry)}`);
    }
    const existing = tokens[entry.id];
    if (existing !== undefined && existing !== entry.content) {
      throw new TokenizerError(`${fn}: expected added_tokens[${i}] id ${entry.id} to be free or ${JSON.stringify(entry.content)}, got ${JSON.stringify(existing)}`);
    }
    if (existing === undefined && entry.id !== tokens.length) {
      throw new TokenizerError(`${fn}: expected added_tokens[${i}] to have the next id ${tokens.length}, got ${entry.id}`);
    }
    tokens[entry.id] = entry.content;
    if (entry.special !== false) specials.push(entry.content);
  });
  return specials;
}

function guessRoles(specials: string[], unk: string | undefined): SpecialTokensConfig {
  const pick = (role: keyof typeof ROLE_NAMES) => specials.find((s) => ROLE_NAMES[role].includes(s)) ?? null;
  return { pad: pick('pad'), sos: pick('sos'), eos: pick('eos'), unk: unk ?? pick('unk'), additional: specials };
}
