// `pnpm bench`: GEMM GFLOPS and multi-head-attention forward time of qkv-wasm beside TensorFlow.js
// (wasm, cpu) and ONNX Runtime Web (wasm), all in this one process.
import { qkvEngines } from './engines.js';
import { gemmTable } from './gemm.js';

const engines = await qkvEngines();
console.log(`qkv-wasm bench · ${new Date().toISOString()} · Node ${process.version} · ${(await import('node:os')).cpus().length} CPUs`);
const gemm = await gemmTable(engines);
const cols = Object.keys(gemm[0]!.gflops);
console.log('\nGEMM GFLOPS (median; ratio = qkv relaxed 1T / tfjs-wasm 1T)');
console.log(['size', ...cols, 'ratio'].join(' | '));
for (const r of gemm) {
  const best1 = r.gflops['qkv-wasm relaxed 1T'] ?? r.gflops['qkv-wasm plain 1T']!;
  console.log([r.size, ...cols.map((c) => r.gflops[c]!.toFixed(1)), (best1 / r.gflops['tfjs-wasm 1T']!).toFixed(2)].join(' | '));
}
process.exit(0);
