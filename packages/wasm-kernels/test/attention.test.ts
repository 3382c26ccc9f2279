// FusedAttention on wasm: sizes around the 4-row blocks and 8-key panels, every mask broadcast,
// causal, rows with no visible key, two threads, and no heap left behind — against the cpu kernel.
import { describe, expect, it } from 'vitest';
import { backendInstance, full, fusedAttention, setBackend, tensor } from '@qkv/tensor-core';
import type { Tensor } from '@qkv/tensor-core';
import type { WasmBackend } from '../src/backend.js';
import '../src/index.js';
import { setThreads } from '../src/threads.js';
import { expectSameAsCpu, floats } from './helpers.js';

const tol = { atol: 2e-5, rtol: 1e-4 };

describe('FusedAttention on wasm', () => {
  // [batch, L, S, E, Ev]
  const sizes: [number[], number, number, number, number][] = [
    [[1], 1, 1, 1, 1], [[2], 3, 5, 7, 3], [[3], 17, 63, 65, 17], [[2, 2], 65, 17, 8, 9], [[1], 63, 257, 64, 64], [[], 4, 8, 16, 8],
  ];
  for (const [batch, L, S, E, Ev] of sizes) {
    it(`matches cpu for batch [${batch.join(',')}] L=${L} S=${S} E=${E} Ev=${Ev}, without and with causal`, async () => {
      const shapes = [[...batch, L, E], [...batch, S, E], [...batch, S, Ev]];
      await expectSameAsCpu(shapes, (q, k, v) => fusedAttention(q, k, v, { scale: 0.5 }), tol);
      await expectSameAsCpu(shapes, (q, k, v) => fusedAttention(q, k, v, { causal: true }), tol);
    });
  }

  const masks: [string, number[]][] = [
    ['[L, S]', [13, 37]], ['[N, 1, S] (padding)', [3, 1, 37]], ['[N, L, S]', [3, 13, 37]], ['[L, 1] (per query)', [13, 1]], ['[S] (per key)', [37]], ['[1]', [1]],
  ];
  for (const [name, shape] of masks) {
    it(`adds a float mask ${name} as the cpu kernel does, with and without causal`, async () => {
      const shapes = [[3, 13, 20], [3, 37, 20], [3, 37, 11], shape];
      // ×8 so the mask moves the softmax a lot; a few −∞ where the values are lowest
      const f = (q: Tensor, k: Tensor, v: Tensor, m: Tensor, causal: boolean) => fusedAttention(q, k, v, { mask: m.mul(8).maskedFill(m.lt(-0.9), -Infinity), causal });
      await expectSameAsCpu(shapes, (q, k, v, m) => f(q, k, v, m, false), tol);
      await expectSameAsCpu(shapes, (q, k, v, m) => f(q, k, v, m, true), tol);
    });
  }

  it('carries the online softmax across key tiles: hidden whole tiles, later tiles with the larger scores', async () => {
    // S = 300 is three tiles of 128 keys (the last one partial). Row l sees: even rows nothing of the
    // first tile (−∞ there, so the running max starts at −∞ and jumps), rows ≡ 1 (mod 3) keys of the
    // last tile raised by +30 (every earlier sum must be rescaled by e^(m_old − m_new) ≈ 0), the rest
    // plain; row 5 sees no key at all. With and without causal (which cuts the tiles per row block).
    const L = 41;
    const S = 300;
    const mask = new Float32Array(L * S);
    for (let l = 0; l < L; l++) {
      for (let s = 0; s < S; s++) {
        const hidden = (l % 2 === 0 && s < 128) || l === 5;
        mask[l * S + s] = hidden ? -Infinity : l % 3 === 1 && s >= 256 ? 30 : 0;
      }
    }
    const shapes = [[2, L, 24], [2, S, 24], [2, S, 20]];
    await expectSameAsCpu(shapes, (q, k, v) => fusedAttention(q, k, v, { mask: tensor(mask, { shape: [L, S] }) }), tol);
    await expectSameAsCpu(shapes, (q, k, v) => fusedAttention(q, k, v, { mask: tensor(mask, { shape: [L, S] }), causal: true }), tol);
    await expectSameAsCpu([[1, 9, 8], [1, 1000, 8], [1, 1000, 8]], (q, k, v) => fusedAttention(q, k, v, { scale: 4 }), tol); // peaked rows, 8 tiles
  });

  it('gives exact zero rows to queries whose keys are all hidden', async () => {
    await setBackend('wasm');
    const mask = tensor(Float32Array.from({ length: 6 * 9 }, (_, i) => (Math.floor(i / 9) % 2 === 0 ? -Infinity : 0)), { shape: [6, 9] });
    const q = tensor(floats(2 * 6 * 4, 1), { shape: [2, 6, 4] });
    const kv = tensor(floats(2 * 9 * 4, 2), { shape: [2, 9, 4] });
    const y = fusedAttention(q, kv, kv, { mask });
    expect(y.backend).toBe('wasm');
    const values = y.dataSync();
    for (let row = 0; row < 12; row += 2) expect(Array.from(values.slice(row * 4, row * 4 + 4))).toEqual([0, 0, 0, 0]);
    expect(Array.from(fusedAttention(q, kv, kv, { mask: full([1], -Infinity) }).dataSync()).every((x) => x === 0)).toBe(true);
  });

  it('returns zeros when there are no keys, and an empty result for no queries', async () => {
    await setBackend('wasm');
    const none = tensor(new Float32Array(0), { shape: [2, 0, 4] });
    expect(Array.from(fusedAttention(tensor(floats(8), { shape: [2, 1, 4] }), none, none).dataSync())).toEqual(new Array(8).fill(0));
    expect(fusedAttention(tensor(new Float32Array(0), { shape: [2, 0, 4] }), tensor(floats(8), { shape: [2, 1, 4] }), tensor(floats(6), { shape: [2, 1, 3] })).shape).toEqual([2, 0, 3]);
  });

  it('gives bit-identical results on 2 threads, equal to cpu, and frees its scratch', async () => {
    await setBackend('wasm');
    const wb = backendInstance('wasm') as WasmBackend;
    const shapes = [[4, 2, 70, 32], [4, 2, 90, 32], [4, 2, 90, 24], [4, 1, 1, 90]];
    const [q, k, v, m] = shapes.map((s, i) => tensor(floats(s.reduce((a, b) => a * b, 1), 30 + i), { shape: s })) as [Tensor, Tensor, Tensor, Tensor];
    const inUse = wb.heap.inUse;
    const one = fusedAttention(q, k, v, { mask: m, causal: true });
    const afterOne = wb.heap.inUse;
    await setThreads(2);
    try {
      const two = fusedAttention(q, k, v, { mask: m, causal: true });
      expect(Array.from(two.dataSync())).toEqual(Array.from(one.dataSync()));
      two.dispose();
    } finally {
      await setThreads(1);
    }
    expect(wb.heap.inUse).toBe(afterOne);
    one.dispose();
    expect(wb.heap.inUse).toBe(inUse);
    await expectSameAsCpu(shapes, (a, b, c, d) => fusedAttention(a, b, c, { mask: d, causal: true }), tol);
  });
});
