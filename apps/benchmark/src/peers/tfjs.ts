// TensorFlow.js peers: tfjs-core with the cpu and wasm backends, in this process.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients.js'; // tf.grads needs the gradient registry, not loaded by tfjs-core's main entry
import { setThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import '@tensorflow/tfjs-backend-wasm';

let threadsSet = false;

/** Switches TensorFlow.js to `backend` ('cpu' | 'wasm'), with `threads` for wasm (set once). */
export async function useTf(backend: 'cpu' | 'wasm', threads = 1): Promise<typeof tf> {
  if (backend === 'wasm' && !threadsSet) {
    setThreadsCount(threads);
    threadsSet = true;
  }
  await tf.setBackend(backend);
  await tf.ready();
  return tf;
}

export { tf };
