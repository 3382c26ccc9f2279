// Heap addresses run up to 4 GiB (the memory's maximum), past int32: JavaScript that handles a
// pointer must treat it as unsigned. A training step at L = 512 grew the heap past 2 GiB and
// FusedAttention then wrote its parameter block at a negative index (`ptr >> 2`).
import { describe, expect, it } from 'vitest';
import { backendInstance, batchMatMul, fusedAttention, setBackend, tensor } from '@qkv/tensor-core';
import type { Tensor } from '@qkv/tensor-core';
import { expectClose } from '@qkv/tensor-core/testing';
import type { WasmBackend } from '../src/backend.js';
import '../src/index.js';
import { floats } from './helpers.js';

const tol = { atol: 1e-5, rtol: 1e-4 };

describe('wasm kernels with blocks past 2 GiB of heap', () => {
  it('FusedAttention with a mask, and BatchMatMul with packed and in-place A, match cpu', async () => {
    const shapes = [[2, 3, 9, 16], [2, 3, 13, 16], [2, 3, 13, 8], [2, 1, 1, 13]];
    const values = shapes.map((s, i) => floats(s.reduce((a, b) => a * b, 1), 50 + i));
    const run = (q: Tensor, k: Tensor, v: Tensor, m: Tensor) => [
      fusedAttention(q, k, v, { mask: m }),
      batchMatMul(q.reshape([6, 9, 16]), k.reshape([6, 13, 16]), false, true), // 13 columns: A packed
      batchMatMul(batchMatMul(q.reshape([6, 9, 16]), k.reshape([6, 13, 16]), false, true), v.reshape([6, 13, 8])), // 8 columns: A read in place
    ];
    await setBackend('cpu');
    const want = run(...(values.map((v, i) => tensor(v, { shape: shapes[i]! })) as [Tensor, Tensor, Tensor, Tensor])).map((t) => t.dataSync());
    await setBackend('wasm');
    const wb = backendInstance('wasm') as WasmBackend;
    const inputs = values.map((v, i) => tensor(v, { shape: shapes[i]! })) as [Tensor, Tensor, Tensor, Tensor];
    const filler = wb.heap.alloc(2 ** 31); // every block allocated after this one lies above 2 GiB
    try {
      const probe = wb.heap.alloc(4096);
      expect(probe).toBeGreaterThanOrEqual(2 ** 31); // the premise: new blocks really are past int32
      wb.heap.free(probe, 4096);
      const got = run(...inputs);
      for (const [i, t] of got.entries()) expectClose(t.dataSync(), want[i]!, tol);
      got.forEach((t) => t.dispose());
    } finally {
      wb.heap.free(filler, 2 ** 31);
    }
  });
});
