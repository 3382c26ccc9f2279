// The testing entry's own checks: expectClose must fail on a real difference and cope with big arrays.
import { describe, expect, it } from 'vitest';
import { expectClose } from '../src/testing/index.js';

describe('expectClose', () => {
  it('compares typed arrays of millions of values (no argument spreading, which overflows the stack)', () => {
    const a = new Float32Array(1 << 21).fill(0.5);
    const b = a.slice();
    expect(() => expectClose(a, b)).not.toThrow();
    b[(1 << 21) - 1] = 0.6;
    expect(() => expectClose(a, b)).toThrow();
  });

  it('starts its failure message with the label when given one', () => {
    expect(() => expectClose([1, 2], [1, 2.5], {}, 'grad of bias')).toThrow(/^grad of bias: expectClose: 1 of 2 values differ/);
    expect(() => expectClose([1, 2], [1, 2, 3], {}, 'h_n')).toThrow('h_n: expectClose: got 2 values, expected 3');
    expect(() => expectClose([1, 2], [1, 2.5])).toThrow(/^expectClose: 1 of 2 values differ/);
  });
});
