// TensorFlow.js peers: tfjs-core with the cpu and wasm backends, in this process.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients.js'; // tf.grads needs the gradient registry, not loaded by tfjs-core's main entry
import { setThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import '@tensorflow/tfjs-backend-wasm';

let threadsSet = false;

/**
 * Switches TensorFlow.js to `backend` ('cpu' | 'wasm'). tfjs-wasm runs one thread here: in Node
 * it cannot start its worker pool, and asking for more (setThreadsCount(2)) loads the threaded
 * binary, which then runs slower on one thread (16 vs 27 GFLOPS at 512³ when measured here).
 */
export async function useTf(backend: 'cpu' | 'wasm'): Promise<typeof tf> {
  if (backend === 'wasm' && !threadsSet) {
    setThreadsCount(1);
    threadsSet = true;
  }
  await tf.setBackend(backend);
  await tf.ready();
  return tf;
}

/**
 * Runs `body` inside one tfjs engine scope: tensors made by the ops it times stay alive until the
 * scope ends, and are disposed then. Measured here, tfjs-wasm's matMul at 512³ runs ~22 GFLOPS
 * when its outputs are kept, ~12 when each is disposed right away, and ~1.2 inside tf.tidy, so
 * timing without per-call disposal gives TensorFlow.js its best (and our ratios their most
 * conservative) figure.
 */
export async function inTfScope<T>(body: () => Promise<T>): Promise<T> {
  tf.engine().startScope();
  try {
    return await body();
  } finally {
    tf.engine().endScope();
  }
}

export { tf };
