// Training as a newcomer runs it: Ctrl-C (SIGINT) is seen at the very next step, the checkpoint is
// written and the command exits with 130; without a terminal, progress comes as plain lines; and the
// built command prints one-line errors and per-command help.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { train } from '../src/train/loop.js';
import { CLI as cli, runQkv, tempDir, tinySession, useFastBackend } from './helpers.js';

const tiny = { examples: '100', dModel: '16', layers: '1', ff: '32', warmup: '3' };

beforeAll(useFastBackend);

describe('the training loop', () => {
  it('stops at the step where SIGINT arrives, saves the checkpoint and reports interrupted', async () => {
    const { session, run } = await tinySession('date-normalization', { seed: 1, epochs: 10, batchSize: 8, limit: 40, evalLimit: 2, maxSteps: 50, set: tiny });
    const out = tempDir('sigint');
    const lines: string[] = [];
    const result = await train(session, run, { out, checkpointEvery: 1000, evalEvery: 0, quiet: true, log: (l) => lines.push(l), onStep: (step) => { if (step === 3) process.emit('SIGINT'); } });
    expect(result.interrupted).toBe(true);
    expect(result.progress.step).toBe(3);
    expect(existsSync(join(out, 'checkpoint.safetensors'))).toBe(true);
    expect(lines.at(-1)).toMatch(/^interrupted: checkpoint saved at step 3; continue with --resume /);
  });

  it('sees a SIGINT that arrives just before a validation before running it', async () => {
    const { session, run } = await tinySession('date-normalization', { seed: 1, epochs: 10, batchSize: 8, limit: 40, evalLimit: 2, maxSteps: 50, set: tiny });
    let validations = 0;
    const evaluate = session.evaluate.bind(session);
    session.evaluate = (split, limit) => { validations++; return evaluate(split, limit); };
    const result = await train(session, run, { out: tempDir('sigint-eval'), checkpointEvery: 1000, evalEvery: 4, quiet: true, log: () => {}, onStep: (step) => { if (step === 4) process.emit('SIGINT'); } });
    expect(result.progress.step).toBe(4);
    expect(validations).toBe(0);
  });

  it('without a terminal, logs plain progress lines with a sane ETA', async () => {
    const { session, run } = await tinySession('date-normalization', { seed: 1, epochs: 10, batchSize: 8, limit: 40, evalLimit: 2, maxSteps: 6, set: tiny });
    const lines: string[] = [];
    await train(session, run, { out: tempDir('plain'), checkpointEvery: 1000, evalEvery: 0, quiet: true, plainProgress: true, plainEverySeconds: 0, log: (l) => lines.push(l) });
    const progress = lines.filter((l) => /^step \d+\//.test(l));
    expect(progress).toHaveLength(6);
    expect(progress[0]).toMatch(/^step 1\/6 · epoch 1 · loss \d+\.\d{4} · \d+ tok\/s · ETA (\d+s|\d+m\d\ds)$/);
    expect(progress.at(-1)).toMatch(/ETA 0s$/);
  });
});

const qkv = runQkv;

describe('qkv (dist/cli.js) errors and help', () => {
  beforeAll(() => {
    if (!existsSync(cli)) throw new Error(`${cli} is missing: run pnpm build first`);
  });

  it('a missing checkpoint: one line naming the file, exit 1, no stack; the stack with DEBUG=1 or --verbose', async () => {
    const missing = join(tempDir('missing'), 'nope.safetensors');
    const r = await qkv(['eval', 'g2p-transformer', '--checkpoint', missing]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`qkv: --checkpoint: ${missing}: no such file\n`);
    expect(r.stdout).toBe('');
    for (const extra of [{ argv: [], env: { DEBUG: '1' } }, { argv: ['--verbose'], env: {} as Record<string, string> }]) {
      const v = await qkv(['eval', 'g2p-transformer', '--checkpoint', missing, ...extra.argv], extra.env);
      expect(v.code).toBe(1);
      expect(v.stderr).toMatch(/no such file\n\s+at /);
    }
  });

  it('a directory as checkpoint: one line', async () => {
    const dir = tempDir('dir');
    const r = await qkv(['predict', 'g2p-transformer', 'hello', '--checkpoint', dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`qkv: --checkpoint: ${dir}: expected a file, got a directory\n`);
  });

  it('qkv help train and qkv train --help print the command’s own usage', async () => {
    for (const argv of [['help', 'train'], ['train', '--help'], ['train', 'g2p-transformer', '-h']]) {
      const r = await qkv(argv);
      expect(r.code, argv.join(' ')).toBe(0);
      expect(r.stdout).toMatch(/^usage: qkv train <recipe> \[options\]/);
      expect(r.stdout).toMatch(/Ctrl-C saves a checkpoint and exits with 130/);
    }
    const all = await qkv(['help']);
    expect(all.stdout).toMatch(/^usage: qkv <command>/);
  });

  it('Ctrl-C during qkv train exits 130 after writing the checkpoint', async () => {
    const out = tempDir('ctrlc');
    const child = spawn(process.execPath, [cli, 'train', 'date-normalization', '--max-steps', '100000', '--out', out, ...Object.entries(tiny).flatMap(([k, v]) => ['--set', `${k}=${v}`])], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (stdout.includes('batches/epoch')) setTimeout(() => child.kill('SIGINT'), 1500);
    });
    const code = await new Promise<number | null>((r) => child.on('exit', r));
    expect(code).toBe(130);
    expect(stdout).toMatch(/interrupted: checkpoint saved at step \d+; continue with --resume/);
    expect(stdout).not.toMatch(/done in/);
    expect(existsSync(join(out, 'checkpoint.safetensors'))).toBe(true);
  }, 120_000);
});
