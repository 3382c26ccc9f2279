import { describe, expect, it } from 'vitest';
import { formatCounts } from '@qkv/fuzz-harness';
import { runFuzz } from './fuzz/readers.js';

describe('fuzzing the readers with mutated files (small size; `pnpm fuzz` runs 10,000 per reader)', () => {
  it('gives every mutant of a safetensors file and a checkpoint either a result or a SafetensorsError, never a crash or a hang', () => {
    const counts = runFuzz(300, 42, 5000);
    for (const c of counts) {
      expect(c.crashes, `${formatCounts(c)}\n${c.examples.join('\n')}`).toBe(0);
      expect(c.hangs, formatCounts(c)).toBe(0);
      expect(c.cases).toBe(300);
      // the mutants must exercise both paths: some files stay valid, most are refused
      expect(c.rejected).toBeGreaterThan(100);
    }
  });
});
