import { describe, expect, it } from 'vitest';
import { tensor, matmul, softmax, memory, tidy, randn } from '../src/index.js';

describe('smoke', () => {
  it('works', () => {
    const a = tensor([[1, 2], [3, 4]]);
    const b = tensor([[5, 6], [7, 8]]);
    expect(matmul(a, b).toArray()).toEqual([[19, 22], [43, 50]]);
    const x = tensor([1, 2, 3], { requiresGrad: true });
    const y = x.mul(x).sum();
    y.backward();
    expect(x.grad!.toArray()).toEqual([2, 4, 6]);
    console.log(softmax(tensor([1, 2, 3]), 0).toArray());
    const before = memory().numTensors;
    tidy(() => { const w = randn([4, 4]); return void w.matmul(w).sum(); });
    expect(memory().numTensors).toBe(before);
  });
});
