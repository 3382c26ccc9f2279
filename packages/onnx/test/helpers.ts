// Shared by the tests: run an exported file on onnxruntime-node and compare with qkv.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import * as ort from 'onnxruntime-node';
import { tensor } from '@qkv/tensor-core';
import type { Tensor } from '@qkv/tensor-core';

/** int32 ids [B, T] from rows of numbers (qkv's input). */
export const ids = (rows: number[][]): Tensor => tensor(Int32Array.from(rows.flat()), { shape: [rows.length, rows[0]!.length], dtype: 'int32' });

/** The same ids as an ORT int64 tensor. */
export const ortIds = (rows: number[][]): ort.Tensor => new ort.Tensor('int64', BigInt64Array.from(rows.flat().map(BigInt)), [rows.length, rows[0]!.length]);

/** A qkv float tensor as an ORT tensor. */
export const ortFloat = (t: Tensor): ort.Tensor => new ort.Tensor('float32', Float32Array.from(t.dataSync() as Float32Array), [...t.shape]);

/** A qkv bool tensor as an ORT bool tensor. */
export const ortBool = (t: Tensor): ort.Tensor => new ort.Tensor('bool', Uint8Array.from(t.dataSync() as ArrayLike<number>, (v) => (v ? 1 : 0)), [...t.shape]);

/** Largest |a − b| after checking shapes agree. */
export function maxDiff(onnx: ort.Tensor, qkv: Tensor): number {
  const a = onnx.data as Float32Array;
  const b = qkv.dataSync() as Float32Array;
  if (onnx.dims.join() !== qkv.shape.join()) throw new Error(`shape ${onnx.dims.join('×')} ≠ ${qkv.shape.join('×')}`);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return Number.isNaN(a.reduce((s, x) => s + x, 0)) ? Infinity : m;
}

let saved = 0;

/**
 * A session on the exported bytes. With QKV_ONNX_SAVE=<dir>, the file is also written there (named
 * after the test) for tooling/onnx-check/check.py.
 */
export function session(bytes: Uint8Array): Promise<ort.InferenceSession> {
  const dir = process.env.QKV_ONNX_SAVE;
  if (dir) {
    const test = (expect.getState().currentTestName ?? 'model').replace(/[^A-Za-z0-9]+/g, '-').slice(0, 80);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `${String(saved++).padStart(2, '0')}-${test}.onnx`), bytes);
  }
  return ort.InferenceSession.create(bytes);
}

export { ort };
