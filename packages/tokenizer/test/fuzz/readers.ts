// The tokenizer readers under fuzz, each with a small valid file to mutate. A reader that accepts
// a mutant must also build a tokenizer that encodes and decodes the probe text without crashing.
import {
  BPETokenizer,
  CharTokenizer,
  fromBertVocab,
  fromGpt2Files,
  fromTokenizerJson,
  loadTokenizer,
  TokenizerError,
  vocabAndMergesFromTiktoken,
  WordPieceTokenizer,
  WordTokenizer,
  type PretrainedTokenizer,
} from '../../src/index.js';
import { BYTE_TO_CHAR } from '../../src/bpe/byte-unicode.js';
import { fuzzTokenizerReader, type TokenizerFuzzCounts } from './harness.js';
import { mutants, type Mutant } from './mutations.js';

const PROBE = 'Héllo, WORLD!  안녕 😀 e\u0301 [MASK] <|endoftext|> ab12 \u4e2d\t\n';
const PAIR = 'the second text';

const CORPUS = ['low lower lowest newer wider', 'hello world hello there', '안녕 세계 😀'];
const WORDS = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]', 'hello', 'world', 'he', '##llo', '##l', 'l', '##o', ',', '!', 'ab', '##12', 'a', '##b'];

/** A byte-level vocabulary (256 bytes + merges of the corpus) and its merges. */
function smallByteLevel(): { vocab: Record<string, number>; merges: [string, string][] } {
  const bpe = BPETokenizer.train(CORPUS, { vocabSize: 4 + 256 + 24, specialTokens: { eos: '<|endoftext|>' } });
  const tokens = bpe.vocab.tokens();
  return { vocab: Object.fromEntries(tokens.map((t, i) => [t, i])), merges: bpe.merges() };
}

/** Encodes the probe (and a pair) and decodes the ids: what a user does next. */
function exercise(tok: PretrainedTokenizer): void {
  const ids = tok.encodeWithDetails(PROBE, PAIR).ids;
  tok.decode(ids);
  tok.decode(ids, { skipSpecialTokens: true });
}

export interface Reader {
  name: string;
  valid: string;
  json: boolean;
  read: (text: string) => void;
}

