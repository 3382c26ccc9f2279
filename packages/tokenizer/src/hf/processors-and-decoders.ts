/**
 * tokenizer.json `post_processor` (TemplateProcessing, BertProcessing, RobertaProcessing,
 * ByteLevel, Sequence) and `decoder` (ByteLevel, WordPiece, Metaspace, BPEDecoder, Replace,
 * Strip, Fuse, ByteFallback, Sequence) readers.
 */
import {
  bpeDecoder,
  byteFallbackDecoder,
  byteLevelDecoder,
  fuseDecoder,
  metaspaceDecoder,
  sequenceDecoder,
  stripDecoder,
  wordPieceDecoder,
  type Decoder,
} from '../pretrained/decoders.js';
import {
  byteLevelProcessor,
  robertaProcessor,
  sequenceProcessor,
  TemplateProcessor,
  type PostProcessor,
  type TemplatePiece,
  type TemplateSpecial,
} from '../pretrained/post-process.js';
import { bertTemplate } from '../pretrained/post-process.js';
import type { JsonReader } from './json-reader.js';
import { regexMatches } from './normalized-string.js';
import { MAX_TEXT, readPattern } from './patterns.js';
import { readPrependScheme } from './pre-tokenizers.js';

const MAX_TYPE_ID = 2 ** 32 - 1;

/** A `[token, id]` pair of BertProcessing/RobertaProcessing, id checked against the vocabulary. */
function readTokenPair(value: unknown, r: JsonReader, field: string, vocabSize: number): [string, number] {
  const list = r.array(value, field, 2);
  if (list.length !== 2) throw r.error(field, '["token", id]', value);
  return [r.string(list[0], `${field}[0]`, { nonEmpty: true }), r.integer(list[1], `${field}[1]`, 0, vocabSize - 1)];
}

/** One template piece: `{ "Sequence": { id, type_id } }`, `{ "SpecialToken": { id, type_id } }` or `"$A:1"`/`"[SEP]:1"`. */
function readPiece(value: unknown, r: JsonReader, field: string): TemplatePiece {
  if (typeof value === 'string') {
    const parts = value.split(':');
    const typeId = parts.length === 2 && /^\d+$/.test(parts[1]!) ? Number(parts[1]) : parts.length === 1 ? 0 : Number.NaN;
    const id = parts[0]!;
    if (!Number.isInteger(typeId) || typeId > MAX_TYPE_ID || id === '') throw r.error(field, 'a piece like "$A", "$B:1" or "[SEP]:0"', value);
    if (!id.startsWith('$')) return { special: id, typeId };
    const rest = id.slice(1);
    if (rest === '' || rest === 'A' || rest === 'a') return { sequence: 'A', typeId };
    if (rest === 'B' || rest === 'b') return { sequence: 'B', typeId };
    if (/^\d+$/.test(rest) && Number(rest) <= MAX_TYPE_ID) return { sequence: 'A', typeId: parts.length === 2 ? typeId : Number(rest) };
    throw r.error(field, 'a piece like "$A", "$B:1" or "[SEP]:0"', value);
  }
  const obj = r.object(value, field);
  const keys = Object.keys(obj);
  if (keys.length !== 1 || (keys[0] !== 'Sequence' && keys[0] !== 'SpecialToken')) throw r.error(field, '{ "Sequence": … } or { "SpecialToken": … }', value);
  const inner = r.object(obj[keys[0]], `${field}.${keys[0]}`);
  r.onlyKeys(inner, `${field}.${keys[0]}`, ['id', 'type_id']);
  const typeId = r.integer(r.get(inner, 'type_id'), `${field}.${keys[0]}.type_id`, 0, MAX_TYPE_ID);
  const id = r.get(inner, 'id');
  if (keys[0] === 'SpecialToken') return { special: r.string(id, `${field}.SpecialToken.id`, { nonEmpty: true }), typeId };
  if (id !== 'A' && id !== 'B') throw r.error(`${field}.Sequence.id`, '"A" or "B"', id);
  return { sequence: id, typeId };
}

