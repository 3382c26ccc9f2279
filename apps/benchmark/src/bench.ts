// `pnpm bench`: runs the suites, prints a table per suite (median/min/max, throughput, ratios to
// the best qkv backend measured in the same run), and writes JSON, SVG charts and a markdown summary.
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { BenchContext, Measurement } from './harness.js';
import { peakRssMb } from './harness.js';
import { markdownTable, suiteChart, suiteRows } from './report.js';
import { suites } from './suites/index.js';

const { values: v } = parseArgs({
  options: {
    suite: { type: 'string', multiple: true },
    backend: { type: 'string', multiple: true },
    threads: { type: 'string' },
    quick: { type: 'boolean' },
    json: { type: 'string' },
    out: { type: 'string' },
  },
});

const ctx: BenchContext = {
  quick: v.quick ?? false,
  threads: Number(v.threads ?? Math.min(2, cpus().length)),
  backends: v.backend ?? ['cpu', 'wasm'],
  log: (line) => console.log(line),
};
const chosen = v.suite ? suites.filter((s) => v.suite!.includes(s.name)) : suites;
if (v.suite && chosen.length !== v.suite.length) {
  console.error(`bench: unknown suite in ${v.suite.join(', ')}; suites: ${suites.map((s) => s.name).join(', ')}`);
  process.exit(2);
}

const all: Measurement[] = [];
const memory: Record<string, number> = {};
const md: string[] = [`# qkv benchmark${ctx.quick ? ' (quick smoke run: correctness only, timings meaningless)' : ''}`, '', `Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, threads ${ctx.threads}, ${new Date().toISOString()}`, `Command: \`pnpm bench ${process.argv.slice(2).join(' ')}\``, ''];
const outDir = v.out ?? 'results';
await mkdir(outDir, { recursive: true });
for (const suite of chosen) {
  console.log(`\n== ${suite.name}: ${suite.title}`);
  const ms = await suite.run(ctx);
  memory[suite.name] = peakRssMb();
  all.push(...ms);
  const rows = suiteRows(ms);
  console.table(rows);
  md.push(`## ${suite.title}`, '', markdownTable(rows), '', `![${suite.name}](${suite.name}.svg)`, '', `Peak RSS so far: ${memory[suite.name]!.toFixed(0)} MB`, '');
  await writeFile(join(outDir, `${suite.name}.svg`), suiteChart(suite.name, ms));
}
await writeFile(join(outDir, 'summary.md'), md.join('\n'));
if (v.json) await writeFile(v.json, JSON.stringify({ date: new Date().toISOString(), node: process.version, threads: ctx.threads, quick: ctx.quick, memoryPeakRssMb: memory, measurements: all }, null, 2));
console.log(`\nbench: ${all.length} measurements, every result checked against its reference before timing; wrote ${outDir}/summary.md`);
