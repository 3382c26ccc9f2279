// GEMM: every transpose combination, batch broadcasting and sizes around the 4×8 tile and the
// 256 blocks, against the cpu reference.
import { describe, expect, it } from 'vitest';
import { batchMatMul, matmul, setBackend, tensor } from '@qkv/tensor-core';
import '../src/index.js';
import { expectSameAsCpu } from './helpers.js';

const tol = { atol: 2e-4, rtol: 1e-4 };

describe('BatchMatMul on wasm', () => {
  const sizes: [number, number, number][] = [[1, 1, 1], [3, 5, 7], [4, 8, 8], [17, 63, 65], [5, 257, 9], [65, 300, 33], [9, 513, 260]];
  for (const [m, k, n] of sizes) {
    for (const [tA, tB] of [[false, false], [true, false], [false, true], [true, true]] as const) {
      it(`matches cpu for M=${m} K=${k} N=${n} transposeA=${tA} transposeB=${tB}`, async () => {
        const a = tA ? [2, k, m] : [2, m, k];
        const b = tB ? [2, n, k] : [2, k, n];
        await expectSameAsCpu([a, b], (x, y) => batchMatMul(x, y, tA, tB), tol);
      });
    }
  }

  it('broadcasts a batch of one on either side, folding A’s batch into rows when B is shared', async () => {
    await expectSameAsCpu([[3, 17, 33], [1, 33, 19]], (x, y) => batchMatMul(x, y), tol);
    await expectSameAsCpu([[1, 17, 33], [3, 33, 19]], (x, y) => batchMatMul(x, y), tol);
    await expectSameAsCpu([[3, 33, 17], [1, 19, 33]], (x, y) => batchMatMul(x, y, true, true), tol);
  });

  it('computes a hand-checked 2×2 product exactly', async () => {
    await setBackend('wasm');
    const y = matmul(tensor([[1, 2], [3, 4]]), tensor([[5, 6], [7, 8]]));
    expect(y.backend).toBe('wasm');
    expect(Array.from(y.dataSync())).toEqual([19, 22, 43, 50]);
  });

  it('returns zeros for an empty inner dimension and an empty result for zero rows', async () => {
    await setBackend('wasm');
    expect(Array.from(batchMatMul(tensor(new Float32Array(0), { shape: [1, 2, 0] }), tensor(new Float32Array(0), { shape: [1, 0, 3] })).dataSync())).toEqual([0, 0, 0, 0, 0, 0]);
    expect(batchMatMul(tensor(new Float32Array(0), { shape: [1, 0, 4] }), tensor(new Float32Array(8), { shape: [1, 4, 2] })).shape).toEqual([1, 0, 2]);
  });
});
