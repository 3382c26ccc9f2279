import { datasetError } from '../core/errors.js';

/**
 * Perplexity from a summed negative log-likelihood (natural log): exp(Σ NLL / tokens).
 * @example perplexity(4 * Math.log(2), 4) // 2
 */
export function perplexity(totalNll: number, tokens: number): number {
  if (!(tokens > 0)) throw datasetError('perplexity', 'a positive token count', tokens);
  if (!Number.isFinite(totalNll) || totalNll < 0) throw datasetError('perplexity', 'a finite summed NLL ≥ 0', totalNll);
  return Math.exp(totalNll / tokens);
}
