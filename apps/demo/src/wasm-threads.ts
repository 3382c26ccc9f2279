// Worker threads for the `wasm` backend when the page is cross-origin isolated (vite.config.ts
// sends COOP + COEP). The page's backend switch and the training worker each start their own pool.
import { getThreads, setThreads } from '@qkv/wasm-kernels';

/** At most this many threads: the demo's GEMMs are small, and the page and training share the cores. */
const MAX_THREADS = 4;

/** Threads the `wasm` backend runs on here, and why only one when that is the case. */
export interface WasmThreads {
  count: number;
  /** null when threads run; otherwise why not (`error`: setThreads' message). */
  reason: null | 'not-isolated' | 'one-core' | { error: string };
}

/**
 * Starts min(hardwareConcurrency, 4) wasm threads where shared memory is allowed; on failure the
 * backend stays on one thread and the reason is returned for the UI. Idle workers sleep.
 */
export async function startWasmThreads(): Promise<WasmThreads> {
  if (globalThis.crossOriginIsolated !== true) return { count: 1, reason: 'not-isolated' };
  const wanted = Math.min(navigator.hardwareConcurrency || 1, MAX_THREADS);
  try {
    await setThreads(wanted);
  } catch (err) {
    const error = (err as Error).message ?? String(err);
    console.warn(`qkv: wasm stays on one thread: ${error}`);
    return { count: await getThreads(), reason: { error } };
  }
  return { count: await getThreads(), reason: wanted > 1 ? null : 'one-core' };
}
