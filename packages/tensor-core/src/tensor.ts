// The Tensor: shape, dtype, backend storage and autograd state. Methods are one-line delegations
// to the ops, so `x.matmul(w)` and `matmul(x, w)` are the same call. This file imports no op and
// no engine code: wire.ts hands it the ops (`setOpHandler`, as TensorFlow.js does) and the engine
// its memory tracker (`setTensorTracker`), so tensor-core's imports form no loop.
import type { Storage } from './backend.js';
import type { DType, TypedArray } from './dtype.js';
import { BackendError } from './errors.js';
import type { BackwardOptions, GradNode } from './autograd/tape.js';
import { sizeOf } from './shape.js';
import type * as OpsModule from './ops/index.js';

/** What `Tensor`'s methods delegate to: every op, plus autograd's `backward`. */
export type OpHandler = typeof OpsModule & { backward(root: Tensor, gradient?: Tensor, options?: BackwardOptions): void };

/** What `dispose()` and `assign()` tell the engine (live-tensor and storage accounting). */
export interface TensorTracker {
  releaseStorage(storage: Storage): void;
  onTensorDisposed(t: Tensor): void;
}

function notInstalled(what: string): never {
  throw new BackendError(`Tensor: ${what} not installed; import '@qkv/tensor-core' rather than its internal modules`);
}

let ops: OpHandler = new Proxy({} as OpHandler, { get: () => notInstalled('the ops are') });
let tracker: TensorTracker = { releaseStorage: () => notInstalled('the engine is'), onTensorDisposed: () => notInstalled('the engine is') };

/** Installs the ops that Tensor's methods call (once, from wire.ts). */
export function setOpHandler(handler: OpHandler): void {
  ops = handler;
}

/** Installs the engine's memory tracker (once, from engine.ts). */
export function setTensorTracker(t: TensorTracker): void {
  tracker = t;
}

/** A value an op accepts where a tensor is expected: a tensor, or a number that broadcasts. */
export type TensorLike = Tensor | number | boolean;

/** Nested JavaScript arrays, as returned by `toArray()`. */
export type NestedArray = number | boolean | NestedArray[];

/**
 * An n-dimensional array with a dtype, living on a backend, optionally tracked by autograd.
 * Create tensors with `tensor`, `zeros`, `randn`, …, not with `new`.
 */
export class Tensor {
  /** Set by the autograd tape on tensors computed from inputs that require grad. */
  gradFn: GradNode | null = null;
  /** Accumulated gradient after `backward()` (leaves, and tensors that called `retainGrad()`). */
  grad: Tensor | null = null;
  /** Whether operations on this tensor are recorded for autograd. */
  requiresGrad = false;
  /** Set by `retainGrad()`: keep `.grad` on this non-leaf tensor. */
  retainsGrad = false;
  /** Set by `dispose()`; a disposed tensor cannot be used. */
  isDisposed = false;
  readonly shape: number[];

  /** @internal Use the creation functions. */
  constructor(
    readonly id: number,
    public storage: Storage,
    shape: readonly number[],
    readonly dtype: DType,
  ) {
    this.shape = [...shape];
  }

  /** Number of dimensions. */
  get ndim(): number {
    return this.shape.length;
  }
  /** Number of elements. */
  get size(): number {
    return sizeOf(this.shape);
  }
  /** Name of the backend holding the data. */
  get backend(): string {
    return this.storage.backend.name;
  }
  /** True for tensors created by the user (not by an op recorded on the tape). */
  get isLeaf(): boolean {
    return this.gradFn === null;
  }

  /** @internal Throws if the tensor was disposed. */
  assertAlive(op: string): void {
    if (this.isDisposed) throw new BackendError(`${op}: tensor #${this.id} ${JSON.stringify(this.shape)} was disposed`);
  }

  // ------------------------------------------------------------ readback and lifetime

