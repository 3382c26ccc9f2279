/**
 * Post-processors: how one or two model outputs become the final encoding (`[CLS] a [SEP] b [SEP]`,
 * type ids), with `tokenizers`' semantics. Tokens they add get offsets `[0, 0]` and mask 1.
 */
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

/** Turns the model's output for a text (and its pair) into the final encoding. */
export interface PostProcessor {
  /** Number of tokens added for a single text or a pair (for truncation budgets). */
  addedTokens(isPair: boolean): number;
  process(a: SequenceEncoding, b: SequenceEncoding | undefined, addSpecialTokens: boolean): PretrainedEncoding;
}

/** An empty encoding to append to. */
export function emptyEncoding(): PretrainedEncoding {
  return { ids: [], tokens: [], typeIds: [], attentionMask: [], offsets: [], specialTokensMask: [] };
}

/** Appends a model output with one type id. */
export function appendSequence(out: PretrainedEncoding, seq: SequenceEncoding, typeId: number): void {
  for (let i = 0; i < seq.ids.length; i++) {
    out.ids.push(seq.ids[i]!);
    out.tokens.push(seq.tokens[i]!);
    out.typeIds.push(typeId);
    out.attentionMask.push(1);
    out.offsets.push([seq.offsets[i]![0], seq.offsets[i]![1]]);
    out.specialTokensMask.push(0);
  }
}

/** Appends added special tokens: offsets [0, 0], mask 1. */
export function appendSpecial(out: PretrainedEncoding, special: TemplateSpecial, typeId: number): void {
  special.ids.forEach((id, i) => {
    out.ids.push(id);
    out.tokens.push(special.tokens[i]!);
    out.typeIds.push(typeId);
    out.attentionMask.push(1);
    out.offsets.push([0, 0]);
    out.specialTokensMask.push(1);
  });
}

/** No post-processor: the texts one after the other, type ids 0 and 1, nothing added. */
export const CONCAT_PROCESSOR: PostProcessor = {
  addedTokens: () => 0,
  process(a, b) {
    const out = emptyEncoding();
    appendSequence(out, a, 0);
    if (b !== undefined) appendSequence(out, b, 1);
    return out;
  },
};

/**
 * `tokenizers`' TemplateProcessing: `single` for one text, `pair` for two; without special tokens
 * the sequences keep the template's type ids and the specials are left out.
 * @example new TemplateProcessor(bertSingle, bertPair, specials) // [CLS] $A [SEP] / … $B:1 [SEP]:1
 */
export class TemplateProcessor implements PostProcessor {
  constructor(
    readonly single: readonly TemplatePiece[],
    readonly pair: readonly TemplatePiece[],
    readonly specials: ReadonlyMap<string, TemplateSpecial>,
  ) {}

  addedTokens(isPair: boolean): number {
    let n = 0;
    for (const piece of isPair ? this.pair : this.single) {
      if ('special' in piece) n += this.specials.get(piece.special)!.ids.length;
    }
    return n;
  }

  process(a: SequenceEncoding, b: SequenceEncoding | undefined, addSpecialTokens: boolean): PretrainedEncoding {
    const out = emptyEncoding();
    for (const piece of b === undefined ? this.single : this.pair) {
      if ('sequence' in piece) appendSequence(out, piece.sequence === 'A' ? a : b!, piece.typeId);
      else if (addSpecialTokens) appendSpecial(out, this.specials.get(piece.special)!, piece.typeId);
    }
    return out;
  }
}

/**
 * BERT's template, `[CLS] $A [SEP]` and `[CLS] $A [SEP] $B:1 [SEP]:1` (= BertProcessing).
 * @example bertTemplate(['[CLS]', 101], ['[SEP]', 102])
 */
export function bertTemplate(cls: readonly [string, number], sep: readonly [string, number]): TemplateProcessor {
  const specials = new Map<string, TemplateSpecial>([
    [cls[0], { ids: [cls[1]], tokens: [cls[0]] }],
    [sep[0], { ids: [sep[1]], tokens: [sep[0]] }],
  ]);
  const single: TemplatePiece[] = [{ special: cls[0], typeId: 0 }, { sequence: 'A', typeId: 0 }, { special: sep[0], typeId: 0 }];
  return new TemplateProcessor(single, [...single, { sequence: 'B', typeId: 1 }, { special: sep[0], typeId: 1 }], specials);
}
