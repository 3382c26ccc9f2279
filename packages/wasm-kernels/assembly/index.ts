// The module's exports. Memory is imported (shared in the threaded builds) and managed by the
// TypeScript allocator in src/runtime/heap.ts above `heapBase()`.
export { packAStrips, packBPanels, gemmBatched, gemmBatchedInPlaceA, gemmColumns } from './gemm';
export { unary, binary } from './elementwise';
export { reduceRange, softmax, layerNorm } from './reduce';
export { attentionPackK, attentionPackV, attentionRows, attentionScratchBytes } from './attention';
export { attentionGradHeads, attentionGradRows } from './attention-grad';
export { compare, logicalNot } from './compare';
export { where, cast } from './select';
export { gather, scatterAdd, indexSelect, indexAdd } from './gather';
export { copyStrided, fill } from './copy';
export { adamRange } from './optim';
export { unaryRange, binaryRange, binaryGrid, softmaxRange, layerNormRange, compareRange, whereRange } from './ranges';

/** First byte the TypeScript allocator may use (after static data and the stack). */
export function heapBase(): usize {
  return __heap_base;
}
