// CMUdict prepared for grapheme-to-phoneme: train pairs (one per pronunciation), evaluation items
// (one per word, every pronunciation a reference) and the PER/WER metrics, stressless or not.
import { g2pErrorRates, g2pPairs, g2pTokenizers, loadCmudict } from '@qkv/datasets';
import type { Cmudict } from '@qkv/datasets';
import type { Seq2SeqTask } from './seq2seq.js';

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
