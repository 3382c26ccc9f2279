// `pnpm bench`: GEMM GFLOPS and multi-head-attention forward time of qkv-wasm beside TensorFlow.js
// (wasm, cpu) and ONNX Runtime Web (wasm), all in this one process.
import '../src/index.js';
import { qkvEngines } from './engines.js';
import { gemmTable } from './gemm.js';
import { mhaRow } from './mha.js';
import { simdCeilings } from './peak.js';

const engines = await qkvEngines();
console.log(`qkv-wasm bench · ${new Date().toISOString()} · Node ${process.version} · ${(await import('node:os')).cpus().length} CPUs`);
const gemm = process.env.QKV_BENCH_SKIP_GEMM ? [] : await gemmTable(engines);
const all = Object.keys(gemm[0]?.gflops ?? {});
const cols = all.filter((c) => !c.includes('÷'));
const pairs = all.filter((c) => c.includes('÷'));
console.log('\nGEMM GFLOPS (median of runs taken in turns) and, per qkv engine, the median of its per-round speed ratio to tfjs-wasm 1T');
console.log(['size', ...cols, ...pairs.map((c) => `${c.replace(' ÷ tfjs-wasm 1T', '')} ×`)].join(' | '));
for (const r of gemm) console.log([r.size, ...cols.map((c) => r.gflops[c]!.toFixed(1)), ...pairs.map((c) => r.gflops[c]!.toFixed(2))].join(' | '));

if (gemm.length > 0) {
  const ceil = await simdCeilings();
  console.log(`\nOne core's SIMD ceiling for GEMM (dependency-free probes): plain (mul + add) ${ceil.plain.toFixed(1)} GFLOPS, relaxed (FMA) ${ceil.relaxed.toFixed(1)} GFLOPS`);
  for (const r of gemm) {
    const plain = r.gflops['qkv-wasm plain 1T'];
    const relaxed = r.gflops['qkv-wasm relaxed 1T'];
    const tf = r.gflops['tfjs-wasm 1T']!;
    console.log(`${r.size}: qkv plain ${plain === undefined ? '–' : `${((100 * plain) / ceil.plain).toFixed(0)} %`} of its ceiling, relaxed ${relaxed === undefined ? '–' : `${((100 * relaxed) / ceil.relaxed).toFixed(0)} %`}; tfjs-wasm ${((100 * tf) / ceil.plain).toFixed(0)} % of the plain ceiling (ceiling / tfjs-wasm: plain ${(ceil.plain / tf).toFixed(2)}×, relaxed ${(ceil.relaxed / tf).toFixed(2)}×)`);
  }
}

console.log('\nMHA forward ms (B=1, E=512, H=8; median), the median per-round ratio qkv 1T ÷ ORT-web 1T timed in turns, and the ratio of the medians');
let header = false;
for (const L of [128, 512]) {
  const t = await mhaRow(L);
  if (!header) console.log(['L', ...Object.keys(t), 'ratio'].join(' | '));
  header = true;
  console.log([L, ...Object.values(t).map((v) => v.toFixed(2)), (t['qkv-wasm 1T']! / t['ort-web wasm 1T']!).toFixed(2)].join(' | '));
}
process.exit(0);
