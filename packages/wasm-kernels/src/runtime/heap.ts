// A size-class allocator over one WebAssembly.Memory. Freed blocks are reused exactly when the
// same size comes back (a training loop repeats its sizes); otherwise a larger free block is split,
// and before the heap grows, adjacent free blocks are merged (and the top given back), so batches
// of varying sequence length do not fragment the heap into gigabytes.
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
  /** Free blocks by exact block size (a multiple of 16). */
  private readonly free_ = new Map<number, number[]>();
  /** Bytes in free blocks. */
  private freeBytes = 0;
  /** Bytes currently handed out (by size class). */
  inUse = 0;
  /** Memory at and above this address was never handed out, so it still reads as zeros. */
  private pristine: number;

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
    this.pristine = this.top;
  }

  /** Returns a 16-byte aligned block of at least `bytes` bytes, growing memory if needed. */
  alloc(bytes: number): number {
    const size = sizeClass(bytes);
    this.inUse += size;
    const ptr = this.takeFree(size);
    if (ptr !== undefined) return ptr;
    // Before growing, merge neighbouring free blocks when enough memory sits free to matter.
    if (this.freeBytes >= Math.max(size, 8 * 2 ** 20)) {
      this.coalesce();
      const merged = this.takeFree(size);
      if (merged !== undefined) return merged;
    }
    return this.bump(size, bytes);
  }

  /**
   * `alloc` for a block that must read as zeros. WebAssembly memory grows zero-filled and the OS maps
   * untouched pages lazily, so a block from memory never handed out is left untouched (it takes no
   * resident memory until written); only the part of a reused block below that mark is cleared.
   * A model built with placeholder zeros (`skipInit`) then loaded costs the weights once, not twice.
   */
  allocZeroed(bytes: number): number {
    const untouched = this.pristine;
    const ptr = this.alloc(bytes);
    const end = Math.min(ptr + sizeClass(bytes), untouched);
    if (end > ptr) new Uint8Array(this.memory.buffer, ptr, end - ptr).fill(0);
    return ptr;
  }

  /** Returns the block at `ptr` (allocated for `bytes` bytes) to the free lists. */
  free(ptr: number, bytes: number): void {
    const size = sizeClass(bytes);
    this.inUse -= size;
    this.pushFree(ptr, size);
  }

  /** Total bytes the memory spans now. */
  get capacity(): number {
    return this.memory.buffer.byteLength;
  }

  private pushFree(ptr: number, size: number): void {
    let list = this.free_.get(size);
    if (!list) this.free_.set(size, (list = []));
    list.push(ptr);
    this.freeBytes += size;
  }

  /** An exact-size free block, else the smallest larger one, split (the rest stays free). */
  private takeFree(size: number): number | undefined {
    const exact = this.free_.get(size);
    if (exact && exact.length > 0) {
      this.freeBytes -= size;
      return exact.pop();
    }
    let best = Infinity;
    for (const [s, list] of this.free_) if (s > size && s < best && list.length > 0) best = s;
    if (best === Infinity) return undefined;
    const ptr = this.free_.get(best)!.pop()!;
    this.freeBytes -= best;
    if (best > size) this.pushFree(ptr + size, best - size);
    return ptr;
  }

  /** Merges adjacent free blocks and lowers the top when the last block is free. */
  private coalesce(): void {
    const blocks: [number, number][] = [];
    for (const [s, list] of this.free_) for (const p of list) blocks.push([p, s]);
    blocks.sort((a, b) => a[0] - b[0]);
    this.free_.clear();
    this.freeBytes = 0;
    const merged: [number, number][] = [];
    for (const [p, s] of blocks) {
      const last = merged[merged.length - 1];
      if (last && last[0] + last[1] === p) last[1] += s;
      else merged.push([p, s]);
    }
    const tail = merged[merged.length - 1];
    if (tail && tail[0] + tail[1] === this.top) {
      this.top = tail[0];
      merged.pop();
    }
    for (const [p, s] of merged) this.pushFree(p, s);
  }

  private bump(size: number, bytes: number): number {
    const ptr = this.top;
    const end = ptr + size;
    const have = this.memory.buffer.byteLength;
    if (end > have) this.grow(end, have, bytes);
    this.top = end;
    this.pristine = Math.max(this.pristine, end);
    return ptr;
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
