// Test helpers: golden fixtures from fixtures/*.json, and a plain-JavaScript attention written
// with loops over nested arrays (an independent reference: no tensor op is shared with the code).
import { readFileSync } from 'node:fs';
import { tensor } from '@qkv/tensor-core';
import type { Tensor } from '@qkv/tensor-core';
import { MultiheadAttention } from '../src/index.js';
import type { MultiheadAttentionOptions } from '../src/index.js';

/** An array as the fixture script writes it. */
export interface EncodedArray {
  shape: number[];
  dtype: 'float32' | 'bool';
  data: (number | boolean | '-inf')[];
}

/** A case of fixtures/sdpa.json (numpy) and fixtures/torch/sdpa.json (PyTorch, which adds gradients). */
export interface SdpaCase {
  name: string;
  q: EncodedArray;
  k: EncodedArray;
  v: EncodedArray;
  attn_mask?: EncodedArray;
  is_causal?: boolean;
  scale?: number;
  output: EncodedArray;
  weights: EncodedArray;
}

/** A case of fixtures/mha.json (numpy) and fixtures/torch/mha.json (PyTorch, which adds gradients). */
export interface MhaCase {
  name: string;
  embed_dim: number;
  num_heads: number;
  ctor: { kdim?: number; vdim?: number; bias?: boolean; add_bias_kv?: boolean; add_zero_attn?: boolean; batch_first?: boolean };
  forward: { average_attn_weights?: boolean };
  state_dict: Record<string, EncodedArray>;
  query: EncodedArray;
  key: EncodedArray;
  value: EncodedArray;
  attn_mask?: EncodedArray;
  key_padding_mask?: EncodedArray;
  output: EncodedArray;
  weights: EncodedArray;
}

/** Reads fixtures/<name>.json. */
export function loadFixture<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(`../fixtures/${name}.json`, import.meta.url), 'utf8')) as T;
}

/** A tensor from a fixture array. */
export function decode(a: EncodedArray): Tensor {
  if (a.dtype === 'bool') return tensor(a.data.map((x) => x === true), { shape: a.shape, dtype: 'bool' });
  return tensor(Float32Array.from(a.data, (x) => (x === '-inf' ? -Infinity : Number(x))), { shape: a.shape });
}

/** The module a fixture describes, built with PyTorch's constructor arguments. */
export function buildMha(c: MhaCase): MultiheadAttention {
  const options: MultiheadAttentionOptions = {
    kdim: c.ctor.kdim,
    vdim: c.ctor.vdim,
    bias: c.ctor.bias,
    addBiasKv: c.ctor.add_bias_kv,
    addZeroAttn: c.ctor.add_zero_attn,
    batchFirst: c.ctor.batch_first,
  };
  return new MultiheadAttention(c.embed_dim, c.num_heads, options);
}

type Matrix = number[][];

/** softmax over a row; a row of only −∞ gives zeros (the documented qkv behaviour). */
export function softmaxRow(row: number[]): number[] {
  const m = Math.max(...row);
  if (m === -Infinity) return row.map(() => 0);
  const e = row.map((x) => Math.exp(x - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((x) => x / s);
}

/**
 * One head of attention with loops: q [L, E], k [S, E], v [S, Ev], additive mask [L, S] or null.
 * Returns output [L, Ev] and weights [L, S].
 */
export function naiveAttention(q: Matrix, k: Matrix, v: Matrix, mask: Matrix | null, scale: number): { output: Matrix; weights: Matrix } {
  const weights = q.map((qi, i) =>
    softmaxRow(k.map((kj, j) => qi.reduce((s, x, e) => s + x * kj[e]!, 0) * scale + (mask ? mask[i]![j]! : 0))),
  );
  const output = weights.map((wi) => v[0]!.map((_, c) => wi.reduce((s, w, j) => s + w * v[j]![c]!, 0)));
  return { output, weights };
}

/** Nested values of a tensor as number[][] (2-d). */
export function mat(t: Tensor): Matrix {
  return t.toArray() as Matrix;
}