  /** Reads the values (a copy), on every backend. */
  async data(): Promise<TypedArray> {
    this.assertAlive('data');
    return this.storage.backend.read(this.storage.handle, this.dtype, this.size);
  }
  /** Reads the values synchronously (a copy); throws on async-only backends such as WebGPU. */
  dataSync(): TypedArray {
    this.assertAlive('dataSync');
    const b = this.storage.backend;
    if (b.asyncOnly) throw new BackendError(`dataSync: backend '${b.name}' can only be read asynchronously; use await t.data()`);
    return b.readSync(this.storage.handle, this.dtype, this.size);
  }
  /** The values as nested arrays (PyTorch's `tolist()`); booleans for bool tensors. */
  toArray(): NestedArray {
    return ops.nest(this.dataSync(), this.shape, this.dtype);
  }
  /** The single value of a one-element tensor. */
  item(): number {
    return ops.item(this);
  }
  /** Frees this tensor's reference to its storage. Safe to call twice. */
  dispose(): void {
    if (this.isDisposed) return;
    this.isDisposed = true;
    tracker.releaseStorage(this.storage);
    tracker.onTensorDisposed(this);
    this.grad?.dispose();
    this.grad = null;
    this.gradFn = null;
  }
  /**
   * Replaces this tensor's values with `value`'s (same shape and dtype), in place and outside autograd;
   * optimizers use it to update parameters. `value` keeps its own storage reference.
   */
  assign(value: Tensor): this {
    ops.assertAssignable(this, value);
    tracker.releaseStorage(this.storage);
    value.storage.refCount++;
    this.storage = value.storage;
    return this;
  }

  // ------------------------------------------------------------ autograd

  /**
   * Computes gradients of this tensor with respect to every leaf that requires grad (accumulated
   * into `.grad`). The graph is freed afterwards, as PyTorch does: a second `backward()` through
   * it throws unless the first passed `{ retainGraph: true }`.
   * @example loss.backward(); loss2.backward(undefined, { retainGraph: true })
   */
  backward(gradient?: Tensor, options?: BackwardOptions): void {
    ops.backward(this, gradient, options);
  }
  /** Sets `requiresGrad` (float tensors only) and returns this tensor. */
  requiresGrad_(flag = true): this {
    ops.setRequiresGrad(this, flag);
    return this;
  }
  /** Keeps `.grad` on this intermediate tensor after `backward()`. */
  retainGrad(): this {
    this.retainsGrad = true;
    return this;
  }
  /** A tensor sharing this data, cut from the autograd graph. */
  detach(): Tensor {
    return ops.detach(this);
  }
  /** A copy with its own storage (recorded by autograd). */
  clone(): Tensor {
    return ops.clone(this);
  }

  // ------------------------------------------------------------ element-wise
  add(other: TensorLike): Tensor { return ops.add(this, other); }
  sub(other: TensorLike): Tensor { return ops.sub(this, other); }
  mul(other: TensorLike): Tensor { return ops.mul(this, other); }
  div(other: TensorLike): Tensor { return ops.div(this, other); }
  pow(exponent: TensorLike): Tensor { return ops.pow(this, exponent); }
  maximum(other: TensorLike): Tensor { return ops.maximum(this, other); }
  minimum(other: TensorLike): Tensor { return ops.minimum(this, other); }
  neg(): Tensor { return ops.neg(this); }
  exp(): Tensor { return ops.exp(this); }
  log(): Tensor { return ops.log(this); }
  sqrt(): Tensor { return ops.sqrt(this); }
  rsqrt(): Tensor { return ops.rsqrt(this); }
  abs(): Tensor { return ops.abs(this); }
  tanh(): Tensor { return ops.tanh(this); }
  sigmoid(): Tensor { return ops.sigmoid(this); }
  relu(): Tensor { return ops.relu(this); }
  gelu(approximate: 'none' | 'tanh' = 'none'): Tensor { return ops.gelu(this, approximate); }
  silu(): Tensor { return ops.silu(this); }
  erf(): Tensor { return ops.erf(this); }
  sin(): Tensor { return ops.sin(this); }
  cos(): Tensor { return ops.cos(this); }
  square(): Tensor { return ops.mul(this, this); }
  clamp(min?: number | null, max?: number | null): Tensor { return ops.clamp(this, min, max); }
  eq(other: TensorLike): Tensor { return ops.eq(this, other); }
  ne(other: TensorLike): Tensor { return ops.ne(this, other); }
  lt(other: TensorLike): Tensor { return ops.lt(this, other); }
  le(other: TensorLike): Tensor { return ops.le(this, other); }
  gt(other: TensorLike): Tensor { return ops.gt(this, other); }
  ge(other: TensorLike): Tensor { return ops.ge(this, other); }
  logicalNot(): Tensor { return ops.logicalNot(this); }
  logicalAnd(other: TensorLike): Tensor { return ops.logicalAnd(this, other); }
  logicalOr(other: TensorLike): Tensor { return ops.logicalOr(this, other); }
  maskedFill(mask: Tensor, value: number): Tensor { return ops.maskedFill(this, mask, value); }
  where(condition: Tensor, other: TensorLike): Tensor { return ops.where(condition, this, other); }
  /** Casts to `dtype` (PyTorch's `.to(dtype)`). */
  to(dtype: DType): Tensor { return ops.cast(this, dtype); }
  float(): Tensor { return ops.cast(this, 'float32'); }
  int(): Tensor { return ops.cast(this, 'int32'); }
  bool(): Tensor { return ops.cast(this, 'bool'); }
  onesLike(): Tensor { return ops.onesLike(this); }
  zerosLike(): Tensor { return ops.zerosLike(this); }

