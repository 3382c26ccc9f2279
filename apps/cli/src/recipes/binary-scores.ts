// Accuracy, and precision / recall / F1 of the positive class (1), for binary classifiers.
import { accuracy } from '@qkv/datasets';

/**
 * Scores predictions against labels, class 1 (e.g. spam) being the positive one. Precision or
 * recall with an empty denominator is 0.
 * @example binaryScores([1, 0, 1], [1, 1, 0]) // { accuracy: 1/3, precision: 0.5, recall: 0.5, f1: 0.5 }
 */
export function binaryScores(predictions: readonly number[], labels: readonly number[]): { accuracy: number; precision: number; recall: number; f1: number } {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  predictions.forEach((p, i) => {
    if (p === 1 && labels[i] === 1) tp++;
    else if (p === 1) fp++;
    else if (labels[i] === 1) fn++;
  });
  const precision = tp + fp === 0 ? 0 : tp / (tp + fp);
  const recall = tp + fn === 0 ? 0 : tp / (tp + fn);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { accuracy: accuracy(predictions, labels), precision, recall, f1 };
}
