// Shared by the tests: fixture folders, their expected.json, and int32 ids.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tensor } from '@qkv/tensor-core';
import type { Tensor } from '@qkv/tensor-core';
import { expect } from 'vitest';

export const FIXTURES = join(import.meta.dirname, '..', 'fixtures');

/** A {shape, data} array of expected.json. */
export interface Arr {
  shape: number[];
  data: number[];
}

/** The expected.json of fixture `name`. */
export function expected<T>(name: string): T {
  return JSON.parse(readFileSync(join(FIXTURES, name, 'expected.json'), 'utf8')) as T;
}

/** int32 [rows, cols] from nested arrays. */
export function ids(rows: number[][]): Tensor {
  return tensor(rows.flat(), { dtype: 'int32', shape: [rows.length, rows[0]!.length] });
}

/** The largest |actual − expected|, after checking the shapes agree. */
export function maxDiff(actual: Tensor, want: Arr): number {
  expect(actual.shape).toEqual(want.shape);
  const got = actual.dataSync();
  let worst = 0;
  for (let i = 0; i < want.data.length; i++) worst = Math.max(worst, Math.abs(got[i]! - want.data[i]!));
  return worst;
}

/** Every entry within `tol` of the reference (default 1e-4). */
export function expectNear(actual: Tensor, want: Arr, tol = 1e-4): void {
  expect(maxDiff(actual, want)).toBeLessThan(tol);
}