  // ------------------------------------------------------------ reductions
  sum(dim?: number | number[], keepdim = false): Tensor { return ops.sum(this, dim, keepdim); }
  mean(dim?: number | number[], keepdim = false): Tensor { return ops.mean(this, dim, keepdim); }
  max(dim?: number | number[], keepdim = false): Tensor { return ops.max(this, dim, keepdim); }
  min(dim?: number | number[], keepdim = false): Tensor { return ops.min(this, dim, keepdim); }
  argmax(dim?: number, keepdim = false): Tensor { return ops.argmax(this, dim, keepdim); }
  argmin(dim?: number, keepdim = false): Tensor { return ops.argmin(this, dim, keepdim); }
  var(dim?: number | number[], options?: OpsModule.VarOptions): Tensor { return ops.variance(this, dim, options); }
  std(dim?: number | number[], options?: OpsModule.VarOptions): Tensor { return ops.std(this, dim, options); }
  softmax(dim: number): Tensor { return ops.softmax(this, dim); }
  logSoftmax(dim: number): Tensor { return ops.logSoftmax(this, dim); }

  // ------------------------------------------------------------ linear algebra
  matmul(other: Tensor): Tensor { return ops.matmul(this, other); }

  // ------------------------------------------------------------ shapes
  reshape(...shape: number[] | [number[]]): Tensor { return ops.reshape(this, ops.shapeArgs(shape)); }
  view(...shape: number[] | [number[]]): Tensor { return ops.reshape(this, ops.shapeArgs(shape)); }
  flatten(startDim = 0, endDim = -1): Tensor { return ops.flatten(this, startDim, endDim); }
  transpose(dim0: number, dim1: number): Tensor { return ops.transpose(this, dim0, dim1); }
  /** Transpose of a ≤2-d tensor (PyTorch's `.T` / `.t()`). */
  t(): Tensor { return ops.t(this); }
  permute(...dims: number[] | [number[]]): Tensor { return ops.permute(this, ops.shapeArgs(dims)); }
  squeeze(dim?: number): Tensor { return ops.squeeze(this, dim); }
  unsqueeze(dim: number): Tensor { return ops.unsqueeze(this, dim); }
  expand(...shape: number[] | [number[]]): Tensor { return ops.expand(this, ops.shapeArgs(shape)); }
  /** A contiguous copy (tensors are always contiguous here; kept for PyTorch-shaped code). */
  contiguous(): Tensor { return this; }
  split(splitSizeOrSections: number | number[], dim = 0): Tensor[] { return ops.split(this, splitSizeOrSections, dim); }
  chunk(chunks: number, dim = 0): Tensor[] { return ops.chunk(this, chunks, dim); }
  narrow(dim: number, start: number, length: number): Tensor { return ops.narrow(this, dim, start, length); }
  slice(dim: number, start?: number | null, end?: number | null, step = 1): Tensor { return ops.slice(this, dim, start, end, step); }
  /** `x.select(dim, i)`: index one position along `dim`, dropping it. */
  select(dim: number, index: number): Tensor { return ops.select(this, dim, index); }
  gather(dim: number, index: Tensor): Tensor { return ops.gather(this, dim, index); }
  indexSelect(dim: number, index: Tensor): Tensor { return ops.indexSelect(this, dim, index); }
  tril(diagonal = 0): Tensor { return ops.tril(this, diagonal); }
  triu(diagonal = 0): Tensor { return ops.triu(this, diagonal); }

  /** A short description: `Tensor(float32, [2,3], cpu)` plus values for small tensors. */
  toString(): string {
    const head = `Tensor(${this.dtype}, [${this.shape.join(',')}], ${this.backend}${this.requiresGrad ? ', requiresGrad' : ''})`;
    if (this.isDisposed) return `${head} <disposed>`;
    if (this.size > 64 || this.storage.backend.asyncOnly) return head;
    return `${head} ${JSON.stringify(this.toArray())}`;
  }
}