/** The readers under fuzz, with their valid files. */
export function tokenizerReaders(): Reader[] {
  const { vocab, merges } = smallByteLevel();
  const vocabJson = JSON.stringify(vocab);
  const mergesTxt = `#version: 0.2\n${merges.map((m) => m.join(' ')).join('\n')}\n`;
  const vocabTxt = `${WORDS.join('\n')}\n`;
  const bertJson = JSON.stringify({
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'].map((content, id) => ({ id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true })),
    normalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [{ SpecialToken: { id: '[CLS]', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '[SEP]', type_id: 0 } }],
      pair: [{ Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '[SEP]', type_id: 0 } }, { Sequence: { id: 'B', type_id: 1 } }],
      special_tokens: { '[CLS]': { id: '[CLS]', ids: [2], tokens: ['[CLS]'] }, '[SEP]': { id: '[SEP]', ids: [3], tokens: ['[SEP]'] } },
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: { type: 'WordPiece', unk_token: '[UNK]', continuing_subword_prefix: '##', max_input_chars_per_word: 100, vocab: Object.fromEntries(WORDS.map((w, i) => [w, i])) },
  });
  const bpeJson = JSON.stringify({
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: [{ id: vocab['<|endoftext|>'], content: '<|endoftext|>', single_word: false, lstrip: false, rstrip: false, normalized: true, special: true }],
    normalizer: { type: 'Sequence', normalizers: [{ type: 'NFC' }, { type: 'Replace', pattern: { Regex: '\\s{3,}' }, content: '  ' }] },
    pre_tokenizer: { type: 'Sequence', pretokenizers: [{ type: 'Digits', individual_digits: true }, { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true }] },
    post_processor: { type: 'RobertaProcessing', sep: ['<|endoftext|>', vocab['<|endoftext|>']], cls: ['<|endoftext|>', vocab['<|endoftext|>']], trim_offsets: true, add_prefix_space: true },
    decoder: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true },
    model: { type: 'BPE', dropout: null, unk_token: null, continuing_subword_prefix: '', end_of_word_suffix: '', fuse_unk: false, byte_fallback: false, ignore_merges: false, vocab, merges },
  });
  const metaspaceVocab = ['<unk>', '▁', 'H', 'e', 'l', 'o', '▁H', '▁He', 'll', '<0xC3>', '<0xA9>', '<s>', '</s>'];
  const metaspaceJson = JSON.stringify({
    added_tokens: [
      { id: 11, content: '<s>', special: true, normalized: false, lstrip: false, rstrip: false, single_word: false },
      { id: 12, content: '</s>', special: true, normalized: false, lstrip: true, rstrip: true, single_word: true },
    ],
    normalizer: { type: 'Sequence', normalizers: [{ type: 'Prepend', prepend: '▁' }, { type: 'Replace', pattern: { String: ' ' }, content: '▁' }, { type: 'Strip', strip_left: false, strip_right: true }] },
    pre_tokenizer: { type: 'Split', pattern: { Regex: "(?i:'s|'t)|\\p{L}+|\\s+|[^\\s\\p{L}]+" }, behavior: 'MergedWithNext', invert: false },
    post_processor: { type: 'Sequence', processors: [{ type: 'ByteLevel', trim_offsets: false }, { type: 'TemplateProcessing', single: '<s> $A </s>', pair: '<s> $A </s> $B:1 </s>:1', special_tokens: { '<s>': { id: '<s>', ids: [11], tokens: ['<s>'] }, '</s>': { id: '</s>', ids: [12], tokens: ['</s>'] } } }] },
    decoder: { type: 'Sequence', decoders: [{ type: 'Replace', pattern: { String: '▁' }, content: ' ' }, { type: 'ByteFallback' }, { type: 'Fuse' }, { type: 'Strip', content: ' ', start: 1, stop: 0 }, { type: 'Metaspace', replacement: '▁', prepend_scheme: 'first', split: false }] },
    model: { type: 'BPE', unk_token: '<unk>', fuse_unk: true, byte_fallback: true, vocab: Object.fromEntries(metaspaceVocab.map((t, i) => [t, i])), merges: [['▁', 'H'], ['▁H', 'e'], ['l', 'l']] },
  });
  const saved = [
    ['saved CharTokenizer', CharTokenizer.fromCorpus(CORPUS).save()],
    ['saved WordTokenizer', WordTokenizer.fromCorpus(CORPUS, { lowercase: true }).save()],
    ['saved BPETokenizer', BPETokenizer.train(CORPUS, { vocabSize: 4 + 256 + 16 }).save()],
    ['saved WordPieceTokenizer', WordPieceTokenizer.fromTokens(WORDS).save()],
  ] as const;
  const b64 = (s: string) => btoa(s);
  const tiktoken = `! 0 ${[...'abcdefgh '].map(b64).join(' ')}\n! 9 ${['ab', 'cd', 'abcd', ' a'].map(b64).join(' ')}\n`;
  return [
    { name: 'vocab.json (fromGpt2Files)', valid: vocabJson, json: true, read: (t) => exercise(fromGpt2Files(t, mergesTxt)) },
    { name: 'merges.txt (fromGpt2Files)', valid: mergesTxt, json: false, read: (t) => exercise(fromGpt2Files(vocabJson, t)) },
    {
      name: 'vocab.txt (fromBertVocab, WordPieceTokenizer.fromVocabTxt)',
      valid: vocabTxt,
      json: false,
      read: (t) => {
        exercise(fromBertVocab(t));
        const wp = WordPieceTokenizer.fromVocabTxt(t);
        wp.decode(wp.encode(PROBE, { addSpecialTokens: true, parseSpecialTokens: true }));
      },
    },
    { name: 'tokenizer.json, BERT (fromTokenizerJson)', valid: bertJson, json: true, read: (t) => exercise(fromTokenizerJson(t)) },
    {
      name: 'tokenizer.json, byte-level BPE (fromTokenizerJson, BPETokenizer.fromTokenizerJson)',
      valid: bpeJson,
      json: true,
      read: (t) => {
        try {
          const legacy = BPETokenizer.fromTokenizerJson(t);
          legacy.decode(legacy.encode(PROBE, { parseSpecialTokens: true }));
        } catch (error) {
          // The narrower reader refuses this file's normalizer: only a TokenizerError is allowed.
          if (!(error instanceof TokenizerError)) throw error;
        }
        exercise(fromTokenizerJson(t));
      },
    },
    { name: 'tokenizer.json, Metaspace/byte fallback (fromTokenizerJson)', valid: metaspaceJson, json: true, read: (t) => exercise(fromTokenizerJson(t)) },
    ...saved.map(([name, text]): Reader => ({
      name: `${name} (loadTokenizer)`,
      valid: text,
      json: true,
      read: (t) => {
        const tok = loadTokenizer(t);
        tok.decode(tok.encode(PROBE, { addSpecialTokens: true, parseSpecialTokens: true }));
        tok.encodeBatch([PROBE, 'ab'], { padding: 'longest', returnOffsets: true });
      },
    })),
    {
      name: 'tiktoken ranks (vocabAndMergesFromTiktoken)',
      valid: tiktoken,
      json: false,
      read: (t) => {
        const { vocab: v, merges: m } = vocabAndMergesFromTiktoken(t);
        // Add the byte tokens the small table lacks, so the merges can be built into a tokenizer.
        const full = Object.assign(Object.create(null) as Record<string, number>, v);
        let next = Math.max(-1, ...Object.values(full)) + 1;
        for (const ch of BYTE_TO_CHAR) if (!Object.hasOwn(full, ch)) full[ch] = next++;
        const ids = [...new Set(Object.values(full))];
        if (ids.length === Object.keys(full).length) BPETokenizer.fromVocabAndMerges(full, m).encode(PROBE);
      },
    },
  ];
}

/** Fuzzes every reader with `runs` mutants each (seeded), `timeoutMs` per case. */
export function runTokenizerFuzz(runs: number, seed: number, timeoutMs: number): TokenizerFuzzCounts[] {
  return tokenizerReaders().map((reader, k) => fuzzOneReader(reader, runs, seed + k, timeoutMs));
}

/** Fuzzes one reader with `runs` mutants drawn from `seed`. */
export function fuzzOneReader(reader: Reader, runs: number, seed: number, timeoutMs: number): TokenizerFuzzCounts {
  return fuzzTokenizerReader(reader.name, mutants(reader.valid, reader.json, runs, seed), (m: Mutant) => reader.read(m.text), timeoutMs);
}
