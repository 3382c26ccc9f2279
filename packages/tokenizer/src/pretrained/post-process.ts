/**
 * Post-processors: how one or two model outputs become the final encoding (`[CLS] a [SEP] b [SEP]`,
 * type ids), with `tokenizers`' semantics: each sequence gets type id 0 or 1, the processor maps
 * the list of encodings to a new list (so they chain), and the list is concatenated. Tokens a
 * processor adds get offsets `[0, 0]` and special-token mask 1.
 */
import { BYTE_TO_CHAR } from '../bpe/byte-unicode.js';
import type { PretrainedEncoding } from './types.js';

/** What the model made of one text: N ids, tokens and spans into that text. */
export interface SequenceEncoding {
  ids: number[];
  tokens: string[];
  offsets: [number, number][];
}

/** One piece of a template: a sequence (`$A`, `$B`) or a special token, each with its type id. */
export type TemplatePiece = { sequence: 'A' | 'B'; typeId: number } | { special: string; typeId: number };

/** Ids and tokens that a template's special-token name stands for (usually one of each). */
export interface TemplateSpecial {
  ids: number[];
  tokens: string[];
}

/** Maps the list of encodings (one per text) to a new list, as `tokenizers`' `process_encodings`. */
export interface PostProcessor {
  /** Number of tokens added for a single text or a pair (for truncation budgets). */
  addedTokens(isPair: boolean): number;
  processEncodings(encodings: PretrainedEncoding[], addSpecialTokens: boolean): PretrainedEncoding[];
}

/**
 * The final encoding of a text (and pair): type ids 0/1, the processor (if any), concatenation.
 * @example postProcess(bertTemplate(['[CLS]', 101], ['[SEP]', 102]), a, undefined, true)
 */
export function postProcess(
  processor: PostProcessor | undefined,
  a: SequenceEncoding,
  b: SequenceEncoding | undefined,
  addSpecialTokens: boolean,
): PretrainedEncoding {
  const encodings = (b === undefined ? [a] : [a, b]).map((seq, i) => fromSequence(seq, i));
  const processed = processor === undefined ? encodings : processor.processEncodings(encodings, addSpecialTokens);
  const out = emptyEncoding();
  for (const e of processed) append(out, e);
  return out;
}

/** An empty encoding to append to. */
export function emptyEncoding(): PretrainedEncoding {
  return { ids: [], tokens: [], typeIds: [], attentionMask: [], offsets: [], specialTokensMask: [] };
}

function fromSequence(seq: SequenceEncoding, typeId: number): PretrainedEncoding {
  return {
    ids: [...seq.ids],
    tokens: [...seq.tokens],
    typeIds: seq.ids.map(() => typeId),
    attentionMask: seq.ids.map(() => 1),
    offsets: seq.offsets.map(([s, e]) => [s, e]),
    specialTokensMask: seq.ids.map(() => 0),
  };
}

function append(out: PretrainedEncoding, e: PretrainedEncoding): void {
  // A loop, not push(...xs): a long text's arrays are beyond the engine's argument limit.
  for (let i = 0; i < e.ids.length; i++) {
    out.ids.push(e.ids[i]!);
    out.tokens.push(e.tokens[i]!);
    out.typeIds.push(e.typeIds[i]!);
    out.attentionMask.push(e.attentionMask[i]!);
    out.offsets.push(e.offsets[i]!);
    out.specialTokensMask.push(e.specialTokensMask[i]!);
  }
}

/** Added special tokens: offsets [0, 0], mask 1. */
function specials(special: TemplateSpecial, typeId: number): PretrainedEncoding {
  return {
    ids: [...special.ids],
    tokens: [...special.tokens],
    typeIds: special.ids.map(() => typeId),
    attentionMask: special.ids.map(() => 1),
    offsets: special.ids.map(() => [0, 0]),
    specialTokensMask: special.ids.map(() => 1),
  };
}

function withTypeIds(e: PretrainedEncoding, typeId: number): PretrainedEncoding {
  return { ...e, typeIds: e.ids.map(() => typeId) };
}

/**
 * `tokenizers`' TemplateProcessing: `single` for one text, `pair` for two; without special tokens
 * the sequences keep the template's type ids and the specials are left out.
 */
export class TemplateProcessor implements PostProcessor {
  constructor(
    readonly single: readonly TemplatePiece[],
    readonly pair: readonly TemplatePiece[],
    readonly specials: ReadonlyMap<string, TemplateSpecial>,
  ) {}

