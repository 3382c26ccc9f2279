// A pool of workers over the shared WebAssembly.Memory. The main thread posts row ranges through
// a shared Int32Array and works on the first range itself; workers spin briefly after a job, then
// sleep in Atomics.wait, and never keep a Node process alive (unref). In browsers the workers start from a Blob URL,
// which inherits the creator's cross-origin isolation, so the pool also works inside a dedicated
// worker (nested workers), as tested in headless Chromium (test/browser-threads.test.ts).
import { SLOT, SPIN_MS, doneIndex, poolKernels, workerSource } from './worker-source.js';
import type { PoolKernel } from './worker-source.js';

/**
 * Below this many multiply-adds a job runs on the calling thread while the workers sleep: waking
 * them makes a job's round trip 56–92 µs (2-core VM, 2026-12-06; see SPIN_MS).
 */
export const THREAD_MIN_MACS = 2 ** 18;

/**
 * The threshold instead while the workers still spin after the last job (`ThreadPool.warm`): the
 * round trip is then 1–4 µs. Measured on the 2-core machine (2026-12-06, medians of 80 calls, the
 * previous job 0.1 ms earlier), one → two threads: add of 131 k elements 40 → 24 µs, of 262 k 84 →
 * 43; layer norm [256, 512] 67 → 34; below 2¹⁶ elements no gain. With the workers asleep (2 ms
 * idle) the same 131 k add went 58 → 90 µs, so the cold threshold stays.
 */
const WARM_MIN_MACS = 2 ** 16;

/**
 * The work to count for a memory-bound map of n elements (an add, a scalar multiply, ReLU, a
 * comparison, a where, a sum): n / 2, so such maps use the pool from 2¹⁹ elements while the workers
 * sleep and from 2¹⁷ while they spin. Measured on the 2-core machine (2026-12-06, medians of 50
 * calls, before the workers spun): at 131 k elements two threads were slower than one (add 68 → 84
 * µs, ReLU 39 → 69 µs), at 262 k about even (add 129 → 110, multiply 145 → 152), at 524 k faster
 * (add 220 → 161, ReLU 181 → 125), at 1 M 1.5–1.6× faster.
 */
export const streamWork = (n: number): number => n / 2;

/**
 * Runs `local` on rows [0, rows) of a job of `macs` multiply-adds (or other unit operations): split
 * across `pool` in ranges of a multiple of `align` rows when there is a pool, at least two such
 * ranges and at least `minMacs` of work to pay for the round trip (by default less while the
 * workers still spin), else on the calling thread alone.
 * @example runSplit(wb.pool, 'unaryRange', () => [op, x, out], n, 16, n * 4, local)
 */
export function runSplit(pool: ThreadPool | null, kernel: PoolKernel, argsOf: (thread: number) => readonly number[], rows: number, align: number, macs: number, local: (r0: number, r1: number) => void, minMacs = pool?.warm ? WARM_MIN_MACS : THREAD_MIN_MACS): void {
  if (pool && rows >= 2 * align && macs >= minMacs) pool.dispatch(kernel, argsOf, rows, align, local);
  else local(0, rows);
}

/**
 * Runs `local` on rows [0, rows) of a job of `macs` multiply-adds: split across `pool` by
 * `dispatch` (rows in multiples of 4) when there is a pool, at least 8 rows and enough work to pay
 * for waking the workers, else on the calling thread alone.
 * @example runRows(wb.pool, 'gemmBatched', () => args, rows, rows * n * k, local)
 */
export function runRows(pool: ThreadPool | null, kernel: PoolKernel, argsOf: (thread: number) => readonly number[], rows: number, macs: number, local: (r0: number, r1: number) => void): void {
  runSplit(pool, kernel, argsOf, rows, 4, macs, local);
}

/**
 * Runs `local` on items [0, items) of a job of `macs` multiply-adds, split across `pool` one item
 * apiece or more (no alignment) when there is a pool, at least 2 items and enough work; else on the
 * calling thread alone. For jobs whose items are whole heads, images or other independent units.
 * @example runItems(wb.pool, 'attentionGradHeads', (t) => [params, scratch + t * bytes], N, macs, local)
 */
export function runItems(pool: ThreadPool | null, kernel: PoolKernel, argsOf: (thread: number) => readonly number[], items: number, macs: number, local: (i0: number, i1: number) => void): void {
  runSplit(pool, kernel, argsOf, items, 1, macs, local);
}

interface AnyWorker {
  postMessage(message: unknown): void;
  terminate(): unknown;
}

function isNode(): boolean {
  return typeof process !== 'undefined' && typeof process.versions?.node === 'string';
}

