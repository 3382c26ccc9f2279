import { describe, expect, it } from 'vitest';
import { formatCounts } from '@qkv/fuzz-harness';
import { runFuzz } from './fuzz/readers.js';

describe('fuzzing the parsers with mutated files (small size; `pnpm fuzz` runs 10,000 per parser)', () => {
  it('gives every mutant either a result or a DatasetError, never a raw TypeError/RangeError or a hang', () => {
    for (const c of runFuzz(100, 42, 5000)) {
      expect(c.crashes, `${formatCounts(c)}\n${c.examples.join('\n')}`).toBe(0);
      expect(c.hangs, formatCounts(c)).toBe(0);
      expect(c.cases).toBe(100);
      expect(c.rejected, `${c.reader} must see refused files`).toBeGreaterThan(10);
    }
  });
});