  addedTokens(isPair: boolean): number {
    let n = 0;
    for (const piece of isPair ? this.pair : this.single) if ('special' in piece) n += this.specials.get(piece.special)!.ids.length;
    return n;
  }

  processEncodings(encodings: PretrainedEncoding[], addSpecialTokens: boolean): PretrainedEncoding[] {
    const out: PretrainedEncoding[] = [];
    for (const piece of encodings.length === 2 ? this.pair : this.single) {
      if ('sequence' in piece) out.push(withTypeIds(encodings[piece.sequence === 'A' ? 0 : 1]!, piece.typeId));
      else if (addSpecialTokens) out.push(specials(this.specials.get(piece.special)!, piece.typeId));
    }
    return out;
  }
}

/**
 * BERT's template, `[CLS] $A [SEP]` and `[CLS] $A [SEP] $B:1 [SEP]:1` (= BertProcessing).
 * @example bertTemplate(['[CLS]', 101], ['[SEP]', 102])
 */
export function bertTemplate(cls: readonly [string, number], sep: readonly [string, number]): TemplateProcessor {
  const map = new Map<string, TemplateSpecial>([
    [cls[0], { ids: [cls[1]], tokens: [cls[0]] }],
    [sep[0], { ids: [sep[1]], tokens: [sep[0]] }],
  ]);
  const single: TemplatePiece[] = [{ special: cls[0], typeId: 0 }, { sequence: 'A', typeId: 0 }, { special: sep[0], typeId: 0 }];
  return new TemplateProcessor(single, [...single, { sequence: 'B', typeId: 1 }, { special: sep[0], typeId: 1 }], map);
}

/**
 * RoBERTa's processing: offsets trimmed of spaces (if `trimOffsets`), every type id 0,
 * `<s> a </s>` and `<s> a </s></s> b </s>`.
 */
export function robertaProcessor(cls: readonly [string, number], sep: readonly [string, number], trimOffsets: boolean, addPrefixSpace: boolean): PostProcessor {
  const clsTok = { ids: [cls[1]], tokens: [cls[0]] };
  const sepTok = { ids: [sep[1]], tokens: [sep[0]] };
  return {
    addedTokens: (isPair) => (isPair ? 4 : 2),
    processEncodings(encodings, add) {
      const zeroed = encodings.map((e) => withTypeIds(trimOffsets ? trimmed(e, addPrefixSpace) : e, 0));
      if (!add) return zeroed;
      return zeroed.flatMap((e, i) => (i === 0 ? [specials(clsTok, 0), e, specials(sepTok, 0)] : [specials(sepTok, 0), e, specials(sepTok, 0)]));
    },
  };
}

/** `tokenizers`' ByteLevel post-processor: trims spaces off offsets when `trimOffsets`. */
export function byteLevelProcessor(trimOffsets: boolean, addPrefixSpace: boolean): PostProcessor {
  return {
    addedTokens: () => 0,
    processEncodings: (encodings) => (trimOffsets ? encodings.map((e) => trimmed(e, addPrefixSpace)) : encodings),
  };
}

/** Several processors in turn. */
export function sequenceProcessor(processors: readonly PostProcessor[]): PostProcessor {
  return {
    addedTokens: (isPair) => processors.reduce((n, p) => n + p.addedTokens(isPair), 0),
    processEncodings: (encodings, add) => processors.reduce((acc, p) => p.processEncodings(acc, add), encodings),
  };
}

const SPACE_CHAR = BYTE_TO_CHAR[32]!;
const WHITE_SPACE = /^\p{White_Space}$/u;
const isSpace = (c: string) => c === SPACE_CHAR || WHITE_SPACE.test(c);

/** Offsets without the leading/trailing spaces of their token (`tokenizers`' `process_offsets`). */
function trimmed(e: PretrainedEncoding, addPrefixSpace: boolean): PretrainedEncoding {
  const offsets = e.offsets.map(([start, end], i): [number, number] => {
    const chars = [...e.tokens[i]!];
    let leading = 0;
    while (leading < chars.length && isSpace(chars[leading]!)) leading++;
    let trailing = 0;
    while (trailing < chars.length && isSpace(chars[chars.length - 1 - trailing]!)) trailing++;
    let s = start;
    let t = end;
    if (leading > 0) {
      if ((i === 0 || start === 0) && addPrefixSpace && leading === 1) leading = 0;
      s = Math.min(start + leading, end);
    }
    if (trailing > 0 && t >= trailing) t = Math.max(t - trailing, s);
    return [s, t];
  });
  return { ...e, offsets };
}
