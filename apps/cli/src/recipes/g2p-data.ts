// CMUdict prepared for grapheme-to-phoneme: train pairs (one per pronunciation), evaluation items
// (one per word, every pronunciation a reference) and the PER/WER metrics, stressless or not.
import { DatasetError, g2pErrorRates, g2pPairs, g2pTokenizers, loadCmudict, normalizeWord } from '@qkv/datasets';
import type { Cmudict } from '@qkv/datasets';
import { InputError } from '../errors.js';
import type { Seq2SeqTask } from './seq2seq.js';

/** Longest word `predict` takes: CMUdict's longest plain word (the demo takes the same). */
export const G2P_MAX_WORD_LENGTH = 34;

/**
 * A word as CMUdict's training words are (`@qkv/datasets`' `normalizeWord`, which the demo uses
 * too: NFKC, trimmed, lower-case); refused with an InputError that says what is accepted when
 * empty, longer than G2P_MAX_WORD_LENGTH letters, or holding anything but a–z and ' - .
 * @example normalizeG2PInput('  HeLLo ') // 'hello'
 */
export function normalizeG2PInput(input: string): string {
  try {
    return normalizeWord(input, { maxLength: G2P_MAX_WORD_LENGTH });
  } catch (err) {
    if (err instanceof DatasetError) throw new InputError(err.message.replace(/^normalizeWord:/, 'predict:'));
    throw err;
  }
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
    prepareInput: normalizeG2PInput,
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
