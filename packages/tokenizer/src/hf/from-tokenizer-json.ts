/**
 * `fromTokenizerJson`: a Hugging Face `tokenizers` tokenizer.json (GPT-2, RoBERTa, BERT and the
 * like) as a {@link PretrainedTokenizer}. Every field is checked; a component or option value that
 * is not implemented is refused with an error naming it, never ignored.
 */
import { TokenizerError } from '../core/errors.js';
import { parseJson } from '../core/json-input.js';
import { PAIR_STRIDE } from '../bpe/merge.js';
import { spaceJoinDecoder } from '../pretrained/decoders.js';
import { PipelineTokenizer } from '../pretrained/pipeline-tokenizer.js';
import type { SequenceEncoding } from '../pretrained/post-process.js';
import type { PretrainedSpecialTokens, PretrainedTokenizer } from '../pretrained/types.js';
import { AddedVocabulary, readAddedTokens, type AddedToken } from './added-tokens.js';
import { JsonReader } from './json-reader.js';
import { bpeModel, MAX_INPUT_CHARS_PER_WORD_LIMIT, readMerges, readVocab, wordPieceModel, type Model } from './models.js';
import { readNormalizer } from './normalizers.js';
import { readPreTokenizer } from './pre-tokenizers.js';
import { readDecoder, readPostProcessor } from './processors-and-decoders.js';

/** The roles {@link PretrainedSpecialTokens} names. */
export type SpecialRole = 'pad' | 'unk' | 'bos' | 'eos' | 'cls' | 'sep' | 'mask';

/** Options of {@link fromTokenizerJson}. */
export interface TokenizerJsonOptions {
  /**
   * Which token plays which role (e.g. from `special_tokens_map.json`). Default: guessed from the
   * special added tokens' names (`[CLS]`, `<s>`, `<|endoftext|>`, …) and `model.unk_token`.
   */
  roles?: Partial<Record<SpecialRole, string>>;
}

const ROLE_NAMES: Record<SpecialRole, readonly string[]> = {
  pad: ['[PAD]', '<pad>', '<|pad|>', '<|padding|>'],
  unk: ['[UNK]', '<unk>', '<|unk|>'],
  bos: ['<s>', '<bos>', '<|startoftext|>', '<|begin_of_text|>', '<|endoftext|>'],
  eos: ['</s>', '<eos>', '<|endoftext|>', '<|end_of_text|>'],
  cls: ['[CLS]', '<cls>', '<s>'],
  sep: ['[SEP]', '<sep>', '</s>'],
  mask: ['[MASK]', '<mask>'],
};

/**
 * Builds the tokenizer a Hugging Face `tokenizer.json` describes: normalizer, pre-tokenizer,
 * model (BPE or WordPiece), post-processor, decoder and added tokens, with `tokenizers`' ids,
 * type ids and offsets (UTF-16 code units here).
 * @example
 * const tok = fromTokenizerJson(readFileSync('bert-base-uncased/tokenizer.json', 'utf8'));
 * tok.encodeWithDetails('Who?', 'Me.').typeIds // [0, 0, 0, 0, 1, 1, 1]
 */
export function fromTokenizerJson(json: string | object, options: TokenizerJsonOptions = {}): PretrainedTokenizer {
  const fn = 'fromTokenizerJson';
  return fromDocument(parseJson(json, fn, 'tokenizer.json'), options, new JsonReader(fn, 'tokenizer.json'));
}

/**
 * {@link fromTokenizerJson} of a parsed document, errors named by `r`.
 * @internal for `fromBertVocab` and `fromGpt2Files`, which describe their files as tokenizer.json
 */
export function fromDocument(document: unknown, options: TokenizerJsonOptions, r: JsonReader): PretrainedTokenizer {
  const data = r.object(document, '(the document)');
  const at = (key: string) => r.get(data, key);
  const version = at('version');
  if (version !== undefined && version !== '1.0') throw r.error('version', '"1.0"', version);
  for (const key of ['truncation', 'padding'] as const) {
    if (at(key) !== null && at(key) !== undefined) {
      throw r.unsupported(`tokenizer.json ${key} (a non-null ${key} section; set it to null and ${key === 'truncation' ? 'cut' : 'pad'} the ids yourself)`);
    }
  }
  const model = readModel(at('model'), r);
  const normalizer = readNormalizer(at('normalizer'), r, 'normalizer');
  const preTokenizer = readPreTokenizer(at('pre_tokenizer'), r, 'pre_tokenizer');
  const added = readAddedTokens(at('added_tokens'), r, model.ids, model.tokens.length);
  const tokens = [...model.tokens];
  const ids = new Map(model.ids);
  for (const token of added) {
    if (token.id === tokens.length) tokens.push(token.content);
    ids.set(token.content, token.id);
  }
  const processor = readPostProcessor(at('post_processor'), r, 'post_processor', tokens.length);
  const decoder = readDecoder(at('decoder'), r, 'decoder') ?? spaceJoinDecoder;
  const vocabulary = new AddedVocabulary(added, normalizer);
  const specials = added.filter((t) => t.special);
  const unkToken = modelUnk(at('model'), r);

  const encodeSequence = (text: string): SequenceEncoding => {
    const out: SequenceEncoding = { ids: [], tokens: [], offsets: [] };
    for (const piece of vocabulary.extract(text)) {
      if (piece.token !== undefined) {
        out.ids.push(piece.token.id);
        out.tokens.push(piece.token.value);
        out.offsets.push(piece.normalized.span(0, piece.normalized.length));
        continue;
      }
      const subs = preTokenizer === undefined ? [piece.normalized] : preTokenizer(piece.normalized);
      for (const sub of subs) {
        if (sub.length === 0) continue;
        for (const t of model.tokenize(sub.chars)) {
          out.ids.push(t.id);
          out.tokens.push(t.value);
          out.offsets.push(sub.span(t.from, t.to));
        }
      }
    }
    return out;
  };
  return new PipelineTokenizer({
    encodeSequence,
    processor,
    decoder,
    tokens,
    ids,
    specialTokens: roles(specials, unkToken, ids, options, r),
    specialIds: new Set(specials.map((t) => t.id)),
  });
}

