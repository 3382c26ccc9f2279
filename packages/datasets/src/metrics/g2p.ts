import { stripStress } from '../cmudict/phonemes.js';
import { datasetError } from '../core/errors.js';
import { editDistance } from './edit-distance.js';

/** Corpus-level G2P scores. W words · P pronunciations of a word · N phonemes. */
export interface G2PScores {
  /** Phoneme error rate: Σ edit distance to the closest reference / Σ that reference's length. */
  per: number;
  /** Word error rate: share of words whose prediction equals none of the references. */
  wer: number;
  /** Σ edit distances (numerator of `per`). */
  phonemeErrors: number;
  /** Σ lengths of the closest references (denominator of `per`). */
  referencePhonemes: number;
  /** Words predicted wrong (numerator of `wer`). */
  wordErrors: number;
  /** W */
  words: number;
}

/**
 * Phoneme and word error rates of G2P predictions. For each word, the closest reference is the
 * one with the smallest edit distance (ties: the shorter, then the first); PER sums distances and
 * those references' lengths over the corpus. With `stress: false` stress digits are removed from
 * predictions and references first.
 * @param predictions [W][N] predicted phonemes per word
 * @param references [W][P][N] every accepted pronunciation per word
 * @example g2pErrorRates([['R', 'EH1', 'D']], [[['R', 'IY1', 'D'], ['R', 'EH1', 'D']]]) // per 0, wer 0
 */
export function g2pErrorRates(
  predictions: readonly (readonly string[])[],
  references: readonly (readonly (readonly string[])[])[],
  options: { stress?: boolean } = {},
): G2PScores {
  const fn = 'g2pErrorRates';
  if (predictions.length !== references.length) throw datasetError(fn, `as many predictions as references (${references.length})`, predictions.length);
  const clean = (p: readonly string[]) => (options.stress === false ? stripStress(p) : p);
  let phonemeErrors = 0;
  let referencePhonemes = 0;
  let wordErrors = 0;
  for (const [w, refs] of references.entries()) {
    if (refs.length === 0) throw datasetError(fn, `at least one reference for word ${w}`, 'none');
    const prediction = clean(predictions[w]!);
    let best = { distance: Number.POSITIVE_INFINITY, length: 0 };
    for (const ref of refs) {
      const reference = clean(ref);
      const distance = editDistance(prediction, reference);
      if (distance < best.distance || (distance === best.distance && reference.length < best.length)) best = { distance, length: reference.length };
    }
    phonemeErrors += best.distance;
    referencePhonemes += best.length;
    if (best.distance > 0) wordErrors++;
  }
  const words = references.length;
  return {
    per: referencePhonemes === 0 ? 0 : phonemeErrors / referencePhonemes,
    wer: words === 0 ? 0 : wordErrors / words,
    phonemeErrors,
    referencePhonemes,
    wordErrors,
    words,
  };
}
