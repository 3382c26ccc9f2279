// The stride helpers backend packages share: hand-computed offsets of broadcast batch entries.
import { describe, expect, it } from 'vitest';
import { batchOffsets, broadcastStrides } from '../src/index.js';

describe('batchOffsets', () => {
  it('lists where each flattened batch entry starts, repeating along broadcast (stride 0) dims', () => {
    expect(batchOffsets([2, 3], [0, 5])).toEqual([0, 5, 10, 0, 5, 10]);
    // a [2, 1, 4, 4] mask broadcast over [2, 3] batches of [4, 4] scores: strides 16 and 0
    expect(batchOffsets([2, 3], broadcastStrides([2, 1, 4, 4], [2, 3, 4, 4]))).toEqual([0, 0, 0, 16, 16, 16]);
    expect(batchOffsets([], [])).toEqual([0]);
  });
});
