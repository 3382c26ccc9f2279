// ONNX Runtime sessions on one thread: onnxruntime-node (native) and onnxruntime-web (its wasm build,
// loaded in Node from node_modules/onnxruntime-web/dist as the package does by itself).
import * as ortNode from 'onnxruntime-node';
import * as ortWeb from 'onnxruntime-web';

/** A session of either runtime with a single float32 input `x` and output `y`. */
export interface OrtRunner {
  system: 'onnxruntime-node' | 'onnxruntime-web';
  run(x: Float32Array, shape: number[]): Promise<Float32Array>;
  release(): Promise<void>;
}

/**
 * Creates a one-thread session of `model` on onnxruntime-node or onnxruntime-web (wasm).
 * @example const ort = await ortSession('onnxruntime-web', mhaOnnx(L, E, H, w)); const y = await ort.run(x, [1, L, E]);
 */
export async function ortSession(system: OrtRunner['system'], model: Uint8Array): Promise<OrtRunner> {
  if (system === 'onnxruntime-node') {
    const session = await ortNode.InferenceSession.create(model, { intraOpNumThreads: 1, interOpNumThreads: 1 });
    return {
      system,
      run: async (x, shape) => (await session.run({ x: new ortNode.Tensor('float32', x, shape) })).y!.data as Float32Array,
      release: () => session.release(),
    };
  }
  ortWeb.env.wasm.numThreads = 1; // Node has no cross-origin isolation question, but one thread is the figure we compare
  const session = await ortWeb.InferenceSession.create(model, { executionProviders: ['wasm'] });
  return {
    system,
    run: async (x, shape) => (await session.run({ x: new ortWeb.Tensor('float32', x, shape) })).y!.data as Float32Array,
    release: () => session.release(),
  };
}
