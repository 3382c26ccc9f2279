// Weight initialisation, as `torch.nn.init`: each function overwrites a tensor in place (outside
// autograd) and returns it. Fans follow PyTorch: for [out, in, ...k] fan_in = in·∏k, fan_out = out·∏k.
import { noGrad, rand, randn, tidy, ValueError, fmtShape, full } from '@qkv/tensor-core';
import type { Tensor , Generator} from '@qkv/tensor-core';

/** Options of the random initialisers. */
export interface InitOptions {
  /** Random source; default: tensor-core's global seeded generator (`manualSeed`). */
  generator?: Generator;
}

/** Nonlinearities `calculateGain` knows, as `torch.nn.init.calculate_gain`. */
export type Nonlinearity = 'linear' | 'conv1d' | 'conv2d' | 'sigmoid' | 'tanh' | 'relu' | 'leaky_relu' | 'selu';

/**
 * The recommended gain for a nonlinearity: tanh 5/3, relu √2, leaky_relu √(2/(1+a²)), selu 3/4, else 1.
 * @example calculateGain('leaky_relu', Math.sqrt(5)) // √(1/3), what Linear's default init uses
 */
export function calculateGain(nonlinearity: Nonlinearity, param?: number): number {
  switch (nonlinearity) {
    case 'linear': case 'conv1d': case 'conv2d': case 'sigmoid': return 1;
    case 'tanh': return 5 / 3;
    case 'relu': return Math.sqrt(2);
    case 'leaky_relu': { const a = param ?? 0.01; return Math.sqrt(2 / (1 + a * a)); }
    case 'selu': return 3 / 4;
    default: return nonlinearity satisfies never;
  }
}

/**
 * [fanIn, fanOut] of a weight of shape [out, in, ...kernel] (at least 2-d).
 * @example calculateFanInAndFanOut(randn([3, 4])) // [4, 3]
 */
export function calculateFanInAndFanOut(t: Tensor): [number, number] {
  if (t.ndim < 2) throw new ValueError(`calculateFanInAndFanOut: need a tensor with at least 2 dims, got ${fmtShape(t.shape)}`);
  const receptive = t.shape.slice(2).reduce((a, b) => a * b, 1);
  return [t.shape[1]! * receptive, t.shape[0]! * receptive];
}

let skipping = 0;

/**
 * Runs `fn` (a model's constructor) with every initialiser a no-op and new parameters left as zeros,
 * for a model whose weights are loaded next (PyTorch's `skip_init`): no random draws, and zero pages
 * take no resident memory until the loaded weights replace them.
 * @example const gpt = init.skipInit(() => new GPT(config)); gpt.loadStateDict(weights)
 */
export function skipInit<T>(fn: () => T): T {
  skipping++;
  try {
    return fn();
  } finally {
    skipping--;
  }
}

/** True inside `skipInit` (the layers' own default initialisers ask). */
export function initSkipped(): boolean {
  return skipping > 0;
}

function overwrite(t: Tensor, make: () => Tensor): Tensor {
  if (skipping > 0) return t;
  noGrad(() => {
    const value = tidy(make); // frees make's intermediates (randn, then ·std): a GPT-2 wte is 154 MB each
    t.assign(value);
    value.dispose();
  });
  return t;
}

/** Fills with U(a, b). @example uniform_(w, -0.1, 0.1) */
export function uniform_(t: Tensor, a = 0, b = 1, options: InitOptions = {}): Tensor {
  return overwrite(t, () => rand(t.shape, options).mul(b - a).add(a));
}

/** Fills with N(mean, std²). @example normal_(w, 0, 0.02) */
export function normal_(t: Tensor, mean = 0, std = 1, options: InitOptions = {}): Tensor {
  return overwrite(t, () => randn(t.shape, options).mul(std).add(mean));
}

/** Fills with `value`. */
export function constant_(t: Tensor, value: number): Tensor {
  return overwrite(t, () => full(t.shape, value, { dtype: t.dtype }));
}

/** Fills with zeros. @example zeros_(linear.bias!) */
export function zeros_(t: Tensor): Tensor {
  return constant_(t, 0);
}

/** Fills with ones. */
export function ones_(t: Tensor): Tensor {
  return constant_(t, 1);
}

/** Xavier/Glorot uniform: U(−b, b), b = gain·√(6 / (fan_in + fan_out)). */
export function xavierUniform_(t: Tensor, gain = 1, options: InitOptions = {}): Tensor {
  const [fanIn, fanOut] = calculateFanInAndFanOut(t);
  const bound = gain * Math.sqrt(6 / (fanIn + fanOut));
  return uniform_(t, -bound, bound, options);
}

/** Xavier/Glorot normal: N(0, std²), std = gain·√(2 / (fan_in + fan_out)). */
export function xavierNormal_(t: Tensor, gain = 1, options: InitOptions = {}): Tensor {
  const [fanIn, fanOut] = calculateFanInAndFanOut(t);
  return normal_(t, 0, gain * Math.sqrt(2 / (fanIn + fanOut)), options);
}

/** Options of the Kaiming initialisers (PyTorch's defaults: a = 0, fan_in, leaky_relu). */
export interface KaimingOptions extends InitOptions {
  /** Negative slope of the leaky ReLU after this layer. */
  a?: number;
  mode?: 'fan_in' | 'fan_out';
  nonlinearity?: Nonlinearity;
}

function kaimingStd(t: Tensor, options: KaimingOptions): number {
  const { a = 0, mode = 'fan_in', nonlinearity = 'leaky_relu' } = options;
  const [fanIn, fanOut] = calculateFanInAndFanOut(t);
  return calculateGain(nonlinearity, a) / Math.sqrt(mode === 'fan_in' ? fanIn : fanOut);
}

/**
 * Kaiming/He uniform: U(−b, b), b = gain·√(3 / fan). With `a = √5` it gives U(±1/√fan_in), the
 * default of `nn.Linear`.
 * @example kaimingUniform_(w, { a: Math.sqrt(5) })
 */
export function kaimingUniform_(t: Tensor, options: KaimingOptions = {}): Tensor {
  const bound = Math.sqrt(3) * kaimingStd(t, options);
  return uniform_(t, -bound, bound, options);
}

/** Kaiming/He normal: N(0, (gain / √fan)²). */
export function kaimingNormal_(t: Tensor, options: KaimingOptions = {}): Tensor {
  return normal_(t, 0, kaimingStd(t, options), options);
}
