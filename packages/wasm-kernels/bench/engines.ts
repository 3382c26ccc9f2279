// The engines under test: qkv-wasm instances (plain or relaxed build, 1 or 2 threads), TensorFlow.js
// (wasm with XNNPACK, and cpu), set up in this one process.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { Storage } from '@qkv/tensor-core';
import type { TensorInfo } from '@qkv/tensor-core';
import { createWasmBackend } from '../src/backend.js';
import type { WasmBackend, WasmHandle } from '../src/backend.js';
import { batchMatMulKernel } from '../src/kernels/matmul.js';
import { ThreadPool } from '../src/runtime/threads.js';

/** A qkv-wasm instance with a fixed build and thread count. */
export interface QkvEngine {
  label: string;
  backend: WasmBackend;
}

/** Creates the four qkv-wasm configurations (plain/relaxed × 1/2 threads). */
export async function qkvEngines(): Promise<QkvEngine[]> {
  const out: QkvEngine[] = [];
  for (const relaxed of [false, true]) {
    const one = await createWasmBackend({ relaxed });
    if (relaxed && !one.choice.relaxed) continue;
    const two = await createWasmBackend({ relaxed });
    two.pool = await ThreadPool.create(1, two.choice.bytes, two.heap.memory);
    const kind = relaxed ? 'relaxed' : 'plain';
    out.push({ label: `qkv-wasm ${kind} 1T`, backend: one }, { label: `qkv-wasm ${kind} 2T`, backend: two });
  }
  return out;
}

function info(backend: WasmBackend, handle: WasmHandle, shape: number[]): TensorInfo {
  const size = shape.reduce((a, b) => a * b, 1);
  return { storage: new Storage(backend, handle, 'float32', size, size * 4), handle, shape, dtype: 'float32' };
}

/** Returns a function computing C = A·B ([M,K]·[K,N]) on a qkv engine, plus a reader and a disposer. */
export function qkvGemm(e: QkvEngine, a: Float32Array, b: Float32Array, m: number, k: number, n: number) {
  const ha = e.backend.write(a, 'float32');
  const hb = e.backend.write(b, 'float32');
  const inputs = [info(e.backend, ha, [1, m, k]), info(e.backend, hb, [1, k, n])];
  const run = (): Float32Array => {
    const out = batchMatMulKernel({ inputs, attrs: { transposeA: false, transposeB: false }, backend: e.backend });
    const h = (out as { handle: WasmHandle }).handle;
    const c = e.backend.readSync(h, 'float32', m * n) as Float32Array;
    e.backend.disposeData(h);
    return c;
  };
  const time = (): void => {
    const out = batchMatMulKernel({ inputs, attrs: { transposeA: false, transposeB: false }, backend: e.backend });
    e.backend.disposeData((out as { handle: WasmHandle }).handle);
  };
  const dispose = (): void => {
    e.backend.disposeData(ha);
    e.backend.disposeData(hb);
  };
  return { run, time, dispose };
}

/** Switches TensorFlow.js to `name` ('wasm' single-threaded with SIMD, or 'cpu'). */
export async function useTfjs(name: 'wasm' | 'cpu'): Promise<void> {
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  await tf.setBackend(name);
  await tf.ready();
}

/** C = A·B on the active TensorFlow.js backend. */
export function tfjsGemm(a: Float32Array, b: Float32Array, m: number, k: number, n: number) {
  const ta = tf.tensor2d(a, [m, k]);
  const tb = tf.tensor2d(b, [k, n]);
  const run = (): Float32Array => {
    const c = tf.matMul(ta, tb);
    const v = c.dataSync() as Float32Array;
    c.dispose();
    return v;
  };
  const time = (): void => tf.matMul(ta, tb).dispose();
  const dispose = (): void => {
    ta.dispose();
    tb.dispose();
  };
  return { run, time, dispose };
}
