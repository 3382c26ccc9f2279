// A GPT-2-small-shaped Hub folder (12 layers, E = 768, 12 heads, V = 50,257, 1024 positions; random
// seeded weights written once by @qkv/pretrained's savePretrained and cached) opened the way a user
// opens a downloaded model: fromPretrained load time, forward on 128 tokens, greedy generation on the
// KV cache and peak RSS on qkv-wasm (1 and --threads threads), and the same model exported by
// @qkv/onnx on onnxruntime-node and onnxruntime-web (wasm), one thread, checked against qkv's logits
// and tokens. Every configuration runs in a fresh child process of its own, so its peak RSS is its own.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, open, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { exportOnnx } from '@qkv/onnx';
import { pretrainedFiles } from '@qkv/pretrained';
import { fromPretrained, savePretrained } from '@qkv/pretrained/node';
import { manualSeed, noGrad, tensor, tidy } from '@qkv/tensor-core';
import { GPT, greedyDecode } from '@qkv/transformer';
import type { GPTConfig } from '@qkv/transformer';
import { checkClose, peakRssMb, time } from '../harness.js';
import type { BenchContext, Measurement } from '../harness.js';
import { ortGenerator, ortLogits } from '../peers/ort.js';
import { qkvName, useQkv } from '../qkv.js';
import { assertSameTokens } from './gpt-decode.js';

/** A pretrained row: the timing plus the peak RSS of the configuration's own process. */
export interface PretrainedMeasurement extends Measurement {
  /** Peak RSS (the OS's high-water mark, `process.resourceUsage().maxRSS`) of this configuration's child process at its end, MB. */
  peakRssMb?: number;
  /** The same high-water mark right after loading (qkv: `fromPretrained`; ONNX Runtime: the first session; export: on qkv-cpu), MB. */
  rssAfterLoadMb?: number;
  /** Export rows: the high-water mark after both `exportOnnx` calls (before the round-trip and cpu checks), MB. */
  rssAfterExportMb?: number;
}

/** The suite's model and sizes at a run mode. */
interface Shape {
  name: string;
  config: GPTConfig;
  /** Forward length, prompt length, new tokens. */
  T: number;
  prompt: number;
  newTokens: number;
  /** Tokens of the qkv-cpu check of the logits (the cpu backend is the independent reference; it is slow at 124 M). */
  cpuTokens: number;
}

const SEED = 1;
const GPT2 = { blockSize: 1024, nHead: 12, nEmbd: 768, vocabSize: 50257, geluApproximate: 'tanh' } as const; // gelu_new
const SHAPES: Record<'full' | 'small' | 'quick', Shape> = {
  full: { name: 'GPT-2 small (124 M)', config: { ...GPT2, nLayer: 12 }, T: 128, prompt: 16, newTokens: 32, cpuTokens: 4 },
  small: { name: 'distilgpt2 shape (82 M)', config: { ...GPT2, nLayer: 6 }, T: 128, prompt: 16, newTokens: 32, cpuTokens: 4 },
  quick: { name: 'tiny GPT-2', config: { blockSize: 64, nHead: 2, nEmbd: 16, vocabSize: 97, nLayer: 2, geluApproximate: 'tanh' }, T: 16, prompt: 4, newTokens: 8, cpuTokens: 16 },
};
/** Largest |logit difference| accepted between two systems on the same model. */
const TOL = 1e-3;
/** A generated token's logit may lie this far below its row's maximum (float ties between equal maths). */
const ARGMAX_TOL = 1e-4;
const MB = 2 ** 20;

function shapeOf(ctx: BenchContext): Shape {
  return SHAPES[ctx.quick ? 'quick' : ctx.small ? 'small' : 'full'];
}

/** The token ids every system reads: deterministic, spread over the vocabulary. */
function inputIds(T: number, V: number): Int32Array {
  return Int32Array.from({ length: T }, (_, i) => (i * 7919 + 13) % V);
}

