/**
 * The one {@link PretrainedTokenizer} implementation: a text encoder (normalise, find added tokens,
 * pre-tokenise, model), a post-processor and a decoder, put together by `fromGpt2Files`,
 * `fromBertVocab` and `fromTokenizerJson`.
 */
import { TokenizerError } from '../core/errors.js';
import { kind } from '../core/json-input.js';
import type { Decoder } from './decoders.js';
import { postProcess, type PostProcessor, type SequenceEncoding } from './post-process.js';
import type {
  PretrainedDecodeOptions,
  PretrainedEncodeOptions,
  PretrainedEncoding,
  PretrainedSpecialTokens,
  PretrainedTokenizer,
} from './types.js';

/** What a pretrained tokenizer is made of. */
export interface PipelineParts {
  /** One text → the model's ids, tokens and UTF-16 spans, before post-processing. */
  encodeSequence(text: string): SequenceEncoding;
  /** Undefined: the texts one after the other, type ids 0 then 1. */
  processor: PostProcessor | undefined;
  decoder: Decoder;
  /** Tokens in id order (model vocabulary and added tokens). */
  tokens: readonly string[];
  /** Token → id (model vocabulary and added tokens). */
  ids: ReadonlyMap<string, number>;
  specialTokens: PretrainedSpecialTokens;
  /** Ids that `skipSpecialTokens` leaves out. */
  specialIds: ReadonlySet<number>;
}

/** A pretrained model's tokenizer assembled from {@link PipelineParts}. */
export class PipelineTokenizer implements PretrainedTokenizer {
  readonly specialTokens: PretrainedSpecialTokens;
  readonly #parts: PipelineParts;

  constructor(parts: PipelineParts) {
    this.#parts = parts;
    this.specialTokens = parts.specialTokens;
  }

  get vocabSize(): number {
    return this.#parts.tokens.length;
  }

  encode(text: string, options: PretrainedEncodeOptions = {}): number[] {
    return this.#encode('encode', text, undefined, options).ids;
  }

  encodePair(a: string, b?: string, options: PretrainedEncodeOptions = {}): number[] {
    return this.#encode('encodePair', a, b, options).ids;
  }

  encodeWithDetails(text: string, pair?: string, options: PretrainedEncodeOptions = {}): PretrainedEncoding {
    return this.#encode('encodeWithDetails', text, pair, options);
  }

  decode(ids: readonly number[], options: PretrainedDecodeOptions = {}): string {
    if (!Array.isArray(ids)) throw new TokenizerError(`decode: expected ids to be an array of integers, got ${kind(ids)}`);
    const skip = readFlag('decode', options, 'skipSpecialTokens', false);
    const tokens: string[] = [];
    ids.forEach((id: unknown, i) => {
      const token = typeof id === 'number' && Number.isInteger(id) ? this.#parts.tokens[id] : undefined;
      if (token === undefined) {
        throw new TokenizerError(`decode: expected ids to be integers in [0, ${this.vocabSize}), got ${String(id)} at position ${i}`);
      }
      if (!(skip && this.#parts.specialIds.has(id as number))) tokens.push(token);
    });
    return this.#parts.decoder(tokens).join('');
  }

  tokenToId(token: string): number | undefined {
    return this.#parts.ids.get(token);
  }

  idToToken(id: number): string | undefined {
    return Number.isInteger(id) && id >= 0 ? this.#parts.tokens[id] : undefined;
  }

  #encode(fn: string, a: unknown, b: unknown, options: PretrainedEncodeOptions): PretrainedEncoding {
    if (typeof a !== 'string') throw new TokenizerError(`${fn}: expected the text to be a string, got ${kind(a)}`);
    if (b !== undefined && typeof b !== 'string') throw new TokenizerError(`${fn}: expected the pair to be a string or undefined, got ${kind(b)}`);
    const add = readFlag(fn, options, 'addSpecialTokens', true);
    const first = this.#parts.encodeSequence(a);
    const second = b === undefined ? undefined : this.#parts.encodeSequence(b);
    return postProcess(this.#parts.processor, first, second, add);
  }
}

/** A boolean option, checked. */
function readFlag(fn: string, options: unknown, name: string, fallback: boolean): boolean {
  if (options === undefined) return fallback;
  if (typeof options !== 'object' || options === null) throw new TokenizerError(`${fn}: expected options to be an object, got ${kind(options)}`);
  const value = (options as Record<string, unknown>)[name];
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw new TokenizerError(`${fn}: expected options.${name} to be a boolean, got ${kind(value)}`);
  return value;
}
