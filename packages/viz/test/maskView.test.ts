import { describe, expect, it } from 'vitest';
import { maskStates, maskView, MASK_COLORS } from '../src/index.js';
import { cellsOf, parseSvg } from './helpers/svg.js';
import { findAll } from './helpers/xml.js';

/** generate_square_subsequent_mask(T): −∞ above the diagonal, 0 elsewhere (independent reference). */
function causal(T: number): { shape: number[]; data: number[] } {
  const data: number[] = [];
  for (let i = 0; i < T; i++) for (let j = 0; j < T; j++) data.push(j > i ? -Infinity : 0);
  return { shape: [T, T], data };
}

describe('maskView', () => {
  it('combines a causal float mask with key padding, cell by cell', () => {
    const { states } = maskStates(causal(3), { keyPaddingMask: [false, false, true] });
    expect(states).toEqual(['keep', 'masked', 'both', 'keep', 'keep', 'both', 'keep', 'keep', 'padding']);
  });

  it('draws one rect per cell coloured by its state', () => {
    const root = parseSvg(maskView(causal(4), { keyPaddingMask: [0, 0, 0, 1] }));
    const cells = cellsOf(root);
    expect(cells).toHaveLength(16);
    expect(cells[1]!.attrs['data-state']).toBe('masked');
    expect(cells[1]!.attrs.fill).toBe(MASK_COLORS.masked);
    expect(cells[3]!.attrs.fill).toBe(MASK_COLORS.both);
    expect(cells[15]!.attrs.fill).toBe(MASK_COLORS.padding);
    expect(cells[0]!.attrs.fill).toBe(MASK_COLORS.keep);
  });

  it('reads boolean masks in the convention it is told', () => {
    const keepTrue = { shape: [2, 2], data: [true, false, true, true] };
    expect(maskStates(keepTrue, { boolMeans: 'keep' }).states).toEqual(['keep', 'masked', 'keep', 'keep']);
    expect(maskStates(keepTrue, { boolMeans: 'masked' }).states).toEqual(['masked', 'keep', 'masked', 'masked']);
    const boolTensor = { shape: [1, 2], dtype: 'bool', dataSync: () => Uint8Array.from([1, 0]) };
    expect(maskStates(boolTensor, { boolMeans: 'masked' }).states).toEqual(['masked', 'keep']);
    expect(() => maskView(keepTrue)).toThrow("maskView: a boolean mask needs boolMeans: 'keep' (scaled_dot_product_attention) or 'masked' (MultiheadAttention), got neither");
  });

  it('shows finite non-zero floats as biases and treats ≤ −1e4 as masked', () => {
    const { states } = maskStates({ shape: [1, 4], data: [0, -1e9, 0.5, -2] }, {});
    expect(states).toEqual(['keep', 'masked', 'bias', 'bias']);
  });

  it('flags rows where every key is masked (they get zero weights, not NaN)', () => {
    const root = parseSvg(maskView(causal(3), { keyPaddingMask: [true, false, false] }));
    const flagged = findAll(root, (e) => e.attrs.class === 'qkv-all-masked').map((e) => e.attrs['data-row']);
    expect(flagged).toEqual(['0']);
  });

  it('rejects a padding mask of the wrong length', () => {
    expect(() => maskView(causal(3), { keyPaddingMask: [true] })).toThrow('maskView: keyPaddingMask must be [S] = [3], got [1]');
  });
});
