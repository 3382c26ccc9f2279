// Seeded random numbers: a xoshiro128** generator with serialisable state, and the random ops.
import { allocArray } from '../dtype.js';
import type { DType } from '../dtype.js';
import { makeTensor } from '../engine.js';
import { ValueError } from '../errors.js';
import { checkShape, sizeOf } from '../shape.js';
import type { Tensor } from '../tensor.js';
import type { CreateOptions } from './creation.js';

/**
 * A seedable pseudo-random generator (xoshiro128**, seeded through splitmix32). Its state can be
 * saved in a checkpoint and restored, so a resumed run draws the same numbers.
 * @example const g = new Generator(42); g.next() // uniform in [0, 1)
 */
export class Generator {
  private s = new Uint32Array(4);
  private spareNormal: number | null = null;

  constructor(seed = 0) {
    this.manualSeed(seed);
  }

  /** Re-seeds the generator. */
  manualSeed(seed: number): this {
    let x = seed >>> 0;
    for (let i = 0; i < 4; i++) {
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      this.s[i] = (z ^ (z >>> 16)) >>> 0;
    }
    this.spareNormal = null;
    return this;
  }

  /** A uniform 32-bit unsigned integer. */
  nextUint32(): number {
    const s = this.s;
    const result = Math.imul(rotl(Math.imul(s[1]!, 5), 7), 9) >>> 0;
    const t = (s[1]! << 9) >>> 0;
    s[2]! ^= s[0]!;
    s[3]! ^= s[1]!;
    s[1]! ^= s[2]!;
    s[0]! ^= s[3]!;
    s[2]! ^= t;
    s[3] = rotl(s[3]!, 11);
    return result;
  }

  /**
   * Fills `out` with a Bernoulli mask: `value` where the next uniform 32-bit draw is ≥ p·2³² (so
   * with probability 1 − p), else 0, one draw per element in order. The draws and the state after
   * are those of `out.length` calls of `nextUint32()`; keeping the state in locals and comparing in
   * int32 makes it ~2.5× faster than that loop. Dropout draws its masks with it.
   * @param p probability of a 0, in [0, 1]
   * @example defaultGenerator().fillMask(new Float32Array(8), 0.1, 1 / 0.9) // dropout's mask, p = 0.1
   */
  fillMask(out: Float32Array, p: number, value: number): Float32Array {
    if (!(p >= 0 && p <= 1)) throw new ValueError(`Generator.fillMask: p must be in [0, 1], got ${p}`);
    const s = this.s;
    // int32 locals: xor, shifts and imul give the same 32 bits as the unsigned words
    let s0 = s[0]! | 0, s1 = s[1]! | 0, s2 = s[2]! | 0, s3 = s[3]! | 0;
    // u ≥ p·2³² (u unsigned) ⟺ (u ^ 2³¹) ≥ ⌈p·2³²⌉ − 2³¹ (signed); p = 1 keeps nothing
    const t = Math.ceil(p * 4294967296) - 2147483648;
    for (let i = 0; i < out.length; i++) {
      const r = Math.imul(s1, 5);
      const u = Math.imul((r << 7) | (r >>> 25), 9);
      out[i] = (u ^ -2147483648) >= t ? value : 0;
      const x = s1 << 9;
      s2 ^= s0;
      s3 ^= s1;
      s1 ^= s2;
      s0 ^= s3;
      s2 ^= x;
      s3 = (s3 << 11) | (s3 >>> 21);
    }
    s[0] = s0;
    s[1] = s1;
    s[2] = s2;
    s[3] = s3;
    return out;
  }

  /** A uniform float in [0, 1) with 32 random bits. */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** A standard normal sample (Box–Muller, the second value cached). */
  normal(): number {
    if (this.spareNormal !== null) {
      const v = this.spareNormal;
      this.spareNormal = null;
      return v;
    }
    let u = 0;
    while (u === 0) u = this.next();
    const v = this.next();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spareNormal = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /**
   * The state, for checkpoints: four 32-bit words, then 1 and the cached normal sample, or 0 and 0.
   * Plain finite numbers, so it survives JSON.
   */
  getState(): number[] {
    return [...this.s, this.spareNormal === null ? 0 : 1, this.spareNormal ?? 0];
  }

  /** Restores a state from `getState()`. */
  setState(state: readonly (number | null)[]): this {
    if (state.length !== 6 || state.some((v) => typeof v !== 'number' || !Number.isFinite(v))) {
      throw new ValueError(`Generator.setState: expected 6 finite numbers from getState(), got [${state.join(',')}]`);
    }
    for (let i = 0; i < 4; i++) this.s[i] = state[i]! >>> 0;
    this.spareNormal = state[4] === 1 ? state[5]! : null;
    return this;
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

const DEFAULT_KEY = Symbol.for('@qkv/tensor-core/default-generator');
const holder = globalThis as unknown as Record<symbol, Generator | undefined>;

/** The generator used when an op is not given one. */
export function defaultGenerator(): Generator {
  return (holder[DEFAULT_KEY] ??= new Generator(0));
}

/**
 * Seeds the default generator (PyTorch's `torch.manual_seed`).
 * @example manualSeed(42)
 */
export function manualSeed(seed: number): void {
  defaultGenerator().manualSeed(seed);
}

/** Options of the random ops. */
export interface RandomOptions extends CreateOptions {
  generator?: Generator;
}

function fill(shape: readonly number[], dtype: DType, draw: () => number, options: RandomOptions): Tensor {
  const s = checkShape('random', shape);
  const out = allocArray(dtype, sizeOf(s));
  for (let i = 0; i < out.length; i++) out[i] = draw();
  const t = makeTensor(out, s, dtype);
  if (options.requiresGrad) t.requiresGrad_(true);
  return t;
}

/**
 * Uniform samples in [0, 1). @example rand([2, 3], { generator: new Generator(1) })
 */
export function rand(shape: readonly number[], options: RandomOptions = {}): Tensor {
  const g = options.generator ?? defaultGenerator();
  return fill(shape, 'float32', () => g.next(), options);
}

/** Standard normal samples. @example randn([4, 4]) */
export function randn(shape: readonly number[], options: RandomOptions = {}): Tensor {
  const g = options.generator ?? defaultGenerator();
  return fill(shape, 'float32', () => g.normal(), options);
}

/**
 * Uniform integers in [low, high) (`torch.randint`), int32.
 * @example randint(0, 10, [5])
 */
export function randint(low: number, high: number, shape: readonly number[], options: RandomOptions = {}): Tensor {
  if (!Number.isInteger(low) || !Number.isInteger(high) || high <= low) {
    throw new ValueError(`randint: need integers low < high, got ${low} and ${high}`);
  }
  const g = options.generator ?? defaultGenerator();
  return fill(shape, 'int32', () => low + Math.floor(g.next() * (high - low)), { ...options, requiresGrad: false });
}

/**
 * A random permutation of 0..n-1 (Fisher–Yates), int32.
 * @example randperm(5)
 */
export function randperm(n: number, options: RandomOptions = {}): Tensor {
  if (!Number.isInteger(n) || n < 0) throw new ValueError(`randperm: n must be a non-negative integer, got ${n}`);
  const g = options.generator ?? defaultGenerator();
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(g.next() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return makeTensor(out, [n], 'int32');
}
