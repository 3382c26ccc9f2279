// Bad input: every op names itself, the expectation and what it got; nothing returns garbage.
import { describe, expect, it } from 'vitest';
import * as tc from '../src/index.js';
import { BackendError, DTypeError, IndexError, ShapeError, ValueError, ones, randn, tensor, zeros } from '../src/index.js';

const ints = (v: number[]) => tensor(v, { dtype: 'int32' });

describe('shape errors', () => {
  const cases: [string, () => unknown, RegExp][] = [
    ['matmul inner dims', () => tc.matmul(randn([2, 3]), randn([4, 5])), /^matmul: inner dimensions must match, got \[2,3\] and \[4,5\]/],
    ['matmul of a scalar', () => tc.matmul(randn([]), randn([3])), /^matmul: both arguments need at least 1 dimension/],
    ['matmul batch dims', () => tc.matmul(randn([2, 3, 4]), randn([3, 4, 5])), /^matmul: shapes \[2\] and \[3\] cannot be broadcast/],
    ['add broadcast', () => randn([2, 3]).add(randn([4])), /^add: shapes \[2,3\] and \[4\] cannot be broadcast \(dim -1: 3 vs 4\)/],
    ['reshape size', () => randn([2, 3]).reshape(4, 2), /^reshape: shape \[4,2\] is invalid for input of size 6/],
    ['reshape two -1', () => randn([2, 3]).reshape(-1, -1), /^reshape: only one dimension can be -1/],
    ['cat mismatch', () => tc.cat([randn([2, 3]), randn([3, 3])], 1), /^cat: tensors\[1\] has shape \[3,3\], expected \[2,-1\]/],
    ['stack mismatch', () => tc.stack([randn([2]), randn([3])]), /^stack: tensors\[1\] has shape \[3\], expected \[2\]/],
    ['expand', () => randn([2, 3]).expand(4, 3), /^expand: cannot expand \[2,3\] to \[4,3\]/],
    ['split sections', () => randn([5]).split([2, 2]), /^split: sections \[2,2\] sum to 4, expected dim 0 size 5/],
    ['layerNorm trailing dims', () => tc.layerNorm(randn([2, 3]), [4]), /^layerNorm: input's trailing dims must be normalizedShape \[4\], got input \[2,3\]/],
    ['layerNorm weight', () => tc.layerNorm(randn([2, 3]), [3], randn([4])), /^layerNorm: weight must have shape \[3\], got \[4\]/],
    ['gather rank', () => randn([2, 3]).gather(1, ints([0])), /^gather: index must have the input's rank 2/],
    ['embedding weight rank', () => tc.embedding(ints([0]), randn([3])), /^embedding: weight must be \[numEmbeddings, embeddingDim\]/],
    ['tensor ragged', () => tensor([[1, 2], [3]]), /^tensor: nested arrays are ragged/],
    ['tensor shape/values', () => tensor([1, 2, 3], { shape: [2, 2] }), /^tensor: shape \[2,2\] needs 4 values, got 3/],
    ['backward non-scalar', () => randn([3], { requiresGrad: true }).mul(2).backward(), /^backward: grad can be implicitly created only for scalar outputs/],
    ['item of many', () => randn([2]).item(), /^item: only one-element tensors/],
    ['max of empty dim', () => zeros([0, 3]).max(0), /^max: cannot reduce over a zero-size dimension/],
    ['tril of a vector', () => randn([3]).tril(), /^tril: input must have at least 2 dims/],
    ['maskedFill that would grow the input', () => randn([3]).maskedFill(tensor([[true], [false]]), 0), /^maskedFill: mask of shape \[2,1\] must broadcast to the input's shape \[3\]/],
  ];
  for (const [name, fn, message] of cases) {
    it(name, () => {
      expect(fn).toThrow(ShapeError);
      expect(fn).toThrow(message);
    });
  }
});

describe('dtype errors', () => {
  const cases: [string, () => unknown, RegExp][] = [
    ['matmul of ints', () => tc.matmul(ints([1, 2]), ints([1, 2])), /^matmul: expected float32 operands, got int32 and int32/],
    ['embedding ids', () => tc.embedding(tensor([0]), randn([3, 2])), /^embedding: ids must be int32, got float32/],
    ['gather index', () => randn([2, 3]).gather(1, tensor([[0]])), /^gather: index must be int32, got float32/],
    ['where condition', () => tc.where(ones([2]), 1, 0), /^where: condition must be bool, got float32/],
    ['maskedFill mask', () => randn([2]).maskedFill(ones([2]), 0), /^maskedFill: mask must be bool, got float32/],
    ['requiresGrad on ints', () => ints([1]).requiresGrad_(), /^requiresGrad_: only float32 tensors can require gradients, got int32/],
    ['neg of bool', () => tensor([true]).neg(), /^neg: negation is not defined for bool tensors/],
  ];
  for (const [name, fn, message] of cases) {
    it(name, () => {
      expect(fn).toThrow(DTypeError);
      expect(fn).toThrow(message);
    });
  }
});

describe('index and range errors', () => {
  const cases: [string, () => unknown, RegExp][] = [
    ['dim out of range', () => randn([2, 3]).sum(2), /^sum: dim must be in \[-2, 1\] for a 2-d tensor, got 2/],
    ['softmax dim', () => randn([2, 3]).softmax(-3), /^softmax: dim must be in \[-2, 1\]/],
    ['transpose dim', () => randn([2, 3]).transpose(0, 5), /^transpose: dim must be in \[-2, 1\]/],
    ['gather index value', () => randn([2, 3]).gather(1, ints([0, 3]).reshape(1, 2)), /^gather: index 3 is out of range for dim 1 of size 3/],
    ['embedding id', () => tc.embedding(ints([5]), randn([3, 2])), /^embedding: index 5 is out of range for dim 0 of size 3/],
    ['negative index', () => randn([4]).indexSelect(0, ints([-1])), /^indexSelect: index -1 is out of range/],
    ['narrow', () => randn([5]).narrow(0, 3, 3), /^narrow: start 3 \+ length 3 exceeds dimension 0 of size 5/],
    ['select', () => randn([5]).select(0, 5), /^select: index 5 is out of range for dim 0 of size 5/],
    ['oneHot', () => tc.oneHot(ints([3]), 3), /^oneHot: index 3 is out of range/],
    ['permute repeat', () => randn([2, 3]).permute(0, 0), /^permute: dims must be a permutation/],
  ];
  for (const [name, fn, message] of cases) {
    it(name, () => {
      expect(fn).toThrow(IndexError);
      expect(fn).toThrow(message);
    });
  }
});

describe('value errors', () => {
  it('rejects invalid arguments by name', () => {
    expect(() => tc.dropout(randn([2]), 1.5)).toThrow(/^dropout: probability must be in \[0, 1\], got 1.5/);
    expect(() => tc.arange(0, 5, 0)).toThrow(ValueError);
    expect(() => tc.randint(3, 3, [2])).toThrow(/^randint: need integers low < high/);
    expect(() => tc.clamp(randn([2]), 2, 1)).toThrow(/^clamp: min must be ≤ max/);
    expect(() => randn([2]).gelu('fast' as 'tanh')).toThrow(/^gelu: approximate must be 'none' or 'tanh'/);
    expect(() => tc.matmul([1, 2] as unknown as tc.Tensor, randn([2]))).toThrow(/^matmul: a must be a Tensor, got object/);
  });

  it('a disposed tensor cannot be used', () => {
    const x = randn([2]);
    x.dispose();
    expect(() => x.add(1)).toThrow(BackendError);
    expect(() => x.add(1)).toThrow(/^Add: tensor #\d+ \[2\] was disposed/);
  });

  it('an unknown backend is named with the registered ones', async () => {
    await expect(tc.setBackend('nope')).rejects.toThrow(/^setBackend: unknown backend 'nope', registered: cpu/);
  });
});

describe('dims: shapes destructured through a rank check', () => {
  it('returns the shape as a tuple when the rank matches', () => {
    const [B, T, C] = tc.dims(randn([2, 5, 4]), 3, 'Block.forward', 'B, T, C');
    expect([B, T, C]).toEqual([2, 5, 4]);
  });
  it('names the caller, the expected rank with its legend, and the shape it got', () => {
    expect(() => tc.dims(randn([2, 5]), 3, 'Block.forward', 'B, T, C')).toThrow(ShapeError);
    expect(() => tc.dims(randn([2, 5]), 3, 'Block.forward', 'B, T, C')).toThrow(/^Block\.forward: expected a 3-d tensor \[B, T, C\], got \[2,5\]$/);
    expect(() => tc.dims({ shape: [1, 2, 3, 4] }, 2, 'f')).toThrow(/^f: expected a 2-d tensor, got \[1,2,3,4\]$/);
  });
});
