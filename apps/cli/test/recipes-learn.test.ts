// Every recipe learns: a few optimizer steps of the real training loop on a tiny slice of the real
// data lower the loss on a fixed training batch, and the running loss falls too.
import { beforeAll, describe, expect, it } from 'vitest';
import { train } from '../src/train/loop.js';
import { lossOn, mean, tempDir, tinySession, useFastBackend } from './helpers.js';

beforeAll(useFastBackend);

/** Tiny models and slices: each case runs in a few seconds on two cores. */
const cases: { name: string; steps: number; lr: number; batchSize: number; limit: number; set: Record<string, string> }[] = [
  { name: 'date-normalization', steps: 30, lr: 3e-3, batchSize: 16, limit: 48, set: { examples: '200', dModel: '32', layers: '1', ff: '64', dropout: '0', warmup: '5' } },
  { name: 'g2p-transformer', steps: 30, lr: 3e-3, batchSize: 16, limit: 48, set: { dModel: '32', layers: '1', ff: '64', dropout: '0', warmup: '5' } },
  { name: 'g2p-gru', steps: 30, lr: 1e-2, batchSize: 16, limit: 48, set: { embed: '16', hidden: '32', dropout: '0', warmup: '5' } },
  { name: 'vit-mnist', steps: 30, lr: 3e-3, batchSize: 16, limit: 48, set: { dModel: '16', depth: '1', mlp: '32', dropout: '0', shift: '0', warmup: '5' } },
  { name: 'spam-classifier', steps: 40, lr: 1e-2, batchSize: 16, limit: 32, set: { vocab: '300', maxTokens: '32', dModel: '16', layers: '1', ff: '32', dropout: '0', warmup: '5' } },
  { name: 'char-gpt', steps: 30, lr: 1e-2, batchSize: 8, limit: 24, set: { blockSize: '32', nEmbd: '32', nLayer: '1', nHead: '2', warmup: '5' } },
];

describe('each recipe, trained a few steps on a tiny slice', () => {
  for (const c of cases) {
    it(`${c.name}: lowers the loss of a fixed training batch and the running loss`, async () => {
      const { session, run } = await tinySession(c.name, { seed: 0, epochs: 100, batchSize: c.batchSize, lr: c.lr, maxSteps: c.steps, limit: c.limit, evalLimit: 4, set: c.set });
      const fixed = session.batch(0, 0);
      const before = lossOn(session, fixed);
      const result = await train(session, run, { out: tempDir(c.name), checkpointEvery: 1000, evalEvery: 0, quiet: true, log: () => {} });
      const after = lossOn(session, fixed);
      expect(result.losses).toHaveLength(c.steps);
      expect(result.losses.every(Number.isFinite)).toBe(true);
      expect(after).toBeLessThan(0.8 * before);
      expect(mean(result.losses.slice(-5))).toBeLessThan(mean(result.losses.slice(0, 5)));
    });
  }
});
