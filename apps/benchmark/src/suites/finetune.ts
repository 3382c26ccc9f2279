// Fine-tuning step time and memory, LoRA against full fine-tuning, on the GPT-2-small shape
// (12 layers, E = 768, 12 heads, V = 50,257, tied head; 124 M parameters): one step = forward,
// cross-entropy, backward and AdamW on B = 1 sequence of T = 128 tokens.
import { AdamW, crossEntropy, injectLoRA, unloadLoRA } from '@qkv/nn';
import { activeBackend, manualSeed, memory, tensor, Tensor, tidy } from '@qkv/tensor-core';
import { GPT } from '@qkv/transformer';
import type { GPTConfig } from '@qkv/transformer';
import { notePeakMemory, time } from '../harness.js';
import type { BenchContext, Measurement } from '../harness.js';
import { qkvName, useQkv } from '../qkv.js';

/** A finetune row: the timing plus the memory of its case. */
export interface FinetuneMeasurement extends Measurement {
  /** Trainable parameters of the case. */
  trainable: number;
  /** Highest live tensor memory sampled after forward, backward and the optimizer step, MB. */
  peakTensorMb: number;
  /** Live tensor memory between steps (weights, adapters, optimizer state), MB. */
  restingTensorMb: number;
  /** Size of the wasm backend's WebAssembly.Memory after the case, MB (it only grows, so it includes earlier cases on the same memory). */
  wasmMemoryMb?: number;
}

/** The wasm backend's memory size in bytes, if the active backend has one. */
function wasmMemoryBytes(): number | undefined {
  const backend = activeBackend() as unknown as { heap?: { memory?: WebAssembly.Memory } };
  return backend.heap?.memory?.buffer.byteLength;
}

const GPT2_SMALL: GPTConfig = { vocabSize: 50257, blockSize: 1024, nLayer: 12, nHead: 12, nEmbd: 768 };
const TINY: GPTConfig = { vocabSize: 97, blockSize: 32, nLayer: 2, nHead: 2, nEmbd: 16 };
const MB = 2 ** 20;

type Method = 'lora' | 'lora-checkpointed' | 'full';

/** One training step of `model` on ids → next ids; samples live tensor memory at each stage. */
function stepper(model: GPT, optimizer: AdamW, ids: Tensor, targets: Tensor, peak: { bytes: number }): () => number {
  const sample = () => {
    peak.bytes = Math.max(peak.bytes, memory().numBytes);
  };
  return () => {
    const loss = tidy(() => {
      const logits = model.forward(ids); // [1, T, V]
      const l = crossEntropy(logits.reshape([-1, logits.shape[2]!]), targets);
      sample(); // every activation the backward pass needs is alive here
      l.backward();
      sample();
      return l.item();
    });
    optimizer.step();
    sample();
    optimizer.zeroGrad();
    notePeakMemory();
    return loss;
  };
}

/** Disposes an optimizer's moment tensors (full fine-tuning's hold 2 × 124 M floats). */
function disposeState(optimizer: AdamW): void {
  for (const s of optimizer.state.values()) for (const v of Object.values(s)) if (v instanceof Tensor) v.dispose();
  optimizer.state.clear();
}

/** Makes `method` trainable on `model`: LoRA r 8 on c_attn (PEFT's GPT-2 default), or every weight. */
function prepare(model: GPT, method: Method): void {
  model.gradientCheckpointing = method === 'lora-checkpointed';
  if (method !== 'full') injectLoRA(model, { r: 8, alpha: 16, dropout: 0, targetModules: ['c_attn'], fanInFanOut: true });
  else for (const p of model.parameters()) p.requiresGrad_(true);
}

const LABELS: Record<Method, string> = { lora: 'LoRA r8 c_attn', 'lora-checkpointed': 'LoRA r8 c_attn + checkpointing', full: 'full' };

/**
 * LoRA (r 8 on c_attn; plain and with gradient checkpointing) and full fine-tuning steps on wasm at 1 and `ctx.threads` threads (quick:
 * a tiny GPT). The first step's loss must be the same for both methods (LoRA starts at B = 0, so
 * it computes the base model exactly); its difference is the row's maxAbsDiff.
 */
