// fusedAttention: the same numbers as the composed ops (scores, mask, softmax, weighted sum), the
// same gradients as finite differences, and op-named errors.
import { describe, expect, it } from 'vitest';
import { arange, cat, DTypeError, full, fusedAttention, grad, randn, ShapeError, tensor, ValueError, where, zeros } from '../src/index.js';
import type { Tensor } from '../src/index.js';
import { expectClose, gradCheck } from '../src/testing/index.js';

/** The unfused reference: softmax(q·kᵀ·scale + mask)·v with a causal mask by `where`. */
function composed(q: Tensor, k: Tensor, v: Tensor, mask: Tensor | null, causal: boolean, scale: number): Tensor {
  const [L, S] = [q.shape[q.ndim - 2]!, k.shape[k.ndim - 2]!];
  let z = q.matmul(k.transpose(-2, -1)).mul(scale);
  if (mask) z = z.add(mask);
  if (causal) z = where(arange(S).unsqueeze(0).le(arange(L).unsqueeze(1)), z, -Infinity);
  return z.softmax(-1).matmul(v);
}

describe('fusedAttention', () => {
  const cases: [string, number[], number, number, number[] | null, boolean][] = [
    ['no mask', [2, 3], 5, 7, null, false],
    ['a [L, S] mask', [2], 6, 9, [6, 9], false],
    ['a padding mask [N, 1, 1, S]', [2, 3], 4, 5, [2, 1, 1, 5], false],
    ['causal', [3], 7, 7, null, true],
    ['causal with more keys than queries and a mask', [], 3, 6, [3, 6], true],
  ];
  for (const [name, batch, L, S, maskShape, causal] of cases) {
    it(`equals the composed ops: ${name}`, () => {
      const [q, k, v] = [randn([...batch, L, 8]), randn([...batch, S, 8]), randn([...batch, S, 3])];
      const mask = maskShape ? randn(maskShape) : null;
      expectClose(fusedAttention(q, k, v, { mask, causal, scale: 0.4 }), composed(q, k, v, mask, causal, 0.4), { atol: 1e-6, rtol: 1e-5 });
    });
  }

  for (const [name, batch, L, S, maskShape, causal] of [...cases, ['every key of one row hidden', [2], 3, 5, [3, 5], false] as const]) {
    it(`has the composed ops' gradients (the FusedAttentionGrad kernel): ${name}`, () => {
      const [q, k, v, dy] = [randn([...batch, L, 8]), randn([...batch, S, 8]), randn([...batch, S, 3]), randn([...batch, L, 3])];
      // the last case hides every key of query 0
      const mask = name.startsWith('every') ? cat([full([1, S], -Infinity), randn([L - 1, S])], 0) : maskShape ? randn(maskShape) : null;
      const loss = (f: typeof composed) => (a: Tensor, b: Tensor, c: Tensor) => f(a, b, c, mask, causal, 0.4).mul(dy).sum();
      const fused = grad(loss((a, b, c, m, cs, sc) => fusedAttention(a, b, c, { mask: m, causal: cs, scale: sc })))(q, k, v);
      const reference = grad(loss(composed))(q, k, v);
      fused.forEach((g, i) => expectClose(g, reference[i]!, { atol: 1e-5, rtol: 1e-4 }));
    });
  }

  it('scales by 1/√E by default', () => {
    const [q, k, v] = [randn([2, 3, 16]), randn([2, 4, 16]), randn([2, 4, 5])];
    expectClose(fusedAttention(q, k, v), composed(q, k, v, null, false, 0.25), { atol: 1e-6, rtol: 1e-5 });
  });

  it('gives a zero row to a query whose keys are all hidden, and zero gradients through it', () => {
    const mask = cat([full([1, 4], -Infinity), zeros([2, 4])], 0); // query 0 sees nothing
    const q = randn([3, 2], { requiresGrad: true });
    const y = fusedAttention(q, randn([4, 2]), randn([4, 3]), { mask });
    expect(Array.from(y.dataSync().slice(0, 3))).toEqual([0, 0, 0]);
    y.sum().backward();
    expect(Array.from(q.grad!.dataSync().slice(0, 2))).toEqual([0, 0]);
  });

  it('has gradients for q, k, v and a float mask (finite differences)', () => {
    gradCheck((q, k, v, m) => fusedAttention(q, k, v, { mask: m }), [randn([2, 3, 4]), randn([2, 5, 4]), randn([2, 5, 3]), randn([3, 5])]);
    gradCheck((q, k, v) => fusedAttention(q, k, v, { causal: true, scale: 0.7 }), [randn([2, 5, 3]), randn([2, 4, 3]), randn([2, 4, 2])]);
    const keep = tensor([[true, false, true, true], [false, false, false, false]]);
    gradCheck((q, k, v) => fusedAttention(q, k, v, { mask: where(keep, 0, -Infinity) }), [randn([2, 3]), randn([4, 3]), randn([4, 2])]);
  });

  it('has finite-difference gradients through the FusedAttentionGrad kernel (constant masks, L ≠ S, E ≠ Ev)', () => {
    const padding = cat([zeros([1, 1, 1, 6]), cat([zeros([1, 1, 1, 4]), full([1, 1, 1, 2], -Infinity)], 3)], 0); // [2, 1, 1, 6]: batch 1 pads 2 keys
    gradCheck((q, k, v) => fusedAttention(q, k, v, { mask: padding.add(0), scale: 0.6 }), [randn([2, 3, 5, 4]), randn([2, 3, 6, 4]), randn([2, 3, 6, 3])]);
    gradCheck((q, k, v) => fusedAttention(q, k, v, { mask: randn([5, 1]), causal: true }), [randn([3, 5, 2]), randn([3, 7, 2]), randn([3, 7, 6])]);
  });

  it('names itself and the expected shapes in its errors', () => {
    const [q, k, v] = [randn([2, 3, 4]), randn([2, 5, 4]), randn([2, 5, 3])];
    expect(() => fusedAttention(q, randn([2, 5, 6]), v)).toThrow(ShapeError);
    expect(() => fusedAttention(q, randn([2, 5, 6]), v)).toThrow(/^fusedAttention: k must be \[\.\.\., S, E\] with q's batch dims and E = 4, got k \[2,5,6\]/);
    expect(() => fusedAttention(q, k, randn([2, 4, 3]))).toThrow(/^fusedAttention: v must be \[\.\.\., S, Ev\] .* S = 5, got v \[2,4,3\]/);
    expect(() => fusedAttention(q, randn([1, 5, 4]), randn([1, 5, 3]))).toThrow(ShapeError);
    expect(() => fusedAttention(q, k, v, { mask: randn([3, 6]) })).toThrow(/^fusedAttention: mask must broadcast to the scores \[\.\.\., L, S\] = \[2,3,5\], got \[3,6\]/);
    expect(() => fusedAttention(q, k, v, { mask: tensor([[true]]) })).toThrow(DTypeError);
    expect(() => fusedAttention(q, k, v, { scale: NaN })).toThrow(ValueError);
  });
});
