import { TokenizerError } from './errors.js';
import type { Vocabulary } from './vocabulary.js';

/** The roles a special token can play. */
export type SpecialRole = 'pad' | 'sos' | 'eos' | 'unk';

/**
 * Which strings play which role. A role set to `null` is absent (GPT-2 has no `<unk>`);
 * `additional` lists more special strings (e.g. `[MASK]`).
 */
export interface SpecialTokensConfig {
  pad?: string | null;
  sos?: string | null;
  eos?: string | null;
  unk?: string | null;
  additional?: string[];
}

/** The defaults for char, word and trained BPE tokenizers: ids 0…3. */
export const DEFAULT_SPECIAL_TOKENS = {
  pad: '<pad>',
  sos: '<sos>',
  eos: '<eos>',
  unk: '<unk>',
} as const satisfies SpecialTokensConfig;

/** The special strings of `config` in a stable order (pad, sos, eos, unk, additional…), deduplicated. */
export function specialStrings(config: SpecialTokensConfig): string[] {
  const roles = [config.pad, config.sos, config.eos, config.unk, ...(config.additional ?? [])];
  return [...new Set(roles.filter((s): s is string => typeof s === 'string'))];
}

/** Whether `token` is one of the special strings of `config`. */
export function isSpecialString(config: SpecialTokensConfig, token: string): boolean {
  return specialStrings(config).includes(token);
}

/** Special tokens resolved against a vocabulary: role ids, the set of special ids, and a splitter. */
export class SpecialTokens {
  readonly config: SpecialTokensConfig;
  readonly pad: number | undefined;
  readonly sos: number | undefined;
  readonly eos: number | undefined;
  readonly unk: number | undefined;
  readonly #ids: Set<number>;
  readonly #byText: Map<string, number>;
  readonly #pattern: RegExp | undefined;

  /**
   * Adds every special string missing from `vocab` (at the end) and records the ids.
   * @example new SpecialTokens({ pad: '<pad>' }, vocab).pad // the id of '<pad>'
   */
  constructor(config: SpecialTokensConfig, vocab: Vocabulary) {
    for (const s of specialStrings(config)) {
      if (s.length === 0) throw new TokenizerError('SpecialTokens: expected non-empty special token strings, got ""');
    }
    this.config = { ...config, additional: [...(config.additional ?? [])] };
    const idOf = (s: string | null | undefined) => (typeof s === 'string' ? vocab.add(s) : undefined);
    this.pad = idOf(config.pad);
    this.sos = idOf(config.sos);
    this.eos = idOf(config.eos);
    this.unk = idOf(config.unk);
    this.#byText = new Map(specialStrings(config).map((s) => [s, vocab.add(s)]));
    this.#ids = new Set(this.#byText.values());
    // Longest first, so `<|endoftext|>` wins over a special that is its prefix.
    const texts = [...this.#byText.keys()].sort((a, b) => b.length - a.length);
    try {
      this.#pattern = texts.length === 0 ? undefined : new RegExp(texts.map(escapeRegExp).join('|'), 'gu');
    } catch (error) {
      // A regex of special tokens can be too large for the engine (a hostile file's megabyte token).
      throw new TokenizerError(`SpecialTokens: expected special tokens that fit in one regex, got ${texts.length} totalling ${texts.join('').length} characters (${(error as Error).message})`);
    }
  }

  /** Whether `id` is one of the special tokens. */
  isSpecial(id: number): boolean {
    return this.#ids.has(id);
  }

  /**
   * Splits `text` into plain segments and special tokens, in order.
   * @example split('a<eos>b') // [{text:'a',start:0}, {id:2,start:1,end:6}, {text:'b',start:6}]
   */
  split(text: string): ({ text: string; start: number } | { id: number; start: number; end: number })[] {
    const parts: ({ text: string; start: number } | { id: number; start: number; end: number })[] = [];
    if (this.#pattern === undefined) return [{ text, start: 0 }];
    let last = 0;
    for (const match of text.matchAll(this.#pattern)) {
      if (match.index > last) parts.push({ text: text.slice(last, match.index), start: last });
      parts.push({ id: this.#byText.get(match[0])!, start: match.index, end: match.index + match[0].length });
      last = match.index + match[0].length;
    }
    if (last < text.length) parts.push({ text: text.slice(last), start: last });
    return parts;
  }
}

function escapeRegExp(s: string): string {
  return s.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');
}
