// TransformerDecoder: a stack of decoder layers and an optional final LayerNorm (`nn.TransformerDecoder`).
import { Module, ModuleList } from '@qkv/nn';
import type { LayerNorm } from '@qkv/nn';
import { dims, fmtShape, ShapeError, ValueError } from '@qkv/tensor-core';
import type { Tensor } from '@qkv/tensor-core';
import type { DecoderLayerForwardOptions, TransformerDecoderLayer } from './decoder-layer.js';
import { checkpointLayer } from './checkpointing.js';
import { decoderStepMasks } from './kv-cache.js';
import { assertSequence } from './options.js';
import type { DecoderLayerCache } from './kv-cache.js';

/**
 * `numLayers` copies of `decoderLayer` and an optional final `norm`. State dict:
 * `layers.0.self_attn.*`, `layers.0.multihead_attn.*`, …, `norm.weight`.
 * @example
 * const decoder = new TransformerDecoder(new TransformerDecoderLayer(64, 4), 3, { norm: new LayerNorm(64) });
 * const out = decoder.forward(tgt, memory, { tgtMask: causalMask(T) }); // [T, N, 64]
 */
export class TransformerDecoder extends Module {
  readonly numLayers: number;
  layers: ModuleList<TransformerDecoderLayer>;
  norm: LayerNorm | null;
  /** As `TransformerEncoder.gradientCheckpointing`: recompute each layer in backward (training only; default false). */
  gradientCheckpointing = false;

  constructor(decoderLayer: TransformerDecoderLayer, numLayers: number, options: { norm?: LayerNorm | null } = {}) {
    super();
    if (!Number.isInteger(numLayers) || numLayers <= 0) throw new ValueError(`TransformerDecoder: numLayers must be a positive integer, got ${numLayers}`);
    this.numLayers = numLayers;
    this.layers = new ModuleList(Array.from({ length: numLayers }, () => decoderLayer.clone()));
    this.norm = options.norm ?? null;
  }

  /** tgt [T, N, E], memory [S, N, E] (or batch-first) → [T, N, E]. */
  override forward(tgt: Tensor, memory: Tensor, options: DecoderLayerForwardOptions = {}): Tensor {
    let x = tgt;
    for (const layer of this.layers) {
      x = this.gradientCheckpointing && this.training ? checkpointLayer(layer, (h, m) => layer.forward(h, m, options), x, memory) : layer.forward(x, memory, options);
    }
    return this.norm ? this.norm.forward(x) : x;
  }

  /** Every layer's cache for `memory` [S, N, E] (or batch-first) before any target position. */
  cacheMemory(memory: Tensor): DecoderLayerCache[] {
    return [...this.layers].map((layer) => layer.cacheMemory(memory));
  }

  /**
   * Incremental decoding (always causal): the T newest positions `tgt` [T, N, E] (or batch-first)
   * after the t that `cache` holds. `tgtKeyPaddingMask` [N, t + T] covers every position so far,
   * `memoryKeyPaddingMask` [N, S] the source. Returns the output at the new positions and the
   * grown cache; the output equals `forward`'s over all t + T positions with `causalMask(t + T)`.
   */
  forwardWithCache(tgt: Tensor, cache: readonly DecoderLayerCache[], options: { tgtKeyPaddingMask?: Tensor | null; memoryKeyPaddingMask?: Tensor | null } = {}): { output: Tensor; cache: DecoderLayerCache[] } {
    const op = 'TransformerDecoder.forwardWithCache';
    if (cache.length !== this.numLayers) throw new ValueError(`${op}: cache must hold one entry per layer (${this.numLayers}), got ${cache.length}`);
    const first = this.layers.get(0);
    assertSequence(op, 'tgt', tgt, first.dModel, first.options.batchFirst);
    const [d0, d1] = dims(tgt, 3, op, first.options.batchFirst ? 'N, T, E' : 'T, N, E');
    const [N, T] = first.options.batchFirst ? [d0, d1] : [d1, d0];
    const rows = cache[0]!.cross.key.shape[0];
    if (rows !== N) throw new ShapeError(`${op}: tgt must have the cache's ${rows} rows, got tgt ${fmtShape(tgt.shape)}`);
    const t = cache[0]!.self?.key.shape[2] ?? 0; // positions already cached
    const { tgtKeyPaddingMask = null, memoryKeyPaddingMask = null } = options;
    assertMaskShape(op, 'tgtKeyPaddingMask', tgtKeyPaddingMask, [N, t + T], '[N, t + T]');
    assertMaskShape(op, 'memoryKeyPaddingMask', memoryKeyPaddingMask, [N, cache[0]!.cross.key.shape[2]!], '[N, S]');
    const masks = decoderStepMasks(t, T, tgtKeyPaddingMask, memoryKeyPaddingMask);
    let x = tgt;
    const next = [...this.layers].map((layer, l) => {
      const out = layer.forwardWithCache(x, cache[l]!, masks);
      x = out.output;
      return out.cache;
    });
    return { output: this.norm ? this.norm.forward(x) : x, cache: next };
  }

  /** As `forward`, also returning each layer's self- [N, H, T, T] and cross-attention [N, H, T, S] weights. */
  forwardWithAttention(tgt: Tensor, memory: Tensor, options: DecoderLayerForwardOptions = {}): { output: Tensor; selfAttention: Tensor[]; crossAttention: Tensor[] } {
    let x = tgt;
    const selfAttention: Tensor[] = [];
    const crossAttention: Tensor[] = [];
    for (const layer of this.layers) {
      const out = layer.forwardWithAttention(x, memory, options);
      x = out.output;
      selfAttention.push(out.selfAttention);
      crossAttention.push(out.crossAttention);
    }
    return { output: this.norm ? this.norm.forward(x) : x, selfAttention, crossAttention };
  }
}

function assertMaskShape(op: string, name: string, mask: Tensor | null, expected: [number, number], legend: string): void {
  if (mask && (mask.ndim !== 2 || mask.shape[0] !== expected[0] || mask.shape[1] !== expected[1])) {
    throw new ShapeError(`${op}: ${name} must be ${legend} = ${fmtShape(expected)}, got ${fmtShape(mask.shape)}`);
  }
}
