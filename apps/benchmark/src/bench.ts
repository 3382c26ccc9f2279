// `pnpm bench`: runs the suites, prints a table per suite (median/min/max, throughput, ratios to
// the best qkv backend measured in the same run), and writes JSON, SVG charts and a markdown summary.
// Each suite runs in its own child process, so its peak memory is its own.
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { BenchContext, Measurement, MemoryPeak } from './harness.js';
import { memoryPeak } from './harness.js';
import { markdownTable, memoryRows, suiteChart, suiteRows } from './report.js';
import { suites } from './suites/index.js';
import type { Suite } from './suites/index.js';

const USAGE = `usage: node dist/bench.js [options]   (pnpm bench [options])

  --suite <name>      run this suite (repeatable); suites: ${suites.map((s) => s.name).join(', ')}
  --backend <name>    qkv backends to measure (repeatable; default cpu and wasm)
  --threads <n>       wasm threads (default min(2, cores))
  --quick             tiny sizes: check every answer, no meaningful timings
  --small             the small sizes only (gemm 128³ and 512³, mha L = 128, pretrained: 6 layers), for before/after runs
  --json <file>       also write the results as JSON
  --out <dir>         write SVG charts and a markdown summary
  --in-process        run the suites in this process (no per-suite peak memory)
  -h, --help          this text`;

function parseCommandLine() {
  try {
    return parseArgs({
      options: {
        suite: { type: 'string', multiple: true },
        backend: { type: 'string', multiple: true },
        threads: { type: 'string' },
        quick: { type: 'boolean' },
        small: { type: 'boolean' },
        json: { type: 'string' },
        out: { type: 'string' },
        'in-process': { type: 'boolean' },
        child: { type: 'string' }, // internal: run the one --suite and write its result to this file
        part: { type: 'string' }, // internal: the configuration of the one --suite to run in this child (pretrained)
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    // an unknown flag or a missing value: one line and the usage, not a stack
    console.error(`bench: ${(err as Error).message.split('\n')[0]}\n\n${USAGE}`);
    process.exit(2);
  }
}

const { values: v } = parseCommandLine();
if (v.help) {
  console.log(USAGE);
  process.exit(0);
}

const ctx: BenchContext = {
  quick: v.quick ?? false,
  small: v.small ?? false,
  threads: Number(v.threads ?? Math.min(2, cpus().length)),
  backends: v.backend ?? ['cpu', 'wasm'],
  log: (line) => console.log(line),
  ...(v.part === undefined ? {} : { part: v.part }),
};
const chosen = v.suite ? suites.filter((s) => v.suite!.includes(s.name)) : suites;
if (v.suite && chosen.length !== v.suite.length) {
  console.error(`bench: unknown suite in ${v.suite.join(', ')}; suites: ${suites.map((s) => s.name).join(', ')}`);
  process.exit(2);
}

interface SuiteResult {
  measurements: Measurement[];
  memory: MemoryPeak;
}

/** Runs a suite in a fresh Node process with the same options, and reads back its result. */
async function runIsolated(suite: Suite): Promise<SuiteResult> {
  const file = join(await mkdtemp(join(tmpdir(), 'qkv-bench-')), `${suite.name}.json`);
  const args = [fileURLToPath(import.meta.url), '--suite', suite.name, '--child', file, '--threads', String(ctx.threads), ...ctx.backends.flatMap((b) => ['--backend', b]), ...(ctx.quick ? ['--quick'] : []), ...(ctx.small ? ['--small'] : [])];
  execFileSync(process.execPath, args, { stdio: 'inherit' });
  return JSON.parse(await readFile(file, 'utf8')) as SuiteResult;
}

if (v.child) {
  const suite = chosen[0]!;
  const measurements = await suite.run(ctx);
  await writeFile(v.child, JSON.stringify({ measurements, memory: memoryPeak() } satisfies SuiteResult));
} else {
  const all: Measurement[] = [];
  const memory: Record<string, MemoryPeak> = {};
  const md: string[] = [`# qkv benchmark${ctx.quick ? ' (quick smoke run: correctness only, timings meaningless)' : ''}`, '', `Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, threads ${ctx.threads}, ${new Date().toISOString()}`, `Command: \`pnpm bench ${process.argv.slice(2).join(' ')}\``, ''];
  const outDir = v.out ?? 'results';
  await mkdir(outDir, { recursive: true });
  for (const suite of chosen) {
    console.log(`\n== ${suite.name}: ${suite.title}`);
    const { measurements: ms, memory: mem } = v['in-process'] ? { measurements: await suite.run(ctx), memory: memoryPeak() } : await runIsolated(suite);
    memory[suite.name] = mem;
    all.push(...ms);
    const rows = suiteRows(ms);
    console.table(rows);
    const extra = suite.summarize?.(ms);
    if (extra) console.log(`\n${extra}`);
    const memLine = `Peak memory${v['in-process'] ? ' (whole process so far)' : ''}: RSS ${mem.peakRssMb.toFixed(0)} MB, JS heap ${mem.peakHeapMb.toFixed(0)} MB, external (ArrayBuffers, WebAssembly) ${mem.peakExternalMb.toFixed(0)} MB`;
    console.log(memLine);
    md.push(`## ${suite.title}`, '', markdownTable(rows), '', ...(extra ? [extra, ''] : []), `![${suite.name}](${suite.name}.svg)`, '', memLine, '');
    await writeFile(join(outDir, `${suite.name}.svg`), suiteChart(suite.name, ms));
  }
  md.push('## Memory per suite', '', markdownTable(memoryRows(memory)), '');
  await writeFile(join(outDir, 'summary.md'), md.join('\n'));
  if (v.json) await writeFile(v.json, JSON.stringify({ date: new Date().toISOString(), node: process.version, cpu: cpus()[0]?.model, threads: ctx.threads, quick: ctx.quick, memory, measurements: all }, null, 2));
  console.log(`\nbench: ${all.length} measurements, every result checked against its reference before timing; wrote ${outDir}/summary.md`);
}
