// Typed errors. Every message starts with the op name, then says what was expected and what was got.

/** Base class of every error qkv throws on purpose. */
export class QkvError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** Shapes that do not fit the op: `matmul: inner dimensions must match, got [2,3] and [4,5]`. */
export class ShapeError extends QkvError {}

/** A dtype the op cannot take: `embedding: indices must be int32, got float32`. */
export class DTypeError extends QkvError {}

/** A dimension or index outside its range: `gather: index 7 is out of range for dim 1 of size 5`. */
export class IndexError extends QkvError {}

/** An argument that is neither a shape nor a dtype problem (a negative probability, a bad option). */
export class ValueError extends QkvError {}

/** No kernel for an op on the active backend, and no fallback to `cpu` was possible. */
export class KernelNotFoundError extends QkvError {}

/** Backend problems: unknown backend, sync readback on an async-only backend, a disposed tensor. */
export class BackendError extends QkvError {}

/** Formats a shape the way error messages show it: `[2,3]`. */
export function fmtShape(shape: readonly number[]): string {
  return `[${shape.join(',')}]`;
}
