// The Node side's view of the page's rows: Chromium's flags, and rows as the report's measurements.
import { summarize } from '@qkv/bench-harness';
import type { Measurement } from '../harness.js';
import type { BrowserRow } from './workloads.js';

const COMMON = ['--headless=new', '--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
/** Software WebGL (ANGLE on SwiftShader) and WebGPU (Dawn on SwiftShader's Vulkan) where there is no GPU. */
const SWIFTSHADER = ['--enable-unsafe-swiftshader', '--use-angle=swiftshader', '--enable-unsafe-webgpu', '--enable-features=Vulkan'];

/**
 * Chromium's flags: headless with SwiftShader, or with the machine's GPU (`realGpu`: WebGPU still
 * needs `--enable-unsafe-webgpu` on Linux).
 * @example chromium.launch({ executablePath, args: chromiumArgs(false) })
 */
export function chromiumArgs(realGpu: boolean): string[] {
  return realGpu ? [...COMMON, '--enable-unsafe-webgpu', '--enable-features=Vulkan', '--ignore-gpu-blocklist'] : [...COMMON, ...SWIFTSHADER];
}

/** The page's rows as measurements of suite `browser` (system `qkv-<backend>`, GFLOPS from the work). */
export function browserMeasurements(rows: BrowserRow[]): Measurement[] {
  return rows.map((r) => {
    if (r.times.length === 0) throw new Error(`bench:browser: ${r.op} ${r.shape} on ${r.backend} has no timed run`);
    return {
      suite: 'browser', case: `${r.op} ${r.shape}`, system: `qkv-${r.backend}`,
      ...summarize(r.times),
      work: { amount: r.flops, unit: 'GFLOPS' }, maxAbsDiff: r.maxAbsDiff,
    };
  });
}
