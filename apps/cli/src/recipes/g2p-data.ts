// CMUdict prepared for grapheme-to-phoneme: train pairs (one per pronunciation), evaluation items
// (one per word, every pronunciation a reference) and the PER/WER metrics, stressless or not.
import { g2pErrorRates, g2pPairs, g2pTokenizers, loadCmudict } from '@qkv/datasets';
import type { Cmudict } from '@qkv/datasets';
import { InputError } from '../errors.js';
import type { Seq2SeqTask } from './seq2seq.js';

/** Longest word `predict` takes: the positional table holds 64 positions, with room for <sos>/<eos>. */
export const G2P_MAX_WORD_LENGTH = 62;

/**
 * A word as CMUdict's training words are: NFC, trimmed, lower-case; refused (InputError) when empty,
 * longer than G2P_MAX_WORD_LENGTH letters, or holding a character no training word has.
 * @example normalizeWord('  HeLLo ', ['e', 'h', 'l', 'o']) // 'hello'
 */
export function normalizeWord(input: string, graphemes: readonly string[]): string {
  const word = input.normalize('NFC').trim().toLowerCase();
  if (word === '') throw new InputError('predict: expected a word, got an empty input');
  const chars = [...word];
  if (chars.length > G2P_MAX_WORD_LENGTH) throw new InputError(`predict: expected a word of at most ${G2P_MAX_WORD_LENGTH} letters (the model's positional table holds 64 positions), got ${chars.length}`);
  const known = new Set(graphemes);
  const bad = [...new Set(chars.filter((c) => !known.has(c)))];
  if (bad.length > 0) throw new InputError(`predict: expected a word of the letters a–z and ${graphemes.filter((g) => !/[a-z]/.test(g)).map((g) => `'${g}'`).join(' ')} (the training alphabet), got ${bad.map((c) => JSON.stringify(c)).join(', ')}`);
  return word;
}

let cache: Promise<Cmudict> | undefined;

/** Loads CMUdict once per process (split by word with `seed`, so pronunciations never straddle splits). */
export function cmudict(seed: number): Promise<Cmudict> {
  cache ??= loadCmudict({ seed });
  return cache;
}

/** The G2P task; `stress` keeps the stress digits in the targets (the model then predicts them). */
export async function g2pTask(seed: number, stress: boolean): Promise<Omit<Seq2SeqTask, 'tokenizers'> & { tokenizers: ReturnType<typeof g2pTokenizers> }> {
  const cmu = await cmudict(seed);
  const tokenizers = g2pTokenizers({ graphemes: cmu.graphemes, phonemes: cmu.phonemes }, { stress });
  return {
    train: g2pPairs(cmu.train, { stress }),
    evalItems: (split) => cmu[split].map((e) => ({ source: e.word, targets: g2pPairs([e], { stress }).map((p) => p.target) })),
    tokenizers,
    joiner: ' ',
    maxTargetLength: 32,
    prepareInput: (input) => normalizeWord(input, cmu.graphemes),
    score: (predictions, items) => {
      const preds = predictions.map((p) => (p === '' ? [] : p.split(' ')));
      const refs = items.map((it) => it.targets.map((t) => t.split(' ')));
      const stressless = g2pErrorRates(preds, refs, { stress: false });
      const scores: Record<string, number> = { per: stressless.per, wer: stressless.wer };
      if (stress) {
        const full = g2pErrorRates(preds, refs, { stress: true });
        scores.perWithStress = full.per;
        scores.werWithStress = full.wer;
      }
      return scores;
    },
  };
}
