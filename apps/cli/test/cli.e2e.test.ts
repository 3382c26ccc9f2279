// The built command end to end (dist/cli.js, as `qkv` runs it): list, train a few steps, evaluate,
// predict and export from the checkpoint, and exit code 2 with the usage on a bad command line.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { load } from '@qkv/nn';
import { CLI as cli, runQkv, tempDir } from './helpers.js';


const qkv = (...argv: string[]) => runQkv(argv);

/** The parts of manifest.json the tests read. */
interface Manifest {
  recipe: string;
  model: Record<string, unknown>;
  run: { seed: number; settings: Record<string, string> };
  metrics: { test: { exactMatch: number } };
  training: { steps: number; command: string };
  weights?: { file: string; dtype: string; bytes: number };
}

const tiny = ['--set', 'examples=200', '--set', 'dModel=16', '--set', 'layers=1', '--set', 'ff=32', '--quiet'];

describe('qkv (dist/cli.js)', () => {
  const dir = tempDir('e2e');
  const checkpoint = join(dir, 'checkpoint.safetensors');
  let trained: { stdout: string; code: number };

  beforeAll(async () => {
    if (!existsSync(cli)) throw new Error(`${cli} is missing: run pnpm build first (turbo's test task depends on build)`);
    trained = await qkv('train', 'date-normalization', '--max-steps', '3', '--test-limit', '5', '--eval-limit', '5', '--out', dir, ...tiny);
  });

  it('lists every recipe with its settings', async () => {
    const { stdout, code } = await qkv('recipes');
    expect(code).toBe(0);
    for (const name of ['date-normalization', 'g2p-transformer', 'g2p-gru', 'vit-mnist', 'spam-classifier', 'char-gpt']) expect(stdout).toContain(name);
    expect(stdout).toContain('--set nEmbd');
  });

  it('train writes a checkpoint, metrics as JSON lines and a manifest with test metrics and the command', () => {
    expect(trained.code).toBe(0);
    expect(trained.stdout).toMatch(/done in \d+ s; test exactMatch \d\.\d{4}/);
    expect(existsSync(checkpoint)).toBe(true);
    const lines = readFileSync(join(dir, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.filter((l) => 'loss' in l).map((l) => l.step)).toEqual([1, 2, 3]);
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Manifest;
    expect(manifest.recipe).toBe('date-normalization');
    expect(manifest.model).toMatchObject({ kind: 'Seq2SeqTransformer', dModel: 16, numEncoderLayers: 1 });
    expect(manifest.run).toMatchObject({ seed: 0, settings: { dModel: '16', layers: '1' } });
    expect(manifest.training.steps).toBe(3);
    expect(manifest.training.command).toContain('qkv train date-normalization --max-steps 3');
    expect(typeof manifest.metrics.test.exactMatch).toBe('number');
    // every tokenizer option that changes ids is recorded, for whoever rebuilds the model
    expect((manifest as unknown as { encoding: unknown }).encoding).toEqual({ source: { addSpecialTokens: false }, target: { addSpecialTokens: true } });
  });

  it('eval rebuilds the model from the manifest and reproduces its test metrics', async () => {
    const { stdout, code } = await qkv('eval', 'date-normalization', '--checkpoint', checkpoint, '--test-limit', '5');
    expect(code).toBe(0);
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { metrics: { test: { exactMatch: number } } };
    expect(JSON.parse(stdout)).toEqual({ recipe: 'date-normalization', split: 'test', exactMatch: manifest.metrics.test.exactMatch });
  });

  it('predict prints the output and the cross-attention heatmap', async () => {
    const { stdout, code } = await qkv('predict', 'date-normalization', 'June 25, 2009', '--checkpoint', checkpoint);
    expect(code).toBe(0);
    expect(stdout).toContain('cross-attention, last decoder layer, mean over heads');
    expect(stdout.split('\n').length).toBeGreaterThan(5);
  });

  it('export writes float16 safetensors with the model state dict, and a manifest', async () => {
    const out = join(dir, 'export');
    const { stdout, code } = await qkv('export', 'date-normalization', '--checkpoint', checkpoint, '--out', out, '--f16');
    expect(code).toBe(0);
    expect(stdout).toMatch(/wrote .*model\.safetensors/);
    const bytes = new Uint8Array(readFileSync(join(out, 'model.safetensors')));
    const { tensors } = load(bytes);
    expect(Object.keys(tensors)).toContain('generator.weight');
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as Manifest;
    expect(manifest.weights).toEqual({ file: 'model.safetensors', dtype: 'F16', bytes: bytes.byteLength });
    expect(manifest.metrics.test.exactMatch).toBeTypeOf('number');
  });

  it('eval and predict also read an exported model.safetensors (weights only), with the checkpoint’s results', async () => {
    const out = join(dir, 'export-f32');
    expect((await qkv('export', 'date-normalization', '--checkpoint', checkpoint, '--out', out)).code).toBe(0);
    const exported = join(out, 'model.safetensors');
    const fromCheckpoint = await qkv('eval', 'date-normalization', '--checkpoint', checkpoint, '--test-limit', '20');
    const fromExport = await qkv('eval', 'date-normalization', '--checkpoint', exported, '--test-limit', '20');
    expect(fromExport.code).toBe(0);
    expect(JSON.parse(fromExport.stdout)).toEqual(JSON.parse(fromCheckpoint.stdout));
    const p1 = await qkv('predict', 'date-normalization', 'June 25, 2009', '--checkpoint', checkpoint);
    const p2 = await qkv('predict', 'date-normalization', 'June 25, 2009', '--checkpoint', exported);
    expect(p2.stdout).toBe(p1.stdout);
    const wrong = await qkv('eval', 'g2p-gru', '--checkpoint', exported, '--test-limit', '5');
    expect(wrong.code).not.toBe(0);
    expect(wrong.stderr).toContain(`${exported} holds weights of recipe 'date-normalization', not 'g2p-gru'`);
  });

  it('exits with 2 and the usage on a bad command line', async () => {
    const { stderr, code } = await qkv('train', 'resnet');
    expect(code).toBe(2);
    expect(stderr).toContain("qkv: unknown recipe 'resnet'");
    expect(stderr).toContain('usage: qkv <command>');
  });
});

describe('qkv train --keep-checkpoints and qkv average (dist/cli.js)', () => {
  const dir = tempDir('average');
  const kept = (step: number) => join(dir, `checkpoint-${step}.safetensors`);

  beforeAll(async () => {
    if (!existsSync(cli)) throw new Error(`${cli} is missing: run pnpm build first (turbo's test task depends on build)`);
    const trained = await qkv('train', 'date-normalization', '--max-steps', '4', '--checkpoint-every', '2', '--keep-checkpoints', '--test-limit', '5', '--eval-limit', '5', '--out', dir, ...tiny);
    expect(trained.code).toBe(0);
  });

  it('keeps each periodic checkpoint under its step, and the latest one as checkpoint.safetensors', () => {
    expect([1, 2, 3, 4].map((s) => existsSync(kept(s)))).toEqual([false, true, false, true]);
    expect(readFileSync(kept(4))).toEqual(readFileSync(join(dir, 'checkpoint.safetensors')));
  });

  it('average writes the element-wise mean of the checkpoints’ weights, scored, and eval reproduces its score', async () => {
    const { stdout, code } = await qkv('average', 'date-normalization', kept(2), kept(4), '--test-limit', '5');
    expect(code).toBe(0);
    expect(stdout).toMatch(/the mean of 2 checkpoints/);
    const out = join(dir, 'average');
    const { tensors: mean, metadata } = load(new Uint8Array(readFileSync(join(out, 'model.safetensors'))));
    expect(metadata.recipe).toBe('date-normalization');
    const [a, b] = [kept(2), kept(4)].map((f) => load(new Uint8Array(readFileSync(f))).tensors);
    const names = Object.keys(a!).filter((k) => k.startsWith('model.')).map((k) => k.slice('model.'.length));
    expect(Object.keys(mean).sort()).toEqual(names.sort());
    let moved = 0;
    for (const name of names) {
      const [x, y, m] = [a![`model.${name}`]!.dataSync(), b![`model.${name}`]!.dataSync(), mean[name]!.dataSync()];
      for (let i = 0; i < m.length; i++) {
        expect(Math.abs(m[i]! - (x[i]! + y[i]!) / 2)).toBeLessThanOrEqual(1e-7 * Math.max(1, Math.abs(x[i]!)));
        if (x[i] !== y[i]) moved++;
      }
    }
    expect(moved).toBeGreaterThan(0); // two steps of training apart: the mean is not just a copy
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as Manifest & { averaging: { checkpoints: string[]; command: string } };
    expect(manifest.averaging.checkpoints).toEqual([kept(2), kept(4)]);
    expect(manifest.averaging.command).toContain('qkv average date-normalization');
    expect(manifest.training.steps).toBe(4);
    const evaluated = await qkv('eval', 'date-normalization', '--checkpoint', join(out, 'model.safetensors'), '--test-limit', '5');
    expect(evaluated.code).toBe(0);
    expect(JSON.parse(evaluated.stdout)).toEqual({ recipe: 'date-normalization', split: 'test', exactMatch: manifest.metrics.test.exactMatch });
  });

  it('average needs two checkpoints or more: usage error and exit code 2', async () => {
    const { stderr, code } = await qkv('average', 'date-normalization', kept(2));
    expect(code).toBe(2);
    expect(stderr).toContain('qkv: average needs at least two checkpoints, got 1');
  });
});

describe('qkv --model NAME (the shipped models by name)', () => {
  it('eval --model g2p-gru prints the test metrics its manifest (and the README) reports, with no path given', async () => {
    const manifest = JSON.parse(readFileSync(fileURLToPath(new URL('../../demo/public/models/g2p-gru/manifest.json', import.meta.url)), 'utf8')) as { metrics: { test: { per: number; wer: number } } };
    const { stdout, code } = await qkv('eval', '--model', 'g2p-gru', '--threads', '2');
    expect(code).toBe(0);
    const got = JSON.parse(stdout) as { recipe: string; per: number; wer: number };
    expect(got.recipe).toBe('g2p-gru');
    expect(got.per).toBeCloseTo(manifest.metrics.test.per, 6);
    expect(got.wer).toBeCloseTo(manifest.metrics.test.wer, 6);
    expect((got.per * 100).toFixed(1)).toBe('7.2'); // the README's "PER 7.2 %, WER 30.3 %"
    expect((got.wer * 100).toFixed(1)).toBe('30.3');
  }, 300_000);

  it('predict --model takes the input right after the name; an unknown name lists the shipped ones', async () => {
    const { stdout, code } = await qkv('predict', '--model', 'g2p-transformer', 'cat');
    expect(code).toBe(0);
    expect(stdout.split('\n')[0]).toBe('K AE T');
    const bad = await qkv('eval', '--model', 'nope');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--model: no shipped model is named 'nope'; the shipped models are g2p-transformer, g2p-gru, vit-mnist, spam-classifier, char-gpt");
  }, 120_000);
});
