// GEMM: every transpose combination, batch broadcasting and sizes around the 4×8 tile and the
// 256 blocks, against the cpu reference.
import { describe, expect, it } from 'vitest';
import { backendInstance, batchMatMul, matmul, setBackend, tensor } from '@qkv/tensor-core';
import { expectClose } from '@qkv/tensor-core/testing';
import type { WasmBackend } from '../src/backend.js';
import { IN_PLACE_A_MAX_N } from '../src/kernels/matmul.js';
import '../src/index.js';
import { expectSameAsCpu, floats } from './helpers.js';

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

  it('reads A in place when B has at most IN_PLACE_A_MAX_N columns: every layout, batch sharing and depth blocking', async () => {
    expect(IN_PLACE_A_MAX_N).toBe(32);
    // attention's P·V and dV = Pᵀ·dO shapes at odd sizes, K past the 512 depth block (513), a partial last strip
    for (const [tA, tB] of [[false, false], [true, false], [false, true], [true, true]] as const) {
      for (const [m, k, n] of [[67, 300, 16], [130, 257, 32], [6, 513, 24]] as const) {
        await expectSameAsCpu([tA ? [3, k, m] : [3, m, k], tB ? [3, n, k] : [3, k, n]], (x, y) => batchMatMul(x, y, tA, tB), tol);
        await expectSameAsCpu([tA ? [1, k, m] : [1, m, k], tB ? [3, n, k] : [3, k, n]], (x, y) => batchMatMul(x, y, tA, tB), tol); // one A for every batch
        await expectSameAsCpu([tA ? [3, k, m] : [3, m, k], tB ? [1, n, k] : [1, k, n]], (x, y) => batchMatMul(x, y, tA, tB), tol); // one B: rows fold unless transposeA
      }
    }
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

describe('packed-weight cache', () => {
  it('reuses the packed panels of a B used again, frees them with its storage, and keeps results exact', async () => {
    await setBackend('wasm');
    const wb = backendInstance('wasm') as WasmBackend;
    const before = wb.packCache.bytes;
    const w = tensor(floats(40 * 24, 3), { shape: [40, 24] }); // a Linear weight [out, in]
    const w3 = w.reshape([1, 40, 24]); // a view: the same storage
    const xs = [1, 2, 3].map((s) => tensor(floats(5 * 24, 10 + s), { shape: [1, 5, 24] }));
    // x·Wᵀ three times: the first use only remembers W, the second packs it into the cache
    const ys = xs.map((x) => batchMatMul(x, w3, false, true));
    expect(wb.packCache.bytes - before).toBe(Math.ceil(40 / 8) * 24 * 32);
    // W·… with another layout of the same storage packs afresh and replaces the entry
    const z = batchMatMul(tensor(floats(3 * 40, 4), { shape: [1, 3, 40] }), w3);
    const z2 = batchMatMul(tensor(floats(3 * 40, 4), { shape: [1, 3, 40] }), w3);
    expect(wb.packCache.bytes - before).toBe(Math.ceil(24 / 8) * 40 * 32); // K = 40 now: 3 panels × 40 depths
    await setBackend('cpu');
    expectClose(z.dataSync(), batchMatMul(tensor(floats(3 * 40, 4), { shape: [1, 3, 40] }), tensor(floats(40 * 24, 3), { shape: [1, 40, 24] })).dataSync(), tol);
    expect(Array.from(z2.dataSync())).toEqual(Array.from(z.dataSync()));
    const wc = tensor(floats(40 * 24, 3), { shape: [1, 40, 24] });
    for (const [i, y] of ys.entries()) {
      const ref = batchMatMul(tensor(floats(5 * 24, 11 + i), { shape: [1, 5, 24] }), wc, false, true);
      expectClose(y.dataSync(), ref.dataSync(), tol);
    }
    w.dispose();
    expect(wb.packCache.bytes - before).toBeGreaterThan(0); // the view still holds the storage
    w3.dispose();
    expect(wb.packCache.bytes).toBe(before);
  });
});
