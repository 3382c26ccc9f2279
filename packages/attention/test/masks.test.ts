import { describe, expect, it } from 'vitest';
import { Generator, randn, tensor } from '@qkv/tensor-core';
import { expectClose } from '@qkv/tensor-core/testing';
import { additiveMask, causalKeep, causalMask, combineMasks, MultiheadAttention, paddingMask, scaledDotProductAttention, toAdditiveMask } from '../src/index.js';
import { mergeMasks } from '../src/multihead/masks.js';

const inf = -Infinity;

describe('causalMask', () => {
  it('is generate_square_subsequent_mask: float, −∞ above the diagonal, 0 on and below', () => {
    const m = causalMask(3);
    expect(m.dtype).toBe('float32');
    expect(m.toArray()).toEqual([[0, inf, inf], [0, 0, inf], [0, 0, 0]]);
  });
  it('rejects a size that is not a positive integer', () => {
    expect(() => causalMask(0)).toThrow('causalMask: size must be a positive integer, got 0');
  });
});

describe('paddingMask', () => {
  it('is true exactly at the pad id (key_padding_mask convention)', () => {
    expect(paddingMask(tensor([[5, 7, 0], [0, 0, 0]], { dtype: 'int32' }), 0).toArray()).toEqual([[false, false, true], [true, true, true]]);
  });
  it('rejects float ids', () => {
    expect(() => paddingMask(tensor([1, 0]), 0)).toThrow('paddingMask: ids must be int32, got float32');
  });
});

describe('combineMasks', () => {
  const pad = tensor([[false, false, true]]).unsqueeze(1); // [N=1, 1, S=3]
  it('ORs a causal mask and a padding mask into one float mask [N, T, S]', () => {
    expect(combineMasks(causalMask(3), pad).toArray()).toEqual([[[0, inf, inf], [0, 0, inf], [0, 0, inf]]]);
  });
  it('reads bools as "true = masked out" by default and as "true = keep" with boolMeans: keep', () => {
    const keep = tensor([[true, false]]);
    expect(combineMasks([keep, tensor([[0.5, 0]])], { boolMeans: 'keep' }).toArray()).toEqual([[0.5, inf]]);
    expect(combineMasks(keep, tensor([[0.5, 0]])).toArray()).toEqual([[inf, 0]]);
  });
  it('skips null and undefined entries', () => {
    expect(combineMasks(null, causalMask(2), undefined).toArray()).toEqual([[0, inf], [0, 0]]);
  });
  it('names shapes that do not broadcast and suggests the query axis', () => {
    expect(() => combineMasks(causalMask(3), tensor([[false, true], [true, false]]))).toThrow(
      /combineMasks: mask shapes \[3,3\], \[2,2\] do not broadcast together/,
    );
  });
  it('means the same to scaledDotProductAttention and MultiheadAttention (a float mask is convention-free)', () => {
    const g = new Generator(4);
    const x = randn([1, 3, 4], { generator: g });
    const mask = combineMasks(causalMask(3), pad);
    const mha = new MultiheadAttention(4, 1, { batchFirst: true, bias: false });
    const [, wMha] = mha.forward(x, x, x, { attnMask: mask.reshape([3, 3]) });
    const [, wPad] = mha.forward(x, x, x, { attnMask: causalMask(3), keyPaddingMask: tensor([[false, false, true]]) });
    expectClose(wMha!, wPad!);
    const { weights } = scaledDotProductAttention(x, x, x, { attnMask: mask, returnWeights: true });
    expect((weights.toArray() as number[][][])[0]!.map((r) => r.map((p) => p === 0))).toEqual([[false, true, true], [false, false, true], [false, false, true]]);
  });
});

describe("additiveMask (the course's `mask == 0 → -1e9`)", () => {
  it('puts −1e9 where the mask is 0 and 0 elsewhere, for any dtype', () => {
    expect(additiveMask(tensor([[1, 1, 0]], { dtype: 'int32' })).toArray()).toEqual([[0, 0, -1e9]]);
    expect(additiveMask(tensor([true, false]), -1e4).toArray()).toEqual([0, -1e4]);
  });
  it('equals scores.maskedFill(mask == 0, -1e9) inside attention', () => {
    const g = new Generator(9);
    const [q, k, v] = [randn([2, 4], { generator: g }), randn([3, 4], { generator: g }), randn([3, 2], { generator: g })];
    const srcMask = tensor([[1, 0, 1]], { dtype: 'int32' });
    const scores = q.matmul(k.t()).div(2).maskedFill(srcMask.eq(0), -1e9);
    const expected = scores.softmax(-1).matmul(v);
    expectClose(scaledDotProductAttention(q, k, v, { attnMask: additiveMask(srcMask) }).output, expected);
  });
  it('gives a fully masked row uniform weights (−1e9 is finite), unlike a −∞ or bool mask', () => {
    const q = randn([1, 2]);
    const { weights } = scaledDotProductAttention(q, randn([4, 2]), randn([4, 2]), { attnMask: additiveMask(tensor([[0, 0, 0, 0]])), returnWeights: true });
    expectClose(weights, [[0.25, 0.25, 0.25, 0.25]]);
  });
});

describe('the mask module re-exported from tensor-core', () => {
  it('names polarity in the type: { keep } for scaledDotProductAttention, { masked } for MultiheadAttention', () => {
    const keep = tensor([[true, false, true]]);
    const q = randn([1, 1, 4]);
    const [k, v] = [randn([1, 3, 4]), randn([1, 3, 2])];
    const viaSdpa = scaledDotProductAttention(q, k, v, { attnMask: keep, returnWeights: true }).weights;
    const viaAdditive = scaledDotProductAttention(q, k, v, { attnMask: toAdditiveMask({ keep }), returnWeights: true }).weights;
    expectClose(viaAdditive, viaSdpa);
    expect(toAdditiveMask({ masked: keep.logicalNot() }).toArray()).toEqual(toAdditiveMask({ keep }).toArray());
  });

  it('builds causalMask(T) from causalKeep(T, T)', () => {
    expect(toAdditiveMask(causalKeep(4, 4)).toArray()).toEqual(causalMask(4).toArray());
  });

  it('leaves isCausal alone to the attention core instead of building a mask in MultiheadAttention', () => {
    const base = { attnMask: null, keyPaddingMask: null, batched: true, N: 2, H: 2, L: 3, S: 3 };
    expect(mergeMasks({ ...base, isCausal: true, extraKeys: 0 })).toEqual({ mask: null, causal: true });
    const withExtra = mergeMasks({ ...base, isCausal: true, extraKeys: 1 }); // bias_k: the appended key stays visible
    expect(withExtra.causal).toBe(false);
    expect(withExtra.mask!.toArray()).toEqual([[[[0, -Infinity, -Infinity, 0], [0, 0, -Infinity, 0], [0, 0, 0, 0]]]]);
  });
});