async function spawn(): Promise<{ worker: AnyWorker; ready: Promise<void> }> {
  if (isNode()) {
    // getBuiltinModule, not import(): browser bundlers must not see a Node built-in in the published build
    const { Worker } = process.getBuiltinModule('node:worker_threads');
    const worker = new Worker(workerSource, { eval: true });
    worker.unref();
    const ready = new Promise<void>((resolve, reject) => {
      worker.once('message', () => resolve());
      worker.once('error', reject);
    });
    return { worker, ready };
  }
  const url = URL.createObjectURL(new Blob([workerSource], { type: 'text/javascript' }));
  const worker = new Worker(url, { name: 'qkv-wasm-thread' });
  const ready = new Promise<void>((resolve, reject) => {
    worker.onmessage = () => resolve();
    // a script that fails to load gives a plain Event without a message
    worker.onerror = (e) => reject(new Error(`wasm: a thread worker failed to start: ${e.message || 'the Blob-URL worker did not load (a Content-Security-Policy without worker-src blob:?)'}`));
  }).finally(() => URL.revokeObjectURL(url)); // loaded or failed: the URL is no longer needed
  return { worker, ready };
}

/**
 * Whether this thread may block in Atomics.wait: Node's threads and workers may, a browser's
 * window thread may not (it throws). A zero timeout on a mismatched value never waits.
 */
function mayBlock(): boolean {
  try {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1, 0);
    return true;
  } catch {
    return false;
  }
}

/** Worker threads that run `gemmBatched` (or another of `poolKernels`) on row ranges of one job. */
export class ThreadPool {
  private readonly ctl: Int32Array;
  private readonly canBlock = mayBlock();
  /** When the last job finished (performance.now()); the workers spin until about SPIN_MS later. */
  private lastDone = -Infinity;

  private constructor(
    private readonly workers: AnyWorker[],
    control: SharedArrayBuffer,
  ) {
    this.ctl = new Int32Array(control);
  }

  /** Starts `extra` workers on `memory` with the module `bytes`; resolves when all are ready. */
  static async create(extra: number, bytes: Uint8Array, memory: WebAssembly.Memory): Promise<ThreadPool> {
    const control = new SharedArrayBuffer((doneIndex(extra) + 1) * 4);
    const spawned = await Promise.all(Array.from({ length: extra }, () => spawn()));
    try {
      spawned.forEach(({ worker }, slot) => worker.postMessage({ bytes, memory, control, slot }));
      await Promise.all(spawned.map((s) => s.ready));
    } catch (err) {
      for (const { worker } of spawned) void worker.terminate(); // no half-started pool left running
      throw err;
    }
    return new ThreadPool(
      spawned.map((s) => s.worker),
      control,
    );
  }

  /**
   * True while the workers are surely still spinning after the last job (within half of SPIN_MS
   * of its end: a worker's own window starts when it finished, up to the caller's share earlier),
   * so that a job costs microseconds to hand out rather than a wake-up.
   */
  get warm(): boolean {
    return performance.now() - this.lastDone < SPIN_MS / 2;
  }

  /** Threads in all, the calling thread included. */
  get size(): number {
    return this.workers.length + 1;
  }

  /**
   * Runs export `kernel` of `poolKernels` on rows [0, rows), split into `size` ranges (multiples of
   * `align`): thread t (0 = the caller, which runs `local`) gets `argsOf(t)` (at most 8 integers)
   * before its row range, so each can own its scratch memory. Returns when every range is done.
   */
  dispatch(kernel: PoolKernel, argsOf: (thread: number) => readonly number[], rows: number, align: number, local: (r0: number, r1: number) => void): void {
    const chunk = Math.ceil(rows / this.size / align) * align;
    const done = doneIndex(this.workers.length);
    Atomics.store(this.ctl, done, 0);
    let posted = 0;
    for (let w = 0; w < this.workers.length; w++) {
      const r0 = (w + 1) * chunk;
      if (r0 >= rows) break;
      const base = w * SLOT;
      const args = argsOf(w + 1);
      this.ctl.set(args, base + 1);
      this.ctl[base + 9] = r0;
      this.ctl[base + 10] = Math.min(rows, r0 + chunk);
      this.ctl[base + 11] = poolKernels.indexOf(kernel);
      this.ctl[base + 12] = args.length;
      Atomics.add(this.ctl, base, 1);
      Atomics.notify(this.ctl, base);
      posted++;
    }
    local(0, Math.min(rows, chunk));
    // the workers usually finish within a moment of the caller: spin first, then sleep
    const until = performance.now() + SPIN_MS;
    for (let i = 1; Atomics.load(this.ctl, done) < posted; i++) if ((i & 255) === 0 && performance.now() > until) break;
    for (let v = Atomics.load(this.ctl, done); v < posted; v = Atomics.load(this.ctl, done)) {
      // a browser's window thread may not block: spin there; elsewhere sleep until notified
      if (this.canBlock) Atomics.wait(this.ctl, done, v, 50);
    }
    this.lastDone = performance.now();
  }

  /** Stops every worker. */
  terminate(): void {
    for (const w of this.workers) void w.terminate();
    this.workers.length = 0;
  }
}