/** The cached Hub folder of `shape` (made on first use, atomically): `QKV_BENCH_CACHE` or the OS temp dir. */
function cacheDir(shape: Shape): string {
  const { nLayer, nEmbd, nHead, vocabSize, blockSize } = shape.config;
  return join(process.env.QKV_BENCH_CACHE ?? join(tmpdir(), 'qkv-bench-pretrained'), `gpt2-${nLayer}x${nEmbd}-h${nHead}-v${vocabSize}-p${blockSize}-seed${SEED}`);
}

/** Writes the seeded random GPT-2 as a Hub folder with savePretrained, unless the cache has it. */
async function ensureModel(ctx: BenchContext, shape: Shape): Promise<string> {
  const dir = cacheDir(shape);
  if (existsSync(join(dir, '.complete'))) {
    ctx.log(`pretrained: using the cached Hub folder ${dir}`);
    return dir;
  }
  await useQkv('cpu', 1);
  const t0 = performance.now();
  manualSeed(SEED);
  const gpt = new GPT(shape.config).eval();
  const built = performance.now();
  const partial = `${dir}.partial-${process.pid}`;
  await savePretrained(gpt, partial);
  await writeFile(join(partial, '.complete'), `${new Date().toISOString()}\n`);
  for (const p of gpt.parameters()) p.dispose();
  await rm(dir, { recursive: true, force: true }); // a folder a crashed run left without .complete
  await rename(partial, dir);
  ctx.log(`pretrained: wrote ${dir} (GPT built in ${((built - t0) / 1000).toFixed(1)} s, saved in ${((performance.now() - built) / 1000).toFixed(1)} s; cached for later runs)`);
  return dir;
}

/** One configuration, run in a child process of its own. */
interface Part {
  kind: 'export' | 'qkv' | 'onnxruntime-node' | 'onnxruntime-web';
  threads: number;
  /** The Hub folder. */
  model: string;
  /** This run's scratch folder: reference logits and tokens, the .onnx files. */
  run: string;
}

interface PartResult {
  measurements: PretrainedMeasurement[];
  memory: { peakRssMb: number };
}

/** Runs `part` in a fresh `node dist/bench.js --suite pretrained --part …` and reads back its rows. */
async function runPart(ctx: BenchContext, part: Part): Promise<PretrainedMeasurement[]> {
  const script = process.argv[1] ?? '';
  if (basename(script) !== 'bench.js') throw new Error(`pretrained: runs its configurations through dist/bench.js, but this process was started as ${script}`);
  const file = join(part.run, `${part.kind}-${part.threads}.json`);
  const args = [script, '--suite', 'pretrained', '--child', file, '--part', JSON.stringify(part), '--threads', String(ctx.threads), ...(ctx.quick ? ['--quick'] : []), ...(ctx.small ? ['--small'] : [])];
  execFileSync(process.execPath, args, { stdio: 'inherit' });
  const result = JSON.parse(await readFile(file, 'utf8')) as PartResult;
  return result.measurements.map((m) => ({ ...m, peakRssMb: result.memory.peakRssMb }));
}

/** The suite: the Hub folder, then each configuration in its own process, in an order where each one's reference exists. */
export async function pretrainedSuite(ctx: BenchContext): Promise<PretrainedMeasurement[]> {
  if (ctx.part !== undefined) return runPartHere(ctx, JSON.parse(ctx.part) as Part);
  const shape = shapeOf(ctx);
  const model = await ensureModel(ctx, shape);
  const run = await mkdtemp(join(tmpdir(), 'qkv-bench-pretrained-run-'));
  try {
    const parts: Part[] = [
      { kind: 'export', threads: 1, model, run }, // qkv-cpu check logits, the round trip and the .onnx files
      ...[...new Set([1, ctx.threads])].map((threads) => ({ kind: 'qkv' as const, threads, model, run })),
      { kind: 'onnxruntime-node', threads: 1, model, run },
      { kind: 'onnxruntime-web', threads: 1, model, run },
    ];
    const out: PretrainedMeasurement[] = [];
    for (const part of parts) out.push(...(await runPart(ctx, part)));
    return out;
  } finally {
    await rm(run, { recursive: true, force: true });
  }
}

