// The worker program, as source text so it needs no separate file: Node runs it with
// `new Worker(src, { eval: true })`, browsers from a Blob URL. Each worker instantiates the same
// module over the shared memory and then sleeps on its slot of the control array until the main
// thread posts a row range of a GEMM (or of another export in `poolKernels`).

/** The exports a worker can run, by their index in the control slot. */
export const poolKernels = ['gemmBatched', 'attentionRows', 'gemmBatchedInPlaceA', 'attentionGradHeads', 'unaryRange', 'binaryRange', 'binaryGrid', 'softmaxRange', 'layerNormRange', 'compareRange', 'whereRange', 'attentionGradRows', 'adamRange', 'packAStrips', 'packBPanels', 'gemmColumns', 'reduceRange'] as const;
/** An export a worker can run. */
export type PoolKernel = (typeof poolKernels)[number];

/**
 * How long a thread spins (checking for the next job, or in the caller for the workers to finish)
 * before it sleeps in `Atomics.wait`: an empty job's round trip with a sleeping worker was 56–92 µs on
 * the 2-core machine (56–63 right after the last job, 84–92 after 0.5–2 ms idle), about what a
 * 131 k-element add takes, and a training step dispatches ~60 jobs with short single-threaded gaps
 * between them. OpenMP runtimes spin the same way (GOMP_SPINCOUNT, KMP_BLOCKTIME), for far longer.
 * Measured in the package README.
 */
export const SPIN_MS = 0.5;

/** Int32 slots per worker in the control array: [sequence, 8 arguments, r0, r1, kernel index, argument count]. */
export const SLOT = 16;
/** Index of the completion counter (after all slots). */
export const doneIndex = (workers: number): number => workers * SLOT;

/** Worker source; `self`/`parentPort` are resolved at run time. */
export const workerSource = `
const start = (data) => {
  const { bytes, memory, control, slot } = data;
  const inst = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } });
  const kernels = ${JSON.stringify(poolKernels)}.map((name) => inst.exports[name]);
  const ctl = new Int32Array(control);
  const base = slot * ${16};
  const done = ctl.length - 1;
  let seen = Atomics.load(ctl, base);
  post({ ready: true });
  for (;;) {
    // spin a short while before sleeping: the next job of a training step usually comes within it,
    // and waking a sleeping thread costs tens of microseconds
    const until = performance.now() + ${SPIN_MS};
    for (let i = 1; Atomics.load(ctl, base) === seen; i++) if ((i & 255) === 0 && performance.now() > until) break;
    Atomics.wait(ctl, base, seen);
    seen = Atomics.load(ctl, base);
    const a = ctl;
    const args = a.slice(base + 1, base + 1 + a[base+12]);
    kernels[a[base+11]](...args, a[base+9], a[base+10]);
    Atomics.add(ctl, done, 1);
    Atomics.notify(ctl, done);
  }
};
let post;
if (typeof self !== 'undefined' && typeof self.postMessage === 'function' && typeof require === 'undefined') {
  post = (m) => self.postMessage(m);
  self.onmessage = (e) => start(e.data);
} else {
  const { parentPort } = require('node:worker_threads');
  post = (m) => parentPort.postMessage(m);
  parentPort.once('message', start);
}
`;
