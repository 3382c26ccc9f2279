// A size-class free-list allocator over one WebAssembly.Memory. Tensors of a training loop
// repeat the same sizes, so freed blocks are reused exactly; the heap only grows.
import { BackendError } from '@qkv/tensor-core';

const PAGE = 65536;
/** Every block is 16-byte aligned so v128 loads and stores never straddle. */
const ALIGN = 16;

/** Rounds a request up to its size class: 16-byte steps to 4 KiB, then eighths of a power of two (≤ 12.5 % waste). */
export function sizeClass(bytes: number): number {
  const n = Math.max(ALIGN, Math.ceil(bytes / ALIGN) * ALIGN);
  if (n <= 4096) return n;
  const step = 2 ** Math.floor(Math.log2(n)) / 8;
  return Math.ceil(n / step) * step;
}

/** The WASM heap: `alloc`/`free` of byte blocks above the module's static data. */
export class Heap {
  private top: number;
  private readonly free_ = new Map<number, number[]>();
  /** Bytes currently handed out (by size class). */
  inUse = 0;

  /**
   * @param memory the module's memory (shared or not)
   * @param base first usable byte (the module's `heapBase()`)
   * @param maxPages the memory's declared maximum, for the error message
   */
  constructor(
    readonly memory: WebAssembly.Memory,
    base: number,
    private readonly maxPages: number,
  ) {
    this.top = Math.ceil(base / ALIGN) * ALIGN;
  }

  /** Returns a 16-byte aligned block of at least `bytes` bytes, growing memory if needed. */
  alloc(bytes: number): number {
    const size = sizeClass(bytes);
    const reuse = this.free_.get(size)?.pop();
    this.inUse += size;
    if (reuse !== undefined) return reuse;
    const ptr = this.top;
    const end = ptr + size;
    const have = this.memory.buffer.byteLength;
    if (end > have) this.grow(end, have, bytes);
    this.top = end;
    return ptr;
  }

  /** Returns the block at `ptr` (allocated for `bytes` bytes) to its free list. */
  free(ptr: number, bytes: number): void {
    const size = sizeClass(bytes);
    this.inUse -= size;
    let list = this.free_.get(size);
    if (!list) this.free_.set(size, (list = []));
    list.push(ptr);
  }

  /** Total bytes the memory spans now. */
  get capacity(): number {
    return this.memory.buffer.byteLength;
  }

  private grow(end: number, have: number, bytes: number): void {
    // grow geometrically (at least 1/4 of the current size) so many small allocations stay cheap
    const need = Math.ceil((end - have) / PAGE);
    const pages = Math.min(Math.max(need, Math.ceil(have / PAGE / 4)), this.maxPages - have / PAGE);
    try {
      if (pages < need) throw new RangeError('over the maximum');
      this.memory.grow(pages);
    } catch {
      const mib = (n: number): string => `${(n / 2 ** 20).toFixed(1)} MiB`;
      throw new BackendError(
        `wasm: out of memory: a block of ${bytes} bytes needs the WebAssembly heap to grow from ${mib(have)} to at least ${mib(end)}, ` +
          `but it cannot (maximum ${mib(this.maxPages * PAGE)}, live tensors ${mib(this.inUse)}); dispose tensors or use tidy()`,
      );
    }
  }
}
