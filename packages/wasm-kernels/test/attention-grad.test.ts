// FusedAttentionGrad on wasm (the backward of fusedAttention): dq, dk, dv against the cpu kernel
// (itself checked against the composed ops and finite differences in tensor-core), against finite
// differences here, for sizes around the 4-row blocks and 8-key panels, L ≠ S, E ≠ Ev, every mask,
// causal, rows with no visible key, more heads than threads (bit-identical on 1 and 2 threads) and
// fewer (rows split, per-thread sums), and no [N, L, S] block on the heap.
import { describe, expect, it } from 'vitest';
import { backendInstance, cat, fusedAttention, grad, setBackend, tensor, tidy } from '@qkv/tensor-core';
import type { Tensor } from '@qkv/tensor-core';
import { expectClose, gradCheck } from '@qkv/tensor-core/testing';
import type { WasmBackend } from '../src/backend.js';
import '../src/index.js';
import { nativeKernels } from '../src/register.js';
import { setThreads } from '../src/threads.js';
import { expectSameAsCpu, floats } from './helpers.js';

const tol = { atol: 5e-5, rtol: 2e-4 };

/** dq, dk, dv (flattened, one after another) of Σ fusedAttention(q, k, v, options) ⊙ w. */
function grads(options: { causal?: boolean; scale?: number; maskOf?: (m: Tensor) => Tensor }): (...xs: Tensor[]) => Tensor {
  return (q, k, v, w, m) => {
    const mask = m && options.maskOf ? options.maskOf(m) : null;
    const f = (a: Tensor, b: Tensor, c: Tensor) => fusedAttention(a, b, c, { causal: options.causal ?? false, scale: options.scale ?? null, mask }).mul(w).sum();
    const gs = grad(f)(q, k, v);
    const flat = cat(gs.map((g) => g.reshape([-1])), 0);
    for (const g of gs) g.dispose(); // grad's results outlive tidy scopes
    return flat;
  };
}

/** ×8 so the mask moves the softmax a lot; −∞ where the values are lowest. */
const sharp = (m: Tensor): Tensor => m.mul(8).maskedFill(m.lt(-0.8), -Infinity);