export async function finetuneSuite(ctx: BenchContext): Promise<FinetuneMeasurement[]> {
  const config = ctx.quick ? TINY : GPT2_SMALL;
  const T = ctx.quick ? 16 : 128;
  const out: FinetuneMeasurement[] = [];
  const backends = ctx.backends.includes('wasm') ? ['wasm'] : ctx.backends; // the cpu backend would take minutes per step
  for (const backend of backends) {
    for (const threads of backend === 'wasm' ? [...new Set([1, ctx.threads])] : [1]) {
      await useQkv(backend, threads);
      manualSeed(5);
      const model = new GPT(config); // dropout 0: the steps are deterministic
      const ids = tensor(Int32Array.from({ length: T }, (_, i) => (i * 31 + 7) % config.vocabSize), { shape: [1, T], dtype: 'int32' });
      const targets = tensor(Int32Array.from({ length: T }, (_, i) => (i * 31 + 38) % config.vocabSize), { shape: [T], dtype: 'int32' });
      const firstLoss = new Map<Method, number>();
      for (const method of ['lora', 'lora-checkpointed', 'full'] as const) {
        prepare(model, method);
        const trainable = model.parameters().filter((p) => p.requiresGrad);
        const optimizer = new AdamW(trainable, { lr: 1e-4, weightDecay: method === 'lora' ? 0 : 0.1 });
        const peak = { bytes: 0 };
        const step = stepper(model, optimizer, ids, targets, peak);
        firstLoss.set(method, step()); // also the warm-up run
        const resting = memory().numBytes;
        const timing = await time(step, ctx.quick, { minRuns: 2, minMs: 0, warmup: 0 });
        const diff = Math.abs(firstLoss.get(method)! - firstLoss.get('lora')!);
        if (!(diff <= 1e-4 * Math.max(1, firstLoss.get('lora')!))) throw new Error(`finetune: the first ${LABELS[method]} loss ${firstLoss.get(method)} differs from LoRA's ${firstLoss.get('lora')} on the same base`);
        out.push({
          suite: 'finetune',
          case: `${ctx.quick ? 'tiny GPT' : 'GPT-2 small (124 M)'}, B 1 × T ${T}`,
          system: `${qkvName(backend, threads)} ${LABELS[method]}`,
          ...timing,
          work: { amount: T, unit: 'tokens/s' },
          maxAbsDiff: diff,
          trainable: trainable.reduce((n, p) => n + p.size, 0),
          peakTensorMb: peak.bytes / MB,
          restingTensorMb: resting / MB,
          wasmMemoryMb: (wasmMemoryBytes() ?? NaN) / MB,
        });
        disposeState(optimizer);
        if (method !== 'full') unloadLoRA(model, { merge: false }); // back to the untouched base for the next case
        ctx.log(`finetune ${out.at(-1)!.system}: ${timing.medianMs.toFixed(0)} ms/step, peak tensors ${(peak.bytes / MB).toFixed(0)} MB`);
      }
      for (const t of [ids, targets, ...model.parameters()]) t.dispose();
    }
  }
  return out;
}

/** The memory table printed under the suite's timings. */
export function finetuneTable(ms: Measurement[]): string {
  const rows = (ms as FinetuneMeasurement[]).map((m) => `| ${m.system} | ${m.trainable.toLocaleString('en-US')} | ${m.medianMs.toFixed(0)} | ${m.restingTensorMb.toFixed(1)} | ${m.peakTensorMb.toFixed(1)} | ${m.wasmMemoryMb === undefined || Number.isNaN(m.wasmMemoryMb) ? '-' : m.wasmMemoryMb.toFixed(0)} |`);
  return ['| system | trainable parameters | ms / step (median) | tensors between steps, MB | peak live tensors in a step, MB | WebAssembly.Memory after the case, MB |', '|---|---|---|---|---|---|', ...rows].join('\n');
}
