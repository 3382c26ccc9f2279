// ONNX Runtime sessions on one thread: onnxruntime-node (native) and onnxruntime-web (its wasm build,
// loaded in Node from node_modules/onnxruntime-web/dist as the package does by itself).
import * as ortNode from 'onnxruntime-node';
import * as ortWeb from 'onnxruntime-web';

/** A session of either runtime with one float32 input and output (the model's first of each). */
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
      run: async (x, shape) => (await session.run({ [session.inputNames[0]!]: new ortNode.Tensor('float32', x, shape) }))[session.outputNames[0]!]!.data as Float32Array,
      release: () => session.release(),
    };
  }
  ortWeb.env.wasm.numThreads = 1; // Node has no cross-origin isolation question, but one thread is the figure we compare
  const session = await ortWeb.InferenceSession.create(model, { executionProviders: ['wasm'] });
  return {
    system,
    run: async (x, shape) => (await session.run({ [session.inputNames[0]!]: new ortWeb.Tensor('float32', x, shape) }))[session.outputNames[0]!]!.data as Float32Array,
    release: () => session.release(),
  };
}

/**
 * A one-thread session of `model` (the .onnx bytes, or a file path for onnxruntime-node, which then
 * reads the file itself) on onnxruntime-node or onnxruntime-web (wasm). Both packages re-export
 * onnxruntime-common's InferenceSession, so one type covers both.
 */
async function oneThreadSession(system: OrtRunner['system'], model: Uint8Array | string): Promise<ortNode.InferenceSession> {
  if (system === 'onnxruntime-node') {
    const options = { intraOpNumThreads: 1, interOpNumThreads: 1 };
    return typeof model === 'string' ? ortNode.InferenceSession.create(model, options) : ortNode.InferenceSession.create(model, options);
  }
  if (typeof model === 'string') throw new Error(`ortGenerator: onnxruntime-web takes the model's bytes here, got the path ${model}`);
  ortWeb.env.wasm.numThreads = 1;
  return ortWeb.InferenceSession.create(model, { executionProviders: ['wasm'] });
}

/** Forward passes of an exported GPT (either signature): ids → logits, batch 1. */
export interface OrtLogits {
  /** Logits [1, T, V] of `ids` [1, T] (with the KV-cache signature: an empty past). */
  forward(ids: Int32Array): Promise<Float32Array>;
  release(): Promise<void>;
}

/**
 * A one-thread session of an exported GPT (`exportOnnx(gpt, [])`, or with `kvCache`) that returns logits.
 * @example const ort = await ortLogits('onnxruntime-node', 'gpt2.onnx', gpt.config); const logits = await ort.forward(ids)
 */
export async function ortLogits(system: OrtRunner['system'], model: Uint8Array | string, config: { nLayer: number; nHead: number; nEmbd: number }): Promise<OrtLogits> {
  const ort = system === 'onnxruntime-node' ? ortNode : ortWeb;
  const session = await oneThreadSession(system, model);
  const { nLayer, nHead, nEmbd } = config;
  const pastNames = session.inputNames.filter((n) => n.startsWith('past_key_values.'));
  if (pastNames.length !== 0 && pastNames.length !== 2 * nLayer) throw new Error(`ortLogits: the model has ${pastNames.length} past_key_values inputs, expected 0 or ${2 * nLayer}`);
  return {
    async forward(ids) {
      const empty = new ort.Tensor('float32', new Float32Array(0), [1, nHead, 0, nEmbd / nHead]);
      const feeds: Record<string, unknown> = { input_ids: new ort.Tensor('int64', BigInt64Array.from(Array.from(ids, BigInt)), [1, ids.length]) };
      for (const n of pastNames) feeds[n] = empty;
      const result = await session.run(feeds as Record<string, ortNode.Tensor>);
      return result.logits!.data as Float32Array;
    },
    release: () => session.release(),
  };
}

/** Greedy generation on an exported GPT with the KV-cache signature (see `gptOnnx`). */
export interface OrtGenerator {
  /** The `newTokens` greedy tokens after `prompt` (batch 1): the prompt in one run, then one token per run. */
  generate(prompt: Int32Array, newTokens: number): Promise<Int32Array>;
  release(): Promise<void>;
}

/**
 * A one-thread session of a GPT exported with `kvCache` on onnxruntime-node or -web (wasm).
 * @example const ort = await ortGenerator('onnxruntime-node', gptOnnx(gpt), gpt.config); await ort.generate(prompt, 64)
 */
export async function ortGenerator(system: OrtRunner['system'], model: Uint8Array | string, config: { nLayer: number; nHead: number; nEmbd: number; vocabSize: number }): Promise<OrtGenerator> {
  const ort = system === 'onnxruntime-node' ? ortNode : ortWeb;
  const session = await oneThreadSession(system, model);
  const { nLayer, nHead, nEmbd, vocabSize: V } = config;
  const names = Array.from({ length: nLayer }, (_, l) => [`${l}.key`, `${l}.value`]).flat();
  const ids = (tokens: number[]) => new ort.Tensor('int64', BigInt64Array.from(tokens.map(BigInt)), [1, tokens.length]);
  return {
    async generate(prompt, newTokens) {
      const empty = new ort.Tensor('float32', new Float32Array(0), [1, nHead, 0, nEmbd / nHead]);
      let past: Record<string, unknown> = Object.fromEntries(names.map((n) => [`past_key_values.${n}`, empty]));
      let input = Array.from(prompt);
      const out = new Int32Array(newTokens);
      for (let i = 0; i < newTokens; i++) {
        const result = await session.run({ input_ids: ids(input), ...past });
        const logits = result.logits!.data as Float32Array;
        const last = logits.subarray((input.length - 1) * V, input.length * V);
        let best = 0;
        for (let v = 1; v < V; v++) if (last[v]! > last[best]!) best = v;
        out[i] = best;
        input = [best];
        past = Object.fromEntries(names.map((n) => [`past_key_values.${n}`, result[`present.${n}`]!]));
      }
      return out;
    },
    release: () => session.release(),
  };
}