describe('FusedAttentionGrad on wasm', () => {
  it('is a native kernel', () => {
    expect(nativeKernels.FusedAttentionGrad).toBeTypeOf('function');
  });

  // [batch, L, S, E, Ev]
  const sizes: [number[], number, number, number, number][] = [
    [[1], 1, 1, 1, 1], [[2], 3, 5, 7, 3], [[3], 17, 63, 65, 17], [[2, 2], 65, 17, 8, 9], [[1], 33, 130, 64, 40], [[], 4, 8, 16, 8], [[5], 6, 9, 12, 12],
  ];
  for (const [batch, L, S, E, Ev] of sizes) {
    it(`matches cpu for batch [${batch.join(',')}] L=${L} S=${S} E=${E} Ev=${Ev}, without and with causal`, async () => {
      const shapes = [[...batch, L, E], [...batch, S, E], [...batch, S, Ev], [...batch, L, Ev]];
      await expectSameAsCpu(shapes, grads({ scale: 0.5 }), tol);
      await expectSameAsCpu(shapes, grads({ causal: true }), tol);
    });
  }

  const masks: [string, number[]][] = [
    ['[L, S]', [13, 37]], ['[N, 1, S] (padding)', [3, 1, 37]], ['[N, L, S]', [3, 13, 37]], ['[L, 1] (per query)', [13, 1]], ['[S] (per key)', [37]],
  ];
  for (const [name, shape] of masks) {
    it(`adds a float mask ${name} as the cpu kernel does, with and without causal`, async () => {
      const shapes = [[3, 13, 20], [3, 37, 20], [3, 37, 11], [3, 13, 11], shape];
      await expectSameAsCpu(shapes, grads({ maskOf: sharp }), tol);
      await expectSameAsCpu(shapes, grads({ maskOf: sharp, causal: true }), tol);
    });
  }

  it('gives zero gradients through queries whose keys are all hidden', async () => {
    await setBackend('wasm');
    const hidden = tensor(Float32Array.from({ length: 6 * 9 }, (_, i) => (Math.floor(i / 9) % 2 === 0 ? -Infinity : 0)), { shape: [6, 9] });
    const [q, k, v, w] = [[2, 6, 4], [2, 9, 4], [2, 9, 5], [2, 6, 5]].map((s, i) => tensor(floats(s.reduce((a, b) => a * b, 1), 40 + i), { shape: s }));
    const [dq] = grad((a: Tensor) => fusedAttention(a, k!, v!, { mask: hidden }).mul(w!).sum())(q!);
    expect(dq!.backend).toBe('wasm');
    const values = dq!.dataSync();
    for (let row = 0; row < 12; row += 2) expect(Array.from(values.slice(row * 4, row * 4 + 4))).toEqual([0, 0, 0, 0]);
    const shapes = [[2, 6, 4], [2, 9, 4], [2, 9, 5], [2, 6, 5], [6, 9]];
    await expectSameAsCpu(shapes, grads({ maskOf: (m) => m.maskedFill(m.lt(0), -Infinity) }), tol);
  });

  it('has the gradients of finite differences', async () => {
    await setBackend('wasm');
    const [q, k, v, m] = [[2, 5, 6], [2, 7, 6], [2, 7, 3], [5, 7]].map((s, i) => tensor(floats(s.reduce((a, b) => a * b, 1), 50 + i), { shape: s }));
    const mask = sharp(m!);
    gradCheck((a, b, c) => fusedAttention(a, b, c, { mask, causal: true, scale: 0.8 }), [q!, k!, v!]);
    gradCheck((a, b, c) => fusedAttention(a, b, c), [q!, k!, v!]);
  });

  it('gives bit-identical results on 2 threads with more heads than threads, equal to cpu, and frees its scratch', async () => {
    await setBackend('wasm');
    const wb = backendInstance('wasm') as WasmBackend;
    const shapes = [[5, 2, 70, 32], [5, 2, 90, 32], [5, 2, 90, 24], [5, 2, 70, 24], [5, 1, 1, 90]];
    const xs = shapes.map((s, i) => tensor(floats(s.reduce((a, b) => a * b, 1), 30 + i), { shape: s }));
    const g = grads({ maskOf: sharp, causal: true });
    const f = (...ts: Tensor[]): Tensor => tidy(() => g(...ts)); // frees the graph's intermediates
    const inUse = wb.heap.inUse;
    const one = f(...xs);
    const afterOne = wb.heap.inUse;
    await setThreads(2);
    try {
      const two = f(...xs);
      expect(Array.from(two.dataSync())).toEqual(Array.from(one.dataSync()));
      two.dispose();
    } finally {
      await setThreads(1);
    }
    expect(wb.heap.inUse).toBe(afterOne);
    one.dispose();
    expect(wb.heap.inUse).toBe(inUse);
    await expectSameAsCpu(shapes, g, tol);
  });

  it('splits rows across 2 threads when there are fewer heads than threads, each thread with its own dK, dV sums', async () => {
    await setBackend('wasm');
    const wb = backendInstance('wasm') as WasmBackend;
    const shapes = [[1, 70, 32], [1, 90, 32], [1, 90, 24], [1, 70, 24], [70, 90]];
    const xs = shapes.map((s, i) => tensor(floats(s.reduce((a, b) => a * b, 1), 80 + i), { shape: s }));
    const g = grads({ maskOf: sharp, causal: true });
    const f = (...ts: Tensor[]): Tensor => tidy(() => g(...ts));
    const one = f(...xs);
    await setThreads(2);
    try {
      const split: string[] = [];
      const dispatch = wb.pool!.dispatch.bind(wb.pool!);
      wb.pool!.dispatch = (...args) => {
        split.push(args[0]);
        dispatch(...args);
      };
      const inUse = wb.heap.inUse;
      const [two, again] = [f(...xs), f(...xs)];
      expect(split).toContain('attentionGradRows');
      expect(Array.from(again.dataSync())).toEqual(Array.from(two.dataSync())); // the same sums in the same order
      expectClose(two, one, tol);
      [two, again].forEach((t) => t.dispose());
      expect(wb.heap.inUse).toBe(inUse);
      await expectSameAsCpu(shapes, g, tol);
    } finally {
      await setThreads(1);
    }
    one.dispose();
  });

  it('never holds an [N, L, S] block on the heap during the backward (it does without the kernel)', async () => {
    await setBackend('wasm');
    const wb = backendInstance('wasm') as WasmBackend;
    const [N, L, D] = [8, 512, 8]; // the weights would be N·L·L·4 = 8 MiB, q, k, v and w 128 KiB each
    const [q, k, v, w] = [0, 1, 2, 3].map((i) => tensor(floats(N * L * D, 70 + i), { shape: [N, L, D] }));
    const peakOf = (run: () => void): number => {
      const alloc = wb.heap.alloc.bind(wb.heap);
      const base = wb.heap.inUse;
      let peak = base;
      wb.heap.alloc = (bytes: number): number => {
        const ptr = alloc(bytes);
        peak = Math.max(peak, wb.heap.inUse);
        return ptr;
      };
      try {
        run();
      } finally {
        wb.heap.alloc = alloc;
      }
      return peak - base;
    };
    const weights = N * L * L * 4;
    const fused = peakOf(() => grads({ causal: true })(q!, k!, v!, w!).dispose());
    expect(fused).toBeLessThan(weights / 4); // the packed k, v, the three gradients and their copies: O(N·L·D)
    // the same backward with a mask that needs its own gradient composes the ops, [N, L, L] included
    const mask = tensor(new Float32Array(L * L), { shape: [L, L] });
    const composed = peakOf(() => {
      const [, , , dm] = grad((a: Tensor, b: Tensor, c: Tensor, m: Tensor) => fusedAttention(a, b, c, { mask: m }).mul(w!).sum())(q!, k!, v!, mask);
      dm!.dispose();
    });
    expect(composed).toBeGreaterThan(weights);
  });
});