function readTemplate(value: unknown, r: JsonReader, field: string): TemplatePiece[] {
  const list = typeof value === 'string' ? value.split(' ') : r.array(value, field, 1024);
  return list.map((piece, i) => readPiece(piece, r, `${field}[${i}]`));
}

function readTemplateProcessing(obj: Record<string, unknown>, r: JsonReader, field: string, vocabSize: number): TemplateProcessor {
  r.onlyKeys(obj, field, ['type', 'single', 'pair', 'special_tokens']);
  const single = readTemplate(r.get(obj, 'single'), r, `${field}.single`);
  const pair = readTemplate(r.get(obj, 'pair'), r, `${field}.pair`);
  const specialsObj = r.object(r.get(obj, 'special_tokens'), `${field}.special_tokens`);
  const specials = new Map<string, TemplateSpecial>();
  for (const [name, entry] of Object.entries(specialsObj)) {
    const where = `${field}.special_tokens[${JSON.stringify(name)}]`;
    const e = r.object(entry, where);
    r.onlyKeys(e, where, ['id', 'ids', 'tokens']);
    const ids = r.array(r.get(e, 'ids'), `${where}.ids`, 1024).map((id, i) => r.integer(id, `${where}.ids[${i}]`, 0, vocabSize - 1));
    const tokens = r.array(r.get(e, 'tokens'), `${where}.tokens`, 1024).map((t, i) => r.string(t, `${where}.tokens[${i}]`));
    if (ids.length !== tokens.length) throw r.error(`${where}.tokens`, `${ids.length} tokens (one per id)`, tokens);
    specials.set(name, { ids, tokens });
  }
  for (const [name, template] of [['single', single], ['pair', pair]] as const) {
    template.forEach((piece, i) => {
      if ('special' in piece && !specials.has(piece.special)) throw r.error(`${field}.${name}[${i}]`, 'a special token listed in special_tokens', piece.special);
      if (name === 'single' && 'sequence' in piece && piece.sequence === 'B') throw r.error(`${field}.single[${i}]`, 'no $B in the single template', '$B');
    });
  }
  const hasB = pair.some((p) => 'sequence' in p && p.sequence === 'B');
  const hasA = pair.some((p) => 'sequence' in p && p.sequence === 'A');
  if (!hasA || !hasB) throw r.error(`${field}.pair`, 'a template with both $A and $B', `one without $${hasA ? 'B' : 'A'}`);
  return new TemplateProcessor(single, pair, specials);
}

/**
 * Reads `post_processor` (null: none).
 * @example readPostProcessor({ type: 'BertProcessing', sep: ['[SEP]', 102], cls: ['[CLS]', 101] }, reader, 'post_processor', 30522)
 */
export function readPostProcessor(value: unknown, r: JsonReader, field: string, vocabSize: number, depth = 0): PostProcessor | undefined {
  const c = r.component(value, field, depth);
  if (c === undefined) return undefined;
  const { obj, type, at } = c;
  switch (type) {
    case 'TemplateProcessing':
      return readTemplateProcessing(obj, r, field, vocabSize);
    case 'BertProcessing':
      r.onlyKeys(obj, field, ['type', 'sep', 'cls']);
      return bertTemplate(readTokenPair(at('cls'), r, `${field}.cls`, vocabSize), readTokenPair(at('sep'), r, `${field}.sep`, vocabSize));
    case 'RobertaProcessing':
      r.onlyKeys(obj, field, ['type', 'sep', 'cls', 'trim_offsets', 'add_prefix_space']);
      return robertaProcessor(
        readTokenPair(at('cls'), r, `${field}.cls`, vocabSize),
        readTokenPair(at('sep'), r, `${field}.sep`, vocabSize),
        r.boolean(at('trim_offsets'), `${field}.trim_offsets`, true),
        r.boolean(at('add_prefix_space'), `${field}.add_prefix_space`, true),
      );
    case 'ByteLevel':
      r.onlyKeys(obj, field, ['type', 'add_prefix_space', 'trim_offsets', 'use_regex']);
      r.boolean(at('use_regex'), `${field}.use_regex`, true);
      return byteLevelProcessor(r.boolean(at('trim_offsets'), `${field}.trim_offsets`, true), r.boolean(at('add_prefix_space'), `${field}.add_prefix_space`, true));
    case 'Sequence': {
      r.onlyKeys(obj, field, ['type', 'processors']);
      const list = r.array(at('processors'), `${field}.processors`, 64);
      return sequenceProcessor(
        list.map((item, i) => readPostProcessor(item, r, `${field}.processors[${i}]`, vocabSize, depth + 1)).filter((p) => p !== undefined),
      );
    }
    default:
      throw r.unsupported(`${field} type ${JSON.stringify(type)}`);
  }
}

