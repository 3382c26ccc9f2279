// `--resume` continues bit-identically: N steps straight and N/2 + checkpoint + N/2 resumed end
// with byte-equal parameters, with dropout on (so the restored RNG state matters) and a second
// epoch (so the restored position in the batch order matters).
import { join } from 'node:path';
import { describe, expect, it, beforeAll } from 'vitest';
import { save } from '@qkv/nn';
import { train } from '../src/train/loop.js';
import type { RunOptions } from '../src/recipes/types.js';
import { tempDir, tinySession, useFastBackend } from './helpers.js';

beforeAll(useFastBackend);

async function weightsAfter(name: string, options: Partial<RunOptions>, steps: number, resume?: { at: number }): Promise<Uint8Array> {
  const quiet = { checkpointEvery: 1000, evalEvery: 0, quiet: true, log: () => {} };
  let resumeFrom: string | undefined;
  if (resume) {
    // the same run, stopped after `at` steps (as Ctrl-C or --time-limit would)
    const first = await tinySession(name, { ...options, maxSteps: steps });
    const out = tempDir(`${name}-half`);
    await train(first.session, { ...first.run, maxSteps: resume.at }, { ...quiet, out });
    resumeFrom = join(out, 'checkpoint.safetensors');
  }
  // a fresh process would start here: new session, the seed set again, then the checkpoint
  const { session, run } = await tinySession(name, { ...options, maxSteps: steps });
  await train(session, run, { ...quiet, out: tempDir(name), resume: resumeFrom });
  return save(session.model.stateDict());
}

describe('train --resume', () => {
  it.each([
    ['date-normalization', { examples: '100', dModel: '16', layers: '1', ff: '32', dropout: '0.2', warmup: '3' }],
    ['vit-mnist', { dModel: '16', depth: '1', mlp: '32', dropout: '0.2', shift: '2', warmup: '3' }],
  ])('%s: 6 + 6 resumed steps give the bytes of 12 straight steps', async (name, set) => {
    const options = { seed: 3, epochs: 10, batchSize: 8, lr: 3e-3, limit: 40, evalLimit: 2, set };
    const straight = await weightsAfter(name, options, 12);
    const resumed = await weightsAfter(name, options, 12, { at: 6 });
    expect(Buffer.from(resumed).equals(Buffer.from(straight))).toBe(true);
    // and the comparison can fail: 11 steps differ from 12
    const shorter = await weightsAfter(name, options, 11);
    expect(Buffer.from(shorter).equals(Buffer.from(straight))).toBe(false);
  });
});
