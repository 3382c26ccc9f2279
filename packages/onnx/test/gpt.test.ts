import { describe, expect, it } from 'vitest';
import { GPT } from '@qkv/transformer';
import { manualSeed, noGrad } from '@qkv/tensor-core';
import { exportOnnx } from '../src/index.js';
import { ids, maxDiff, ortIds, session } from './helpers.js';

describe('GPT → ONNX', () => {
  manualSeed(1);
  const gpt = new GPT({ vocabSize: 40, blockSize: 32, nLayer: 2, nHead: 4, nEmbd: 32 }).eval();
  it('gives qkv\'s logits within 1e-4 on lengths other than the example\'s', async () => {
    const s = await session(exportOnnx(gpt, [ids([[1, 2, 3]])]));
    for (const rows of [[[1, 2, 3]], [[5, 6, 7, 8, 9, 10, 11]], [[3, 1], [4, 1]]]) {
      const out = await s.run({ input_ids: ortIds(rows) });
      expect(maxDiff(out.logits!, noGrad(() => gpt.forward(ids(rows))))).toBeLessThan(1e-4);
    }
  });
});