/**
 * Reads `decoder` (null: none, which joins tokens with spaces).
 * @example readDecoder({ type: 'WordPiece', prefix: '##', cleanup: true }, reader, 'decoder')
 */
export function readDecoder(value: unknown, r: JsonReader, field: string, depth = 0): Decoder | undefined {
  const c = r.component(value, field, depth);
  if (c === undefined) return undefined;
  const { obj, type, at } = c;
  switch (type) {
    case 'ByteLevel':
      r.onlyKeys(obj, field, ['type', 'add_prefix_space', 'trim_offsets', 'use_regex']);
      return byteLevelDecoder;
    case 'WordPiece':
      r.onlyKeys(obj, field, ['type', 'prefix', 'cleanup']);
      return wordPieceDecoder(r.string(at('prefix'), `${field}.prefix`), r.boolean(at('cleanup'), `${field}.cleanup`, true));
    case 'Metaspace':
      r.onlyKeys(obj, field, ['type', 'replacement', 'prepend_scheme', 'split', 'add_prefix_space', 'str_rep']);
      return metaspaceDecoder(r.char(at('replacement'), `${field}.replacement`), readPrependScheme(obj, r, field) !== 'never');
    case 'BPEDecoder':
      r.onlyKeys(obj, field, ['type', 'suffix']);
      return bpeDecoder(r.string(at('suffix'), `${field}.suffix`));
    case 'Replace': {
      r.onlyKeys(obj, field, ['type', 'pattern', 'content']);
      const regex = readPattern(at('pattern'), r, `${field}.pattern`);
      const content = r.string(at('content'), `${field}.content`);
      if (content.length > MAX_TEXT) throw r.error(`${field}.content`, `at most ${MAX_TEXT} characters`, `${content.length} characters`);
      return (tokens) =>
        tokens.map((token) => {
          const chars = [...token];
          return regexMatches(chars, regex)
            .map(([from, to, isMatch]) => (isMatch ? content : chars.slice(from, to).join('')))
            .join('');
        });
    }
    case 'Strip':
      r.onlyKeys(obj, field, ['type', 'content', 'start', 'stop']);
      return stripDecoder(r.char(at('content'), `${field}.content`), r.integer(at('start'), `${field}.start`, 0, 2 ** 31), r.integer(at('stop'), `${field}.stop`, 0, 2 ** 31));
    case 'Fuse':
      r.onlyKeys(obj, field, ['type']);
      return fuseDecoder;
    case 'ByteFallback':
      r.onlyKeys(obj, field, ['type']);
      return byteFallbackDecoder;
    case 'Sequence': {
      r.onlyKeys(obj, field, ['type', 'decoders']);
      const list = r.array(at('decoders'), `${field}.decoders`, 64);
      return sequenceDecoder(list.map((item, i) => readDecoder(item, r, `${field}.decoders[${i}]`, depth + 1)).filter((d) => d !== undefined));
    }
    default:
      throw r.unsupported(`${field} type ${JSON.stringify(type)}`);
  }
}
