// Emitters of transformer's layers and stacks on batch-first values [N, len, E]: post-norm or
// pre-norm residual blocks around MultiheadAttention and the feed-forward, as the modules run them.
import type { TransformerDecoder, TransformerDecoderLayer, TransformerEncoder, TransformerEncoderLayer } from '@qkv/transformer';
import type { GraphBuilder } from '../graph/builder.js';
import { multiheadAttention } from './attention.js';
import type { Keep } from './attention.js';
import { activation, layerNorm, linear } from './layers.js';
import type { ActivationKind } from './layers.js';

type Layer = TransformerEncoderLayer | TransformerDecoderLayer;

/** Models whose layers hold a function that is a known activation (BERT's gelu_tanh) say so here. */
let activationOverride: ActivationKind | null = null;

/** Runs `fn` with every feed-forward activation taken as `kind`. */
export function withActivation<T>(kind: ActivationKind | null, fn: () => T): T {
  const before = activationOverride;
  activationOverride = kind;
  try {
    return fn();
  } finally {
    activationOverride = before;
  }
}

function feedForward(g: GraphBuilder, layer: Layer, x: string, where: string): string {
  return linear(g, layer.linear2, activation(g, activationOverride ?? layer.options.activation, linear(g, layer.linear1, x), where));
}

/** One encoder layer: x [N, S, E] → y [N, S, E] and the self-attention weights [N, H, S, S]. */
export function encoderLayer(g: GraphBuilder, layer: TransformerEncoderLayer, x: string, keep: Keep | null, where: string): { y: string; probs: string } {
  let probs = '';
  const sa = (h: string) => {
    const r = g.scoped('self_attn', () => multiheadAttention(g, layer.selfAttn, h, h, h, keep, true));
    probs = r.probs;
    return r.out;
  };
  const ff = (h: string) => feedForward(g, layer, h, where);
  const norm = (n: 1 | 2, h: string) => layerNorm(g, n === 1 ? layer.norm1 : layer.norm2, h);
  let y = x;
  if (layer.options.normFirst) {
    y = g.op('Add', [y, sa(norm(1, y))]);
    y = g.op('Add', [y, ff(norm(2, y))]);
  } else {
    y = norm(1, g.op('Add', [y, sa(y)]));
    y = norm(2, g.op('Add', [y, ff(y)]));
  }
  return { y, probs };
}

/** One decoder layer: x [N, T, E], memory [N, S, E] → y, self- [N, H, T, T] and cross-attention [N, H, T, S] weights. */
export function decoderLayer(g: GraphBuilder, layer: TransformerDecoderLayer, x: string, memory: string, selfKeep: Keep | null, crossKeep: Keep | null, where: string): { y: string; selfProbs: string; crossProbs: string } {
  const probs = { self: '', cross: '' };
  const sa = (h: string) => {
    const r = g.scoped('self_attn', () => multiheadAttention(g, layer.selfAttn, h, h, h, selfKeep, true));
    probs.self = r.probs;
    return r.out;
  };
  const ca = (h: string) => {
    const r = g.scoped('multihead_attn', () => multiheadAttention(g, layer.multiheadAttn, h, memory, memory, crossKeep, false));
    probs.cross = r.probs;
    return r.out;
  };
  const ff = (h: string) => feedForward(g, layer, h, where);
  const norms = [layer.norm1, layer.norm2, layer.norm3] as const;
  const blocks = [sa, ca, ff];
  let y = x;
  blocks.forEach((block, i) => {
    y = layer.options.normFirst ? g.op('Add', [y, block(layerNorm(g, norms[i]!, y))]) : layerNorm(g, norms[i]!, g.op('Add', [y, block(y)]));
  });
  return { y, selfProbs: probs.self, crossProbs: probs.cross };
}

/** An encoder stack: x [N, S, E] → y and each layer's weights. */
export function encoderStack(g: GraphBuilder, encoder: TransformerEncoder, x: string, keep: Keep | null, where: string): { y: string; probs: string[] } {
  let y = x;
  const probs = [...encoder.layers].map((layer, i) => g.scoped(`layers.${i}`, () => {
    const r = encoderLayer(g, layer, y, keep, `${where}.layers.${i}`);
    y = r.y;
    return r.probs;
  }));
  return { y: encoder.norm ? layerNorm(g, encoder.norm, y) : y, probs };
}

/** A decoder stack: x [N, T, E], memory [N, S, E] → y and each layer's self- and cross-attention weights. */
export function decoderStack(g: GraphBuilder, decoder: TransformerDecoder, x: string, memory: string, selfKeep: Keep | null, crossKeep: Keep | null, where: string): { y: string; selfProbs: string[]; crossProbs: string[] } {
  let y = x;
  const selfProbs: string[] = [];
  const crossProbs: string[] = [];
  [...decoder.layers].forEach((layer, i) => g.scoped(`layers.${i}`, () => {
    const r = decoderLayer(g, layer, y, memory, selfKeep, crossKeep, `${where}.layers.${i}`);
    y = r.y;
    selfProbs.push(r.selfProbs);
    crossProbs.push(r.crossProbs);
  }));
  return { y: decoder.norm ? layerNorm(g, decoder.norm, y) : y, selfProbs, crossProbs };
}
