import { describe, expect, it } from 'vitest';
import { formatCounts } from '@qkv/fuzz-harness';
import { checkNoPollution, runFuzz } from './fuzz/readers.js';

describe('fuzzing the Hub readers with mutated files (small size; `pnpm fuzz` runs 10,000 per reader)', () => {
  it('gives every mutant of config.json, the shard index, preprocessor_config.json, a safetensors file and a whole folder either a result or a PretrainedError naming the file, never a crash, a hang or a polluted prototype', async () => {
    const counts = await runFuzz(120, 42, 5000);
    expect(counts.map((c) => c.reader)).toEqual(['config.json (gpt2)', 'config.json (bert)', 'config.json (vit)', 'model.safetensors.index.json', 'preprocessor_config.json', 'safetensors (readHeader + readTensor)', 'fromPretrained (whole folder)']);
    for (const c of counts) {
      expect(c.crashes, `${formatCounts(c)}\n${c.examples.join('\n')}`).toBe(0);
      expect(c.hangs, formatCounts(c)).toBe(0);
      expect(c.cases).toBe(120);
      // the mutants must exercise both paths: some folders stay valid, many are refused
      expect(c.accepted, formatCounts(c)).toBeGreaterThan(10);
      expect(c.rejected, formatCounts(c)).toBeGreaterThan(40);
    }
  }, 120_000);

  it('the pollution check sees a property added to Object.prototype', () => {
    expect(() => checkNoPollution()).not.toThrow();
    Object.defineProperty(Object.prototype, 'polluted', { value: 1, configurable: true });
    try {
      expect(() => checkNoPollution()).toThrow(/prototype pollution: Object\.prototype/);
    } finally {
      delete (Object.prototype as Record<string, unknown>).polluted;
    }
    expect(() => checkNoPollution()).not.toThrow();
  });
});
