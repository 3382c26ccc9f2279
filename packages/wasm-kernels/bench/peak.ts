// The roofline of one core for the GEMM table: how many f32x4 FMAs (relaxed SIMD) and how many
// f32x4 mul + add pairs (plain SIMD) V8 retires per second, measured with independent dependency
// chains. A 4-wide FMA is 4 multiply-adds; a plain-SIMD GEMM spends one mul and one add on them.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** GEMM GFLOPS ceilings (2 flops per multiply-add) of one core for plain and relaxed SIMD. */
export async function simdCeilings(): Promise<{ plain: number; relaxed: number }> {
  const out = join(mkdtempSync(join(tmpdir(), 'qkv-peak-')), 'peak.wasm');
  execFileSync(join('node_modules', '.bin', 'asc'), ['bench/assembly/peak.ts', '-O3', '--runtime', 'stub', '--importMemory', '--enable', 'simd', '--enable', 'relaxed-simd', '-o', out]);
  const memory = new WebAssembly.Memory({ initial: 1 });
  const { instance } = await WebAssembly.instantiate(readFileSync(out), { env: { memory } });
  // x = 1 and y = 0.5 keep every chain finite and normal (denormals would slow the probe, not the kernel)
  new Float32Array(memory.buffer).set([1, 1, 1, 1, 0.5, 0.5, 0.5, 0.5, 1, 1, 1, 1]);
  const probes = instance.exports as { fmaChains(n: number, p: number): void; mulAddChains(n: number, p: number): void };
  const n = 5e6;
  // the fastest of 15 runs: a ceiling is what the core can do, and a busy host only ever slows a run
  const fastest = (fn: () => void) => {
    let best = Infinity;
    for (let r = 0; r < 15; r++) {
      const t0 = performance.now();
      fn();
      best = Math.min(best, performance.now() - t0);
    }
    return best / 1e3;
  };
  const fmaPerSecond = (n * 10) / fastest(() => probes.fmaChains(n, 0));
  const mulAddPerSecond = (n * 12) / fastest(() => probes.mulAddChains(n, 0));
  // FMA: 4 multiply-adds = 8 flops per instruction; mul + add: 4 multiply-adds = 8 flops per 2 instructions
  return { relaxed: (fmaPerSecond * 8) / 1e9, plain: (mulAddPerSecond * 4) / 1e9 };
}
