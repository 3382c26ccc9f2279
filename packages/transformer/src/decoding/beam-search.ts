// Beam search with a length penalty and early stopping at EOS, over any DecodeStepper.
import { noGrad, tensor, tidy, ValueError } from '@qkv/tensor-core';

import { checkDecodeOptions, releaseState, tensorsIn } from './loop.js';
import type { DecodeOptions, DecodeStepper } from './stepper.js';

/** Options of `beamSearch`. */
export interface BeamSearchOptions extends DecodeOptions {
  /** Beams kept per batch row, K (default 4). */
  beamWidth?: number;
  /**
   * α in score = log p(y) / |y|^α, |y| the generated length including EOS (default 1, as Hugging
   * Face's `length_penalty`; 0 ranks by log-probability alone, > 0 favours longer outputs).
   */
  lengthPenalty?: number;
  /**
   * Stop a batch row as soon as K hypotheses have ended in EOS (default true); with false, go on
   * while a live beam could still beat the worst of them.
   */
  earlyStopping?: boolean;
}

/** A finished hypothesis: the generated tokens (ending in EOS if it stopped there). */
export interface Hypothesis {
  tokens: number[];
  /** Σ log p of the generated tokens. */
  logProb: number;
  /** logProb / |tokens|^α: what hypotheses are ranked by. */
  score: number;
}

interface Beam {
  tokens: number[];
  logProb: number;
  row: number;
}

function addFinished(list: Hypothesis[], tokens: number[], logProb: number, alpha: number, K: number): void {
  list.push({ tokens, logProb, score: logProb / Math.pow(tokens.length, alpha) });
  list.sort((a, b) => b.score - a.score);
  if (list.length > K) list.pop();
}

/** The next live beams of one batch row from its current beams' log-probabilities. */
function expand(beams: Beam[], logp: Float32Array, V: number, K: number, eosId: number | undefined, finished: Hypothesis[], alpha: number): Beam[] {
  const candidates: { parent: Beam; token: number; logProb: number }[] = [];
  for (const parent of beams) {
    for (let v = 0; v < V; v++) candidates.push({ parent, token: v, logProb: parent.logProb + logp[parent.row * V + v]! });
  }
  candidates.sort((a, b) => b.logProb - a.logProb);
  const next: Beam[] = [];
  for (const [rank, c] of candidates.slice(0, 2 * K).entries()) {
    const tokens = [...c.parent.tokens, c.token];
    if (c.token === eosId) {
      if (rank < K) addFinished(finished, tokens, c.logProb, alpha, K); // as Hugging Face: only EOS among the top K ends a beam
      continue;
    }
    next.push({ tokens, logProb: c.logProb, row: c.parent.row });
    if (next.length === K) break;
  }
  return next;
}

/**
 * Beam search: keeps the K most likely partial outputs per batch row; a beam that emits `eosId`
 * becomes a finished hypothesis. B batch · K beamWidth · N live rows (≤ B·K) · V vocabulary.
 * @returns for each batch row, up to K hypotheses, best score first (generated tokens only).
 * @example
 * const [best] = beamSearch(model.stepper(src), { prompt: bos, beamWidth: 5, eosId: 2, maxNewTokens: 30 })[0]!;
 * best.tokens // e.g. [17, 4, 9, 2]
 */
export function beamSearch<S>(stepper: DecodeStepper<S>, options: BeamSearchOptions): Hypothesis[][] {
  const { B, maxNewTokens } = checkDecodeOptions('beamSearch', options);
  const { prompt, eosId, beamWidth: K = 4, lengthPenalty: alpha = 1, earlyStopping = true } = options;
  if (!Number.isInteger(K) || K < 1) throw new ValueError(`beamSearch: beamWidth must be a positive integer, got ${K}`);
  const finished: Hypothesis[][] = Array.from({ length: B }, () => []);
  tidy(() => noGrad(() => {
    let state = stepper.init(B);
    const initial = tensorsIn(state).add(prompt); // never dispose what the caller owns
    let live: (Beam[] | null)[] = Array.from({ length: B }, (_, b) => [{ tokens: [], logProb: 0, row: b }]);
    let input = prompt;
    for (let step = 0; step < maxNewTokens; step++) {
      const { logits, state: stepped } = tidy(() => stepper.step(input, state)); // frees the step's activations now
      releaseState(state, stepped, initial);
      const logp = logits.logSoftmax(-1).dataSync() as Float32Array;
      const V = logits.shape[1]!;
      live = live.map((beams, b) => {
        if (!beams) return null;
        const next = expand(beams, logp, V, K, eosId, finished[b]!, alpha);
        if (next.length === 0 || finished[b]!.length < K) return next.length === 0 ? null : next;
        // K hypotheses have ended: stop, or (without earlyStopping) go on while the best live beam could still beat the worst of them
        const hopeless = earlyStopping || next[0]!.logProb / Math.pow(step + 1, alpha) <= finished[b]!.at(-1)!.score;
        return hopeless ? null : next;
      });
      if (step === maxNewTokens - 1 || live.every((l) => l === null)) break;
      const rows = live.flatMap((l) => l ?? []);
      const selected = stepper.select(stepped, tensor(rows.map((r) => r.row), { dtype: 'int32' }));
      releaseState(stepped, selected, initial);
      state = selected;
      rows.forEach((r, i) => (r.row = i));
      input = tensor(rows.map((r) => r.tokens.at(-1)!), { dtype: 'int32', shape: [rows.length, 1] });
    }
    live.forEach((beams, b) => beams?.forEach((beam) => addFinished(finished[b]!, beam.tokens, beam.logProb, alpha, K)));
  }));
  return finished;
}

