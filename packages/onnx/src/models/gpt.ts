// GPT → ONNX: input_ids [batch, sequence] → logits, optionally with the KV-cache signature of the
// Hub's ONNX exports (past_key_values.N.key/value in, present.N.key/value out).
import type { CausalSelfAttention, GPT, RotaryEmbedding } from '@qkv/transformer';
import type { GraphBuilder } from '../graph/builder.js';
import { attend, causalKeep, mergeHeads, splitHeads } from '../emit/attention.js';
import type { Keep } from '../emit/attention.js';
import { embedding, gelu, layerNorm, linear, scalarDimOf } from '../emit/layers.js';
import { rejectOptions } from './options.js';
import type { ModelExporter } from './options.js';

/** RoPE on x [B, H, T, D] at positions `positions` (float [T]). */
function rotate(g: GraphBuilder, rotary: RotaryEmbedding, x: string, positions: string): string {
  const half = rotary.dim / 2;
  const angles = g.op('Mul', [g.op('Unsqueeze', [positions, g.ints([1])]), g.weight(rotary.invFreq)]); // [T, D/2]
  const full = g.op('Concat', [angles, angles], { axis: -1 }); // [T, D]
  const [x1, x2] = g.opN('Split', [x, g.ints([half, half])], 2, { axis: -1 });
  const rotated = g.op('Concat', [g.op('Neg', [x2!]), x1!], { axis: -1 });
  return g.op('Add', [g.op('Mul', [x, g.op('Cos', [full])]), g.op('Mul', [rotated, g.op('Sin', [full])])]);
}

/** One CausalSelfAttention: x [B, T, E] (+ past k/v [B, H, t, D]) → y, present k/v, probs [B, H, T, t + T]. */
function selfAttention(g: GraphBuilder, m: CausalSelfAttention, x: string, past: { k: string; v: string } | null, keep: Keep, positions: string) {
  const E = m.cAttn.weight.shape[1]!;
  const H = m.nHead;
  const D = E / H;
  const [q0, k0, v0] = g.opN('Split', [linear(g, m.cAttn, x), g.ints([E, E, E])], 3, { axis: 2 });
  const heads = (t: string) => splitHeads(g, t, H, D); // [B, T, E] → [B, H, T, D]
  let [q, kNew] = [heads(q0!), heads(k0!)];
  if (m.rotary) [q, kNew] = [rotate(g, m.rotary, q, positions), rotate(g, m.rotary, kNew, positions)];
  const vNew = heads(v0!);
  const k = past ? g.op('Concat', [past.k, kNew], { axis: 2 }) : kNew; // [B, H, t + T, D]
  const v = past ? g.op('Concat', [past.v, vNew], { axis: 2 }) : vNew;
  const { out, probs } = attend(g, q, g.op('Transpose', [k], { perm: [0, 1, 3, 2] }), v, keep, 1 / Math.sqrt(D));
  return { y: linear(g, m.cProj, mergeHeads(g, out, E)), k, v, probs };
}

/**
 * GPT's graph. Inputs: `input_ids` int64 [batch, sequence]; with `kvCache`, `past_key_values.N.key`
 * and `.value` [batch, H, past_sequence, D] (past_sequence may be 0). Outputs: `logits`
 * [batch, sequence, V]; with `kvCache`, `present.N.key/value` [batch, H, past_sequence + sequence, D];
 * with `attentionOutputs`, `attentions.N` [batch, H, sequence, past_sequence + sequence].
 */
export const exportGPT: ModelExporter<GPT> = (g, model, options) => {
  rejectOptions('GPT', options, ['attentionOutputs', 'kvCache']);
  const { nLayer: L, nHead: H, nEmbd: E, vocabSize: V } = model.config;
  const D = E / H;
  const ids = g.input('input_ids', 'int64', ['batch', 'sequence']);
  const pastNames = options.kvCache ? Array.from({ length: L }, (_, l) => ({
    k: g.input(`past_key_values.${l}.key`, 'float32', ['batch', H, 'past_sequence', D]),
    v: g.input(`past_key_values.${l}.value`, 'float32', ['batch', H, 'past_sequence', D]),
  })) : null;
  const { wte, wpe, h, ln_f } = model.transformer;
  const past = pastNames ? scalarDimOf(g, pastNames[0]!.k, 2) : g.ints([0], []);
  const end = g.op('Add', [past, scalarDimOf(g, ids, 1)]);
  const positions = g.op('Range', [past, end, g.ints([1], [])]); // [T] int64: t … t + T − 1
  const tok = g.scoped('transformer.wte', () => embedding(g, wte, ids));
  let x = wpe ? g.op('Add', [tok, g.scoped('transformer.wpe', () => embedding(g, wpe, positions))]) : tok;
  const keep = causalKeep(g, ids, 1, pastNames ? past : null);
  const positionsF = g.op('Cast', [positions], { to: 1 });
  const layers: { k: string; v: string; probs: string }[] = [];
  [...h].forEach((block, l) => g.scoped(`transformer.h.${l}`, () => {
    const a = g.scoped('attn', () => selfAttention(g, block.attn, layerNorm(g, block.ln_1, x), pastNames?.[l] ?? null, keep, positionsF));
    x = g.op('Add', [x, a.y]);
    const m = g.scoped('mlp', () => linear(g, block.mlp.cProj, gelu(g, linear(g, block.mlp.cFc, layerNorm(g, block.ln_2, x)), block.mlp.approximate)));
    x = g.op('Add', [x, m]);
    layers.push(a);
  }));
  g.output(g.scoped('lm_head', () => linear(g, model.lmHead, layerNorm(g, ln_f, x))), 'logits', 'float32', ['batch', 'sequence', V]);
  layers.forEach((a, l) => {
    if (!options.kvCache) return;
    g.output(a.k, `present.${l}.key`, 'float32', ['batch', H, 'total_sequence', D]);
    g.output(a.v, `present.${l}.value`, 'float32', ['batch', H, 'total_sequence', D]);
  });
  if (options.attentionOutputs) layers.forEach((a, l) => g.output(a.probs, `attentions.${l}`, 'float32', ['batch', H, 'sequence', 'total_sequence']));
};
