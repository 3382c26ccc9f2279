// Bundled by test/browser.test.ts for headless Chromium: the conformance suite on `wasm`.
import '../src/index.js';
import { conformanceCases, expectConformance } from '@qkv/tensor-core/testing';

/** Runs every conformance case on wasm in the page; returns the failures' messages. */
export async function conformanceOnWasm(): Promise<{ passed: number; failures: string[] }> {
  const failures: string[] = [];
  let passed = 0;
  for (const c of conformanceCases) {
    try {
      await expectConformance(c, 'wasm');
      passed++;
    } catch (err) {
      failures.push((err as Error).message);
    }
  }
  return { passed, failures };
}
(globalThis as { runConformance?: typeof conformanceOnWasm }).runConformance = conformanceOnWasm;
