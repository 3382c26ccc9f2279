// The mask module: the causal mask against hand-written tables, both polarities of a bool mask,
// float masks passed through, and the checks' messages.
import { describe, expect, it } from 'vitest';
import { assertMaskBroadcasts, assertMaskDType, causalKeep, DTypeError, ShapeError, tensor, toAdditiveMask, ValueError, zeros } from '../src/index.js';

describe('causalKeep', () => {
  it('lets query i see keys 0..i (top-left aligned, as PyTorch is_causal)', () => {
    expect(causalKeep(3, 3).keep.toArray()).toEqual([[true, false, false], [true, true, false], [true, true, true]]);
    expect(causalKeep(2, 4).keep.toArray()).toEqual([[true, false, false, false], [true, true, false, false]]);
  });

  it('with an offset of t cached positions, query i sits at position t + i', () => {
    const { keep } = causalKeep(2, 5, 3); // queries at positions 3 and 4 over keys 0..4
    expect(keep.dtype).toBe('bool');
    expect(keep.toArray()).toEqual([[true, true, true, true, false], [true, true, true, true, true]]);
  });

  it('rejects sizes that are not non-negative integers, naming itself', () => {
    expect(() => causalKeep(2.5, 3)).toThrow(ValueError);
    expect(() => causalKeep(2, 3, -1)).toThrow('causalKeep: offset must be a non-negative integer, got -1');
  });
});

describe('toAdditiveMask', () => {
  const bools = tensor([[true, false], [false, true]]);

  it('reads { keep } as true = attend: 0 where kept, −∞ elsewhere', () => {
    expect(toAdditiveMask({ keep: bools }).toArray()).toEqual([[0, -Infinity], [-Infinity, 0]]);
  });

  it('reads { masked } as true = hidden: −∞ where masked, 0 elsewhere', () => {
    expect(toAdditiveMask({ masked: bools }).toArray()).toEqual([[-Infinity, 0], [0, -Infinity]]);
  });

  it('returns a float mask as it is, whichever polarity it is wrapped in', () => {
    const f = tensor([0, -1e9, 2]);
    expect(toAdditiveMask({ keep: f })).toBe(f);
    expect(toAdditiveMask({ masked: f })).toBe(f);
  });

  it('turns the causal mask into generate_square_subsequent_mask', () => {
    expect(toAdditiveMask(causalKeep(3, 3)).toArray()).toEqual([[0, -Infinity, -Infinity], [0, 0, -Infinity], [0, 0, 0]]);
  });
});

describe('mask checks', () => {
  it('names the op, the mask, the dtypes it accepts with their meaning, and what it got', () => {
    const ints = zeros([2, 2], { dtype: 'int32' });
    expect(() => assertMaskDType('F.op', 'attnMask', ints, { bool: 'true = masked out', float32: 'added to the scores' })).toThrow(
      new DTypeError('F.op: attnMask must be bool (true = masked out) or float32 (added to the scores), got int32'),
    );
    expect(() => assertMaskDType('F.op', 'mask', tensor([true]), { float32: '' }, 'turn it into 0/−∞ first')).toThrow('F.op: mask must be float32, got bool; turn it into 0/−∞ first');
    expect(() => assertMaskDType('F.op', 'mask', tensor([1]), { bool: '', float32: '' })).not.toThrow();
  });

  it('accepts a mask that broadcasts to the target and rejects one that would grow it', () => {
    expect(() => assertMaskBroadcasts('F.op', 'mask', zeros([1, 5]), [2, 3, 5], 'the scores')).not.toThrow();
    expect(() => assertMaskBroadcasts('F.op', 'mask', zeros([4, 3, 5]), [2, 3, 5], 'the scores')).toThrow(new ShapeError('F.op: mask must broadcast to the scores = [2,3,5], got [4,3,5]'));
    expect(() => assertMaskBroadcasts('F.op', 'mask', zeros([1, 2, 3, 5]), [2, 3, 5], 'the scores')).toThrow(ShapeError);
  });
});
