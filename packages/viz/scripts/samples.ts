/**
 * Deterministic, clearly synthetic sample data for the pictures, the browser test and the
 * benchmark (viz imports no model package, so these stand in for real attention).
 */

/** Mulberry32: a small seeded PRNG so every picture is reproducible. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Row-wise softmax of a [T, S] score function. */
export function softmaxRows(T: number, S: number, score: (i: number, j: number) => number): Float64Array {
  const out = new Float64Array(T * S);
  for (let i = 0; i < T; i++) {
    let max = -Infinity;
    for (let j = 0; j < S; j++) max = Math.max(max, score(i, j));
    let sum = 0;
    for (let j = 0; j < S; j++) sum += out[i * S + j] = Math.exp(score(i, j) - max);
    for (let j = 0; j < S; j++) out[i * S + j]! /= sum;
  }
  return out;
}

/** Monotonic-alignment-like cross-attention [T, S], as a translation model learns. */
export function crossAttention(T: number, S: number, seed = 1): { shape: number[]; data: Float64Array } {
  const r = rng(seed);
  return { shape: [T, S], data: softmaxRows(T, S, (i, j) => -(((i + 0.5) / T - (j + 0.5) / S) ** 2) * 60 + r() * 1.2) };
}

/** [L, H, T, T] self-attention with the head patterns seen in trained models. */
export function multiHead(L: number, H: number, T: number, seed = 2): { shape: number[]; data: Float64Array } {
  const r = rng(seed);
  const patterns = [
    (i: number, j: number) => (i === j ? 4 : 0), // self
    (i: number, j: number) => (j === i - 1 ? 4 : 0), // previous token
    (_i: number, j: number) => (j === 0 ? 3 : 0), // first token ([CLS]/<sos>)
    (i: number, j: number) => -Math.abs(i - j) * 0.4, // local window
    (i: number, j: number) => (j === i + 1 ? 4 : 0), // next token
    () => 0, // broad
  ];
  const data = new Float64Array(L * H * T * T);
  for (let l = 0; l < L; l++) {
    for (let h = 0; h < H; h++) {
      const p = patterns[(l + h * 2) % patterns.length]!;
      data.set(softmaxRows(T, T, (i, j) => p(i, j) * (1 + l * 0.3) + r() * 0.8), (l * H + h) * T * T);
    }
  }
  return { shape: [L, H, T, T], data };
}

/** The paper's sinusoidal encoding [P, D]: PE(p, 2i) = sin(p / 10000^(2i/D)), PE(p, 2i+1) = cos(…). */
export function sinusoidal(P: number, D: number): { shape: number[]; data: Float64Array } {
  const data = new Float64Array(P * D);
  for (let p = 0; p < P; p++) {
    for (let d = 0; d < D; d++) {
      const angle = p / 10000 ** ((2 * Math.floor(d / 2)) / D);
      data[p * D + d] = d % 2 === 0 ? Math.sin(angle) : Math.cos(angle);
    }
  }
  return { shape: [P, D], data };
}

/** Causal float mask [T, T]: −∞ above the diagonal (generate_square_subsequent_mask). */
export function causalMask(T: number): { shape: number[]; data: Float64Array } {
  return { shape: [T, T], data: Float64Array.from({ length: T * T }, (_, k) => (k % T > Math.floor(k / T) ? -Infinity : 0)) };
}

/** Synthetic train/validation loss curves (exponential decay plus noise). */
export function lossCurves(steps: number, seed = 3): { train: number[]; valid: number[]; validSteps: number[] } {
  const r = rng(seed);
  const train = Array.from({ length: steps }, (_, s) => 0.35 + 3.2 * Math.exp(-s / (steps / 6)) + (r() - 0.5) * 0.15);
  const validSteps = Array.from({ length: Math.floor(steps / 10) + 1 }, (_, k) => k * 10).filter((s) => s < steps);
  const valid = validSteps.map((s) => 0.5 + 3.1 * Math.exp(-s / (steps / 5)) + (r() - 0.5) * 0.05);
  return { train, valid, validSteps };
}
