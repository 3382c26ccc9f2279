// LoRALinear: a frozen Linear plus a trainable low-rank update, as PEFT's `lora.Linear`
// (Hu et al. 2021, "LoRA: Low-Rank Adaptation of Large Language Models").
import { Generator, noGrad, ValueError } from '@qkv/tensor-core';
import type { Tensor } from '@qkv/tensor-core';
import { zeros_ } from '../init.js';
import { Dropout } from '../layers/dropout.js';
import { Linear } from '../layers/linear.js';

/** Options of `LoRALinear` (PEFT's `LoraConfig` fields for one layer). */
export interface LoRALinearOptions {
  /** Rank r of the update (PEFT's `r`, default 8). */
  r?: number;
  /** The update is scaled by alpha / r (PEFT's `lora_alpha`, default 8). */
  alpha?: number;
  /** Dropout applied to the input of the adapter path only (PEFT's `lora_dropout`, default 0). */
  dropout?: number;
  /** Scale by alpha / √r instead (PEFT's `use_rslora`, default false). */
  useRslora?: boolean;
  /**
   * The Hugging Face layer this wraps stores its weight as [in, out] (GPT-2's Conv1D); recorded
   * for the adapter config (PEFT's `fan_in_fan_out`). qkv's Linear always holds [out, in], so it
   * changes nothing here; default false.
   */
  fanInFanOut?: boolean;
  /** Random source for lora_A's initial values (default: the global seeded generator). */
  generator?: Generator;
}

/**
 * A Linear whose weight and bias are the frozen base layer's own tensors, plus the adapter
 * `lora_A` [r, in] (Kaiming-uniform, as PEFT) and `lora_B` [out, r] (zeros, so the wrapped layer
 * starts out exactly equal to the base):
 *
 *   y = x·Wᵀ + b + dropout(x)·Aᵀ·Bᵀ·scaling,   scaling = alpha / r.
 *
 * It is a `Linear` (same `weight`, `bias`, `inFeatures`, forward signature), so models that hold a
 * `Linear` field keep working after `injectLoRA` swaps it in. State dict: `weight`, `bias`,
 * `lora_A.weight`, `lora_B.weight` — PEFT's saved names.
 * @example
 * const fc = new LoRALinear(new Linear(768, 2304), { r: 8, alpha: 16 });
 * fc.forward(x) // [B, T, 768] → [B, T, 2304]; only fc.lora_A.weight, fc.lora_B.weight train
 */
export class LoRALinear extends Linear {
  readonly r: number;
  readonly alpha: number;
  readonly scaling: number;
  readonly fanInFanOut: boolean;
  /** True while B·A·scaling is added into `weight` (after `merge()`); forward then skips the adapter. */
  merged = false;
  /** The Linear this wraps; `unload` puts it back. Private fields stay out of the state dict. */
  readonly #base: Linear;
  declare readonly lora_A: Linear;
  declare readonly lora_B: Linear;
  declare readonly lora_dropout: Dropout;

  constructor(base: Linear, options: LoRALinearOptions = {}) {
    // A 1×1 placeholder from a private generator: no weight is allocated twice and the global
    // random stream is not advanced.
    super(1, 1, { bias: false, generator: new Generator(0) });
    if (!(base instanceof Linear)) throw new ValueError(`LoRALinear: base must be a Linear, got ${describe(base)}`);
    if (base instanceof LoRALinear) throw new ValueError('LoRALinear: base is already a LoRALinear (one adapter per layer)');
    const { r = 8, alpha = 8, dropout = 0, useRslora = false, fanInFanOut = false } = options;
    if (!Number.isInteger(r) || r <= 0) throw new ValueError(`LoRALinear: r must be a positive integer, got ${r}`);
    if (!Number.isFinite(alpha)) throw new ValueError(`LoRALinear: alpha must be a finite number, got ${alpha}`);
    this.weight.dispose();
    const self = this as unknown as { inFeatures: number; outFeatures: number };
    self.inFeatures = base.inFeatures;
    self.outFeatures = base.outFeatures;
    this.weight = base.weight;
    this.bias = base.bias;
    this.#base = base;
    this.r = r;
    this.alpha = alpha;
    this.scaling = useRslora ? alpha / Math.sqrt(r) : alpha / r;
    this.fanInFanOut = fanInFanOut;
    this.weight.requiresGrad_(false);
    this.bias?.requiresGrad_(false);
    // Linear's default init is kaiming_uniform_(a=√5), i.e. U(±1/√in): PEFT's init of lora_A.
    this.registerModule('lora_A', new Linear(base.inFeatures, r, { bias: false, generator: options.generator }));
    const loraB = new Linear(r, base.outFeatures, { bias: false, generator: new Generator(0) });
    zeros_(loraB.weight);
    this.registerModule('lora_B', loraB);
    this.registerModule('lora_dropout', new Dropout(dropout));
  }

  /** The wrapped Linear (sharing `weight` and `bias` with this module). */
  get base(): Linear {
    return this.#base;
  }

  /** x [..., in] → [..., out]: base(x) + lora_B(lora_A(dropout(x)))·scaling. */
  override forward(x: Tensor): Tensor {
    const y = super.forward(x); // [..., out]
    if (this.merged) return y;
    const h = this.lora_A.forward(this.lora_dropout.forward(x)); // [..., in] → [..., r]
    return y.add(this.lora_B.forward(h).mul(this.scaling)); // [..., r] → [..., out]
  }

  /** ΔW = B·A·scaling [out, in], a new tensor outside autograd (PEFT's `get_delta_weight`). */
  deltaWeight(): Tensor {
    return noGrad(() => {
      const ba = this.lora_B.weight.matmul(this.lora_A.weight); // [out, r]·[r, in] → [out, in]
      const delta = ba.mul(this.scaling);
      ba.dispose();
      return delta;
    });
  }

  /** Adds ΔW into the base weight in place, so forward costs one GEMM; a no-op when merged. */
  merge(): this {
    if (!this.merged) this.#shift(1);
    this.merged = true;
    return this;
  }

  /** Subtracts ΔW from the base weight again (exact up to float rounding); a no-op when unmerged. */
  unmerge(): this {
    if (this.merged) this.#shift(-1);
    this.merged = false;
    return this;
  }

  #shift(sign: 1 | -1): void {
    const delta = this.deltaWeight();
    noGrad(() => {
      const next = sign === 1 ? this.weight.add(delta) : this.weight.sub(delta);
      this.weight.assign(next);
      next.dispose();
    });
    delta.dispose();
  }

  override extraRepr(): string {
    return `${super.extraRepr()}, r=${this.r}, alpha=${this.alpha}, dropout=${this.lora_dropout.p}${this.merged ? ', merged' : ''}`;
  }
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'object') return value.constructor?.name ?? 'an object';
  return typeof value;
}
