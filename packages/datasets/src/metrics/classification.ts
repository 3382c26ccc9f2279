import { datasetError } from '../core/errors.js';

/**
 * Share of predictions equal to their labels.
 * @param predictions [N] predicted class ids
 * @param labels [N] true class ids
 * @example accuracy([1, 0, 1, 1], [1, 1, 1, 0]) // 0.5
 */
export function accuracy(predictions: ArrayLike<number>, labels: ArrayLike<number>): number {
  if (predictions.length !== labels.length) throw datasetError('accuracy', `as many predictions as labels (${labels.length})`, predictions.length);
  if (labels.length === 0) throw datasetError('accuracy', 'at least one label', 0);
  let right = 0;
  for (let i = 0; i < labels.length; i++) if (predictions[i] === labels[i]) right++;
  return right / labels.length;
}

/**
 * Class ids of the largest score in each row of flat [N, C] scores (ties: the first).
 * @example argmaxRows(new Float32Array([0.1, 0.9, 0.8, 0.2]), 2) // Int32Array [1, 0]
 */
export function argmaxRows(scores: ArrayLike<number>, classes: number): Int32Array {
  if (!Number.isInteger(classes) || classes < 1 || scores.length % classes !== 0) {
    throw datasetError('argmaxRows', `scores of length N·${classes}`, scores.length);
  }
  const out = new Int32Array(scores.length / classes);
  for (let n = 0; n < out.length; n++) {
    let best = 0;
    for (let c = 1; c < classes; c++) if (scores[n * classes + c]! > scores[n * classes + best]!) best = c;
    out[n] = best;
  }
  return out;
}
