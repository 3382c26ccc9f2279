// Packed copies of GEMM B operands that are used more than once (the weights of Linear layers, a
// key matrix reused across decoding steps), as TensorFlow.js's wasm backend keeps XNNPACK's packed
// weights. A tensor's storage never changes once written (optimizers `assign` a new storage), so
// a packed copy stays valid until the storage is disposed, which frees it.
import type { Heap } from './heap.js';

interface Packed {
  key: string;
  ptr: number;
  bytes: number;
}

/** What `lookup` hands a GEMM: where to pack (or read) B, and whether it is already packed. */
export interface CachedPack {
  readonly ptr: number;
  readonly filled: boolean;
}

/**
 * Per-storage packed B panels. The first use of a (storage, layout) pair only remembers it, so
 * activations used once never pay for a cached copy; the second use packs into a block kept until
 * the storage is released.
 */
export class PackCache {
  private readonly packed = new Map<object, Packed>();
  private readonly seen = new WeakMap<object, string>();
  /** Bytes held by packed copies (for tests and `memory()`-style reports). */
  bytes = 0;

  constructor(private readonly heap: Heap) {}

  /**
   * The cached block for `handle` packed with `key` (layout + shape), or a new one to fill when this
   * is the pair's second use; null when the caller should pack into a temporary block.
   */
  lookup(handle: object, key: string, bytes: number): CachedPack | null {
    const hit = this.packed.get(handle);
    if (hit?.key === key) return { ptr: hit.ptr, filled: true };
    if (this.seen.get(handle) !== key) {
      this.seen.set(handle, key);
      return null;
    }
    if (hit) this.release(handle); // same storage, another layout: keep only the latest
    const ptr = this.heap.alloc(bytes);
    this.packed.set(handle, { key, ptr, bytes });
    this.bytes += bytes;
    return { ptr, filled: false };
  }

  /** Frees the packed copy of a storage that is being disposed (no-op when it has none). */
  release(handle: object): void {
    const hit = this.packed.get(handle);
    if (!hit) return;
    this.packed.delete(handle);
    this.heap.free(hit.ptr, hit.bytes);
    this.bytes -= hit.bytes;
  }
}