function modelUnk(model: unknown, r: JsonReader): string | undefined {
  const unk = r.get(model as Record<string, unknown>, 'unk_token');
  return typeof unk === 'string' ? unk : undefined;
}

/** The role ids: given ones (checked), else guessed from special token names. */
function roles(
  specials: readonly AddedToken[],
  unk: string | undefined,
  ids: ReadonlyMap<string, number>,
  options: TokenizerJsonOptions,
  r: JsonReader,
): PretrainedSpecialTokens {
  const names = new Set(specials.map((t) => t.content));
  const given = options.roles ?? {};
  if (typeof given !== 'object' || given === null) throw new TokenizerError(`${r.fn}: expected options.roles to be an object, got ${typeof given}`);
  const pick = (role: SpecialRole): number | undefined => {
    const explicit = Object.hasOwn(given, role) ? given[role] : undefined;
    if (explicit !== undefined) {
      const id = typeof explicit === 'string' ? ids.get(explicit) : undefined;
      if (id === undefined) throw new TokenizerError(`${r.fn}: expected options.roles.${role} to be a token of the vocabulary, got ${JSON.stringify(explicit)}`);
      return id;
    }
    if (role === 'unk' && unk !== undefined) return ids.get(unk);
    const name = ROLE_NAMES[role].find((n) => names.has(n));
    return name === undefined ? undefined : ids.get(name);
  };
  const result: { -readonly [K in keyof PretrainedSpecialTokens]: PretrainedSpecialTokens[K] } = {
    tokens: new Map(specials.map((t) => [t.content, t.id])),
  };
  for (const role of Object.keys(ROLE_NAMES) as SpecialRole[]) {
    const id = pick(role);
    if (id !== undefined) result[role] = id;
  }
  return result;
}

/** Reads `model`: BPE or WordPiece. */
function readModel(value: unknown, r: JsonReader): Model {
  const obj = r.object(value, 'model');
  const at = (key: string) => r.get(obj, key);
  const type = at('type') === undefined && at('merges') !== undefined ? 'BPE' : r.type(obj, 'model');
  const optionalString = (key: string) => {
    const v = at(key);
    return v === null || v === undefined ? undefined : r.string(v, `model.${key}`);
  };
  if (type === 'WordPiece') {
    r.onlyKeys(obj, 'model', ['type', 'unk_token', 'continuing_subword_prefix', 'max_input_chars_per_word', 'vocab']);
    const { tokens, ids } = readVocab(at('vocab'), r, 'model.vocab');
    const unk = r.string(at('unk_token'), 'model.unk_token', { nonEmpty: true });
    if (!ids.has(unk)) throw r.error('model.unk_token', 'a token of model.vocab', unk);
    const prefix = r.string(at('continuing_subword_prefix') ?? '##', 'model.continuing_subword_prefix');
    const maxChars = r.integer(at('max_input_chars_per_word'), 'model.max_input_chars_per_word', 1, MAX_INPUT_CHARS_PER_WORD_LIMIT, 100);
    return wordPieceModel(tokens, ids, unk, prefix, maxChars);
  }
  if (type !== 'BPE') throw r.unsupported(`model type ${JSON.stringify(type)}`);
  r.onlyKeys(obj, 'model', ['type', 'dropout', 'unk_token', 'continuing_subword_prefix', 'end_of_word_suffix', 'fuse_unk', 'byte_fallback', 'ignore_merges', 'vocab', 'merges']);
  const dropout = at('dropout');
  if (dropout !== null && dropout !== undefined && dropout !== 0) {
    if (typeof dropout === 'number' && dropout > 0 && dropout <= 1) throw r.unsupported(`model.dropout ${dropout} (BPE dropout; only null or 0)`);
    throw r.error('model.dropout', 'null or a number in [0, 1]', dropout);
  }
  const { tokens, ids } = readVocab(at('vocab'), r, 'model.vocab');
  if (tokens.length > PAIR_STRIDE) throw r.error('model.vocab', `at most ${PAIR_STRIDE} tokens for BPE`, `${tokens.length} tokens`);
  const unkToken = optionalString('unk_token');
  if (unkToken !== undefined && !ids.has(unkToken)) throw r.error('model.unk_token', 'a token of model.vocab', unkToken);
  const prefix = optionalString('continuing_subword_prefix') ?? '';
  const suffix = optionalString('end_of_word_suffix') ?? '';
  const table = readMerges(at('merges'), r, 'model.merges', ids, prefix);
  return bpeModel(tokens, ids, table, {
    unkToken,
    prefix,
    suffix,
    fuseUnk: r.boolean(at('fuse_unk'), 'model.fuse_unk', false),
    byteFallback: r.boolean(at('byte_fallback'), 'model.byte_fallback', false),
    ignoreMerges: r.boolean(at('ignore_merges'), 'model.ignore_merges', false),
  });
}