/** Writes a file and waits until it is on disk, so the kernel's write-back of ~1 GB of .onnx does not run during the next configuration's timings. */
async function writeSynced(path: string, bytes: Uint8Array): Promise<void> {
  const handle = await open(path, 'w');
  try {
    await handle.writeFile(bytes);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function writeF32(file: string, data: Float32Array): Promise<void> {
  await writeFile(file, new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
}

async function readF32(file: string): Promise<Float32Array> {
  const bytes = await readFile(file);
  return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}

/**
 * Checks that each generated token is (within ARGMAX_TOL) the argmax of its row of no-cache logits; returns the largest shortfall.
 * `logits` [P + N, V] are the no-cache logits of prompt + tokens (row P − 1 + i predicts token i).
 * @example checkGreedy('gpt', Int32Array.of(1), Float32Array.of(0, 2, 1), 1, 3) // 0
 */
export function checkGreedy(what: string, tokens: Int32Array, logits: Float32Array, prompt: number, V: number): number {
  let worst = 0;
  tokens.forEach((token, i) => {
    const row = logits.subarray((prompt - 1 + i) * V, (prompt + i) * V);
    let max = -Infinity;
    for (const x of row) max = Math.max(max, x);
    const shortfall = max - row[token]!;
    if (!(shortfall <= ARGMAX_TOL)) throw new Error(`${what}: generated token ${i} (${token}) has logit ${row[token]} in the no-cache forward, below the row's maximum ${max}: the KV cache computes the wrong answer`);
    worst = Math.max(worst, shortfall);
  });
  return worst;
}

const once = (ms: number) => ({ medianMs: ms, minMs: ms, maxMs: ms, runs: 1 });

/** Runs one configuration in this (child) process. */
async function runPartHere(ctx: BenchContext, part: Part): Promise<PretrainedMeasurement[]> {
  const shape = shapeOf(ctx);
  const { T, prompt: P, newTokens: N } = shape;
  const V = shape.config.vocabSize;
  const ids = inputIds(T, V);
  const cases = {
    load: `load (fromPretrained; ORT: session), ${shape.name}`,
    export: `export to ONNX (exportOnnx), ${shape.name}`,
    forward: `forward, B 1 × T ${T}, ${shape.name}`,
    generate: `greedy ${N} tokens after ${P} on the KV cache, ${shape.name}`,
  };
  const file = (name: string) => join(part.run, name);
  const out: PretrainedMeasurement[] = [];
  const row = (c: string, system: string, timing: { medianMs: number; minMs: number; maxMs: number; runs: number }, extra: Partial<PretrainedMeasurement>) => {
    out.push({ suite: 'pretrained', case: c, system, ...timing, ...extra });
    ctx.log(`pretrained ${system}: ${c.split(',')[0]} ${timing.medianMs.toFixed(1)} ms`);
  };

  if (part.kind === 'export') {
    // qkv-cpu (the independent reference) on the first tokens, the load → save round trip, and both ONNX graphs
    await useQkv('cpu', 1);
    const { model } = await fromPretrained<GPT>(part.model, { tokenizer: false });
    const rssAfterLoadMb = peakRssMb();
    const exported: [string, number][] = [];
    for (const [system, kvCache] of [['qkv exportOnnx', false], ['qkv exportOnnx kvCache', true]] as const) {
      const t0 = performance.now();
      const bytes = exportOnnx(model, [], { kvCache });
      exported.push([system, performance.now() - t0]);
      await writeSynced(file(kvCache ? 'gpt2-kv.onnx' : 'gpt2.onnx'), bytes);
      ctx.log(`pretrained: ${kvCache ? 'gpt2-kv.onnx' : 'gpt2.onnx'} is ${(bytes.length / MB).toFixed(1)} MiB`);
    }
    const rssAfterExportMb = peakRssMb();
    for (const [system, ms] of exported) row(cases.export, system, once(ms), { maxAbsDiff: 0, rssAfterLoadMb, rssAfterExportMb });
    const saved = pretrainedFiles(model).get('model.safetensors')!;
    const onDisk = await readFile(join(part.model, 'model.safetensors'));
    if (saved.length !== onDisk.length || Buffer.compare(Buffer.from(saved.buffer, saved.byteOffset, saved.length), onDisk) !== 0) {
      throw new Error('pretrained: fromPretrained → savePretrained does not give back the bytes of model.safetensors (the round trip must be bit-identical)');
    }
    const head = ids.subarray(0, shape.cpuTokens);
    const cpuLogits = tidy(() => noGrad(() => model.forward(tensor(head, { shape: [1, head.length], dtype: 'int32' })).dataSync() as Float32Array));
    await writeF32(file('cpu-logits.f32'), cpuLogits);
    return out;
  }

  if (part.kind === 'qkv') {
    await useQkv('wasm', part.threads);
    const system = qkvName('wasm', part.threads);
    const t0 = performance.now();
    const { model } = await fromPretrained<GPT>(part.model, { tokenizer: false });
    const loadMs = performance.now() - t0;
    const rssAfterLoadMb = peakRssMb();
    const forward = (xs: Int32Array) => tidy(() => noGrad(() => model.forward(tensor(xs, { shape: [1, xs.length], dtype: 'int32' })).dataSync() as Float32Array));
    const generate = () => tidy(() => noGrad(() => (greedyDecode(model.stepper(), { prompt: tensor(ids.slice(0, P), { shape: [1, P], dtype: 'int32' }), maxNewTokens: N }).dataSync() as Int32Array).slice(P)));
    const logits = forward(ids); // the first run: the wasm backend only notes the weights here and packs them (a one-time cost) on the next, the untimed warm-up
    const cpu = await readF32(file('cpu-logits.f32'));
    let diff = checkClose(`pretrained ${system} forward vs qkv-cpu (first ${shape.cpuTokens} tokens)`, logits.subarray(0, cpu.length), cpu, TOL);
    if (part.threads !== 1) diff = Math.max(diff, checkClose(`pretrained ${system} forward vs qkv-wasm`, logits, await readF32(file('logits.f32')), TOL));
    else await writeF32(file('logits.f32'), logits);
    row(cases.load, system, once(loadMs), { maxAbsDiff: 0, rssAfterLoadMb });
    row(cases.forward, system, await time(() => forward(ids), ctx.quick, { minRuns: 3, minMs: 0, warmup: 1 }), { maxAbsDiff: diff, work: { amount: T, unit: 'tokens/s' } });
    const tokens = generate(); // also the warm-up run
    const full = new Int32Array(P + N);
    full.set(ids.subarray(0, P));
    full.set(tokens, P);
    const shortfall = checkGreedy(`pretrained ${system}`, tokens, forward(full), P, V); // no cache: the whole sequence at once
    if (part.threads !== 1) assertSameTokens(`pretrained ${system}`, tokens, Int32Array.from(JSON.parse(await readFile(file('tokens.json'), 'utf8')) as number[]));
    else await writeFile(file('tokens.json'), JSON.stringify(Array.from(tokens)));
    row(cases.generate, system, await time(generate, ctx.quick, { minRuns: 2, minMs: 0, warmup: 0 }), { maxAbsDiff: shortfall, work: { amount: N, unit: 'tokens/s' } });
    return out;
  }

  // ONNX Runtime, one thread: the no-cache graph for the forward, the KV-cache graph for generation
  const system = part.kind;
  const reference = await readF32(file('logits.f32'));
  const expectedTokens = Int32Array.from(JSON.parse(await readFile(file('tokens.json'), 'utf8')) as number[]);
  const source = async (name: string) => (system === 'onnxruntime-node' ? file(name) : await readFile(file(name)));
  const t0 = performance.now();
  const session = await ortLogits(system, await source('gpt2.onnx'), shape.config);
  const loadMs = performance.now() - t0;
  const rssAfterLoadMb = peakRssMb();
  const diff = checkClose(`pretrained ${system} forward vs qkv-wasm`, await session.forward(ids), reference, TOL); // also the warm-up run
  row(cases.load, system, once(loadMs), { maxAbsDiff: 0, rssAfterLoadMb });
  row(cases.forward, system, await time(() => session.forward(ids), ctx.quick, { minRuns: 3, minMs: 0, warmup: 1 }), { maxAbsDiff: diff, work: { amount: T, unit: 'tokens/s' } });
  await session.release();
  const generator = await ortGenerator(system, await source('gpt2-kv.onnx'), shape.config);
  assertSameTokens(`pretrained ${system}`, await generator.generate(ids.slice(0, P), N), expectedTokens); // also the warm-up run
  row(cases.generate, system, await time(() => generator.generate(ids.slice(0, P), N), ctx.quick, { minRuns: 2, minMs: 0, warmup: 0 }), { maxAbsDiff: 0, work: { amount: N, unit: 'tokens/s' } });
  await generator.release();
  return out;
}

/** The comparison printed under the suite's timings: one line per configuration, ratios to qkv-wasm (1 thread). */
export function pretrainedTable(ms: Measurement[]): string {
  const rows = ms as PretrainedMeasurement[];
  const find = (kind: string, system: string) => rows.find((m) => m.case.startsWith(kind) && m.system === system);
  const base = { forward: find('forward', 'qkv-wasm'), generate: find('greedy', 'qkv-wasm') };
  const ratio = (m: Measurement | undefined, b: Measurement | undefined) => (m && b ? `${(m.medianMs / b.medianMs).toFixed(2)}×` : '-');
  const systems = [...new Set(rows.filter((m) => !m.case.startsWith('export')).map((m) => m.system))];
  const lines = systems.map((s) => {
    const [load, fwd, gen] = [find('load', s), find('forward', s), find('greedy', s)];
    const tps = gen?.work ? (gen.work.amount / (gen.medianMs / 1000)).toFixed(1) : '-';
    return `| ${s} | ${load ? (load.medianMs / 1000).toFixed(2) : '-'} | ${fwd ? fwd.medianMs.toFixed(0) : '-'} | ${ratio(fwd, base.forward)} | ${tps} | ${ratio(gen, base.generate)} | ${load?.rssAfterLoadMb?.toFixed(0) ?? '-'} | ${load?.peakRssMb?.toFixed(0) ?? '-'} |`;
  });
  const exportRows = rows.filter((m) => m.case.startsWith('export'));
  const exports = exportRows.map((m) => `${m.system} ${(m.medianMs / 1000).toFixed(1)} s`);
  const e = exportRows[0];
  if (e?.rssAfterExportMb !== undefined) exports.push(`peak RSS ${e.rssAfterLoadMb?.toFixed(0) ?? '-'} MB after loading on qkv-cpu, ${e.rssAfterExportMb.toFixed(0)} MB after both exports`);
  return [
    '| system | load s | forward ms | forward ÷ qkv-wasm | generation tokens/s | generation time ÷ qkv-wasm | peak RSS after load, MB | peak RSS of the configuration, MB |',
    '|---|---|---|---|---|---|---|---|',
    ...lines,
    '',
    `Export: ${exports.join(', ')}. Peak RSS is the OS high-water mark (\`process.resourceUsage().maxRSS\`) of each configuration's own child process; ONNX Runtime's "load" is creating its session from the exported file (the no-cache graph).`,
  ].join('\n');
}
