// The attributes of every kernel, one interface each (TensorFlow.js's `BatchMatMulAttrs` style), and
// a mapped type from kernel name to attributes, so `runKernel`, kernels and gradients read typed
// fields instead of casting each one. A small schema per kernel checks them at dispatch.
import { dtypes } from './dtype.js';
import type { DType } from './dtype.js';
import type { KernelName } from './kernel-names.js';
import { ValueError } from './errors.js';

/** Kernels that take no attributes (element-wise maths, comparisons, `Where`). */
export type NoAttrs = Record<string, never>;

/** `Gelu`: the exact erf form (default) or PyTorch's tanh approximation. */
export interface GeluAttrs {
  readonly approximate?: 'none' | 'tanh';
}

/** `Cast`: the target dtype (equal to the input's for a copy, as `clone` uses it). */
export interface CastAttrs {
  readonly dtype: DType;
}

/** `Sum`, `Max`, `Min`: the dims reduced (sorted, unique, non-negative) and whether they stay as 1s. */
export interface ReduceAttrs {
  readonly dims: readonly number[];
  readonly keepdim: boolean;
}

/** `ArgMax`, `ArgMin`: one non-negative dim. */
export interface ArgReduceAttrs {
  readonly dim: number;
  readonly keepdim: boolean;
}

/** `Softmax`, `LogSoftmax`: the non-negative dim normalised over. */
export interface SoftmaxAttrs {
  readonly dim: number;
}

/** `BatchMatMul`: op(a)·op(b), op transposing the last two dims when asked. */
export interface BatchMatMulAttrs {
  readonly transposeA: boolean;
  readonly transposeB: boolean;
}

/** `Transpose`: output dim i is input dim `perm[i]`. */
export interface TransposeAttrs {
  readonly perm: readonly number[];
}

/** `Reshape` (a view) and `BroadcastTo` (materialised): the output shape. */
export interface ShapeAttrs {
  readonly shape: readonly number[];
}

/** `Slice`: the window `begin[i] .. begin[i] + size[i]` of every dim. */
export interface SliceAttrs {
  readonly begin: readonly number[];
  readonly size: readonly number[];
}

/** `Pad`: `before[i]`/`after[i]` positions of `value` around every dim. */
export interface PadAttrs {
  readonly before: readonly number[];
  readonly after: readonly number[];
  readonly value: number;
}

/** `Concat`, `Gather`, `ScatterAdd`, `IndexSelect`, `IndexAdd`: the non-negative dim worked along. */
export interface DimAttrs {
  readonly dim: number;
}

/** `LayerNorm`: normalise over the last `normDims` dims with `eps` added to the variance. */
export interface LayerNormAttrs {
  readonly normDims: number;
  readonly eps: number;
}

/** `FusedAttention` and its gradient `FusedAttentionGrad`: the (finite) score scale and top-left-aligned causal hiding. */
export interface FusedAttentionAttrs {
  readonly scale: number;
  readonly causal: boolean;
}

/**
 * `AdamStep`: one Adam/AdamW update at optimizer step `step` (≥ 1) with learning rate `lr`, betas
 * `beta1`, `beta2`, `eps`, and weight decay `weightDecay`, decoupled (AdamW) or added to the gradient.
 */
export interface AdamStepAttrs {
  readonly lr: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  readonly weightDecay: number;
  readonly decoupled: boolean;
  readonly step: number;
}

/** The attributes of each kernel: `KernelAttrs['BatchMatMul']` is `BatchMatMulAttrs`. */
export interface KernelAttrs {
  Neg: NoAttrs; Exp: NoAttrs; Log: NoAttrs; Sqrt: NoAttrs; Rsqrt: NoAttrs; Abs: NoAttrs; Tanh: NoAttrs;
  Sigmoid: NoAttrs; Relu: NoAttrs; Gelu: GeluAttrs; Silu: NoAttrs; Erf: NoAttrs; Sign: NoAttrs; Sin: NoAttrs;
  Cos: NoAttrs; Floor: NoAttrs; LogicalNot: NoAttrs; Cast: CastAttrs; IsNan: NoAttrs;
  Add: NoAttrs; Sub: NoAttrs; Mul: NoAttrs; Div: NoAttrs; Pow: NoAttrs; Maximum: NoAttrs; Minimum: NoAttrs;
  Equal: NoAttrs; NotEqual: NoAttrs; Less: NoAttrs; LessEqual: NoAttrs; Greater: NoAttrs; GreaterEqual: NoAttrs;
  LogicalAnd: NoAttrs; LogicalOr: NoAttrs;
  Where: NoAttrs;
  Sum: ReduceAttrs; Max: ReduceAttrs; Min: ReduceAttrs;
  ArgMax: ArgReduceAttrs; ArgMin: ArgReduceAttrs;
  Softmax: SoftmaxAttrs; LogSoftmax: SoftmaxAttrs;
  BatchMatMul: BatchMatMulAttrs;
  Transpose: TransposeAttrs;
  Reshape: ShapeAttrs; BroadcastTo: ShapeAttrs;
  Slice: SliceAttrs;
  Pad: PadAttrs;
  Concat: DimAttrs; Gather: DimAttrs; ScatterAdd: DimAttrs; IndexSelect: DimAttrs; IndexAdd: DimAttrs;
  LayerNorm: LayerNormAttrs;
  FusedAttention: FusedAttentionAttrs;
  FusedAttentionGrad: FusedAttentionAttrs;
  AdamStep: AdamStepAttrs;
}

// Every kernel name has an entry, and nothing else does (both directions are compile errors).
type Exact<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
const _complete: Exact<keyof KernelAttrs, KernelName> = true;
void _complete;

/** The attributes of kernel `K`. */
export type AttrsOf<K extends KernelName> = KernelAttrs[K];

