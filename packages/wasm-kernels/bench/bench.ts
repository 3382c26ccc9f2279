// `pnpm bench`: GEMM GFLOPS and multi-head-attention forward time of qkv-wasm beside TensorFlow.js
// (wasm, cpu) and ONNX Runtime Web (wasm), all in this one process.
import '../src/index.js';
import { qkvEngines } from './engines.js';
import { gemmTable } from './gemm.js';
import { mhaRow } from './mha.js';

const engines = await qkvEngines();
console.log(`qkv-wasm bench · ${new Date().toISOString()} · Node ${process.version} · ${(await import('node:os')).cpus().length} CPUs`);
const gemm = process.env.QKV_BENCH_SKIP_GEMM ? [] : await gemmTable(engines);
const cols = Object.keys(gemm[0]?.gflops ?? {});
console.log('\nGEMM GFLOPS (median; ratio = qkv relaxed 1T / tfjs-wasm 1T)');
console.log(['size', ...cols, 'ratio'].join(' | '));
for (const r of gemm) {
  const best1 = r.gflops['qkv-wasm relaxed 1T'] ?? r.gflops['qkv-wasm plain 1T']!;
  console.log([r.size, ...cols.map((c) => r.gflops[c]!.toFixed(1)), (best1 / r.gflops['tfjs-wasm 1T']!).toFixed(2)].join(' | '));
}

console.log('\nMHA forward ms (B=1, E=512, H=8; median; ratio = qkv 1T / ORT-web 1T)');
let header = false;
for (const L of [128, 512]) {
  const t = await mhaRow(L);
  if (!header) console.log(['L', ...Object.keys(t), 'ratio'].join(' | '));
  header = true;
  console.log([L, ...Object.values(t).map((v) => v.toFixed(2)), (t['qkv-wasm 1T']! / t['ort-web wasm 1T']!).toFixed(2)].join(' | '));
}
process.exit(0);
