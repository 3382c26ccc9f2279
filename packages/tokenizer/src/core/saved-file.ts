/**
 * Checked reading of the files `save()` writes (`{ type, version, vocab, specialTokens, … }`):
 * every field is validated before a tokenizer is built, names stay in Maps, and sizes are bounded.
 */
import { JsonReader, MAX_ENTRIES } from '../hf/json-reader.js';
import { parseJson } from './json-input.js';
import type { SpecialTokensConfig } from './special-tokens.js';

const FILE = 'the saved tokenizer';
const MAX_SPECIALS = 100_000;

/** A saved tokenizer's common fields, checked. */
export interface SavedTokenizer {
  r: JsonReader;
  data: Record<string, unknown>;
  vocab: string[];
  specialTokens: SpecialTokensConfig;
}

/**
 * Parses and checks the common fields of a saved tokenizer of `type`.
 * @example readSaved(json, 'CharTokenizer.load', 'char')
 */
export function readSaved(json: unknown, fn: string, type: string): SavedTokenizer {
  const r = new JsonReader(fn, FILE);
  const data = r.object(typeof json === 'string' ? parseJson(json, fn, FILE) : json, '(the document)');
  if (r.get(data, 'type') !== type) throw r.error('type', JSON.stringify(type), r.get(data, 'type'));
  const version = r.get(data, 'version');
  if (version !== undefined && version !== 1) throw r.error('version', '1', version);
  const list = r.array(r.get(data, 'vocab'), 'vocab', MAX_ENTRIES);
  const seen = new Map<string, number>();
  const vocab = list.map((token, i) => {
    const t = r.string(token, `vocab[${i}]`);
    const first = seen.get(t);
    if (first !== undefined) throw r.error(`vocab[${i}]`, `unique tokens (Vocabulary: ${JSON.stringify(t)} is also vocab[${first}])`, t);
    seen.set(t, i);
    return t;
  });
  return { r, data, vocab, specialTokens: readSpecialTokens(r.get(data, 'specialTokens'), r, seen) };
}

/** `specialTokens`: roles as strings of the vocabulary or null, `additional` as a list of them. */
function readSpecialTokens(value: unknown, r: JsonReader, vocab: ReadonlyMap<string, number>): SpecialTokensConfig {
  if (value === undefined) return {};
  const obj = r.object(value, 'specialTokens');
  r.onlyKeys(obj, 'specialTokens', ['pad', 'sos', 'eos', 'unk', 'additional']);
  const inVocab = (v: unknown, field: string): string => {
    const s = r.string(v, field, { nonEmpty: true });
    if (!vocab.has(s)) throw r.error(field, 'a token of vocab', s);
    return s;
  };
  const config: SpecialTokensConfig = {};
  for (const role of ['pad', 'sos', 'eos', 'unk'] as const) {
    const v = r.get(obj, role);
    if (v === undefined) continue;
    config[role] = v === null ? null : inVocab(v, `specialTokens.${role}`);
  }
  const additional = r.get(obj, 'additional');
  if (additional !== undefined) {
    config.additional = r.array(additional, 'specialTokens.additional', MAX_SPECIALS).map((v, i) => inVocab(v, `specialTokens.additional[${i}]`));
  }
  return config;
}

/** `merges`: `[left, right]` pairs of strings. */
export function readSavedMerges(saved: SavedTokenizer): [string, string][] {
  const { r, data } = saved;
  return r.array(r.get(data, 'merges'), 'merges', MAX_ENTRIES).map((m, i) => {
    const pair = r.array(m, `merges[${i}]`, 2);
    if (pair.length !== 2) throw r.error(`merges[${i}]`, '["left", "right"]', m);
    return [r.string(pair[0], `merges[${i}][0]`, { nonEmpty: true }), r.string(pair[1], `merges[${i}][1]`, { nonEmpty: true })];
  });
}