/**
 * The attributes argument of `runKernel(name, inputs, attrs)`: optional for kernels whose
 * attributes are all optional (`Add`, `Gelu`), required otherwise.
 */
export type AttrsArg<K extends KernelName> = Record<string, never> extends KernelAttrs[K] ? [attrs?: KernelAttrs[K]] : [attrs: KernelAttrs[K]];

// ---------------------------------------------------------------- the dispatch check

/** What one attribute must be: `int` ≥ 0 unless `signed`, `ints` a list of them, `dims` distinct ones. */
type FieldKind = 'dim' | 'count' | 'number' | 'finite' | 'boolean' | 'dims' | 'counts' | 'perm' | 'dtype' | 'approximate';

type Schema<A> = { readonly [P in keyof A]-?: FieldKind };

const none: Schema<NoAttrs> = {};
const reduce: Schema<ReduceAttrs> = { dims: 'dims', keepdim: 'boolean' };
const argReduce: Schema<ArgReduceAttrs> = { dim: 'dim', keepdim: 'boolean' };
const alongDim: Schema<DimAttrs> = { dim: 'dim' };
const shape: Schema<ShapeAttrs> = { shape: 'counts' };

/** The schema of every kernel's attributes; a kernel added without one fails to compile. */
const schemas: { readonly [K in KernelName]: Schema<KernelAttrs[K]> } = {
  Neg: none, Exp: none, Log: none, Sqrt: none, Rsqrt: none, Abs: none, Tanh: none, Sigmoid: none, Relu: none,
  Gelu: { approximate: 'approximate' }, Silu: none, Erf: none, Sign: none, Sin: none, Cos: none, Floor: none,
  LogicalNot: none, Cast: { dtype: 'dtype' }, IsNan: none,
  Add: none, Sub: none, Mul: none, Div: none, Pow: none, Maximum: none, Minimum: none, Equal: none, NotEqual: none,
  Less: none, LessEqual: none, Greater: none, GreaterEqual: none, LogicalAnd: none, LogicalOr: none, Where: none,
  Sum: reduce, Max: reduce, Min: reduce, ArgMax: argReduce, ArgMin: argReduce,
  Softmax: alongDim, LogSoftmax: alongDim,
  BatchMatMul: { transposeA: 'boolean', transposeB: 'boolean' },
  Transpose: { perm: 'perm' },
  Reshape: shape, BroadcastTo: shape,
  Slice: { begin: 'counts', size: 'counts' },
  Pad: { before: 'counts', after: 'counts', value: 'number' },
  Concat: alongDim, Gather: alongDim, ScatterAdd: alongDim, IndexSelect: alongDim, IndexAdd: alongDim,
  LayerNorm: { normDims: 'count', eps: 'number' },
  FusedAttention: { scale: 'finite', causal: 'boolean' },
  FusedAttentionGrad: { scale: 'finite', causal: 'boolean' },
  AdamStep: { lr: 'finite', beta1: 'finite', beta2: 'finite', eps: 'finite', weightDecay: 'finite', decoupled: 'boolean', step: 'count' },
};

const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;

function fits(kind: FieldKind, v: unknown): boolean {
  switch (kind) {
    case 'dim':
    case 'count':
      return isCount(v);
    case 'number':
      return typeof v === 'number';
    case 'finite':
      return typeof v === 'number' && Number.isFinite(v);
    case 'boolean':
      return typeof v === 'boolean';
    case 'counts':
      return Array.isArray(v) && v.every(isCount);
    case 'dims':
      return Array.isArray(v) && v.every(isCount) && new Set(v).size === v.length;
    case 'perm':
      return Array.isArray(v) && v.every((d) => isCount(d) && d < v.length) && new Set(v).size === v.length;
    case 'dtype':
      return typeof v === 'string' && (dtypes as readonly string[]).includes(v);
    case 'approximate':
      return v === undefined || v === 'none' || v === 'tanh';
    default:
      return kind satisfies never;
  }
}

/** True when `name` is a kernel this registry knows (for registrations from untyped code). */
export function isKernelName(name: unknown): name is KernelName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(schemas, name);
}

/**
 * Checks kernel `name`'s attributes against its schema (a few comparisons per call): every field
 * present with the right kind, no unknown field. Ops validate user input first and name the
 * public function; this catches a kernel called directly with attributes that would corrupt memory.
 * @throws ValueError `runKernel(Slice): attribute 'begin' must be non-negative integers, got [-1]`
 */
export function checkAttrs(name: KernelName, attrs: object): void {
  const schema = schemas[name] as Readonly<Record<string, FieldKind>>;
  const record = attrs as Readonly<Record<string, unknown>>;
  for (const key in schema) {
    const kind = schema[key]!;
    if (!fits(kind, record[key])) throw new ValueError(`runKernel(${name}): attribute '${key}' must be ${describe[kind]}, got ${show(record[key])}`);
  }
  for (const key in record) {
    if (!Object.prototype.hasOwnProperty.call(schema, key)) {
      const known = Object.keys(schema);
      throw new ValueError(`runKernel(${name}): unknown attribute '${key}' (expected ${known.length > 0 ? known.join(', ') : 'none'})`);
    }
  }
}

const describe: Record<FieldKind, string> = {
  dim: 'a non-negative integer dim',
  count: 'a non-negative integer',
  number: 'a number',
  finite: 'a finite number',
  boolean: 'a boolean',
  counts: 'non-negative integers',
  dims: 'distinct non-negative integer dims',
  perm: 'a permutation of 0..n-1',
  dtype: `one of ${dtypes.join(', ')}`,
  approximate: "'none' or 'tanh'",
};

function show(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(String).join(',')}]`;
  return typeof v === 'string' ? `'${v}'` : String(v);
}
