// Training parity with PyTorch 2.11: eight AdamW steps of Seq2SeqTransformer from the same weights
// on the same batches give the same losses, gradient norms and final logits as PyTorch's own
// nn.Transformer, nn.Embedding, nn.Linear, F.cross_entropy, clip_grad_norm_ and optim.AdamW. The
// reference is fixtures/torch/seq2seq_training.json, computed in float64 by
// tooling/reference-fixtures/make_fixtures.py (`seq2seq_training_case`), whose module has exactly
// qkv's parameter names, so the state dict loads strictly. This is the whole training step at once:
// embeddings scaled by √d_model, the sinusoidal table, padding and causal masks, every layer's
// backward pass, label smoothing with ignored padding, clipping and the optimizer update.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AdamW, clipGradNorm, crossEntropy } from '@qkv/nn';
import { expectClose } from '@qkv/tensor-core/testing';
import { Seq2SeqTransformer } from '../src/index.js';
import { decode } from './fixtures.js';
import type { Encoded } from './fixtures.js';

interface TrainingFixture {
  generator: string;
  config: {
    src_vocab_size: number;
    tgt_vocab_size: number;
    d_model: number;
    nhead: number;
    num_encoder_layers: number;
    num_decoder_layers: number;
    dim_feedforward: number;
    pad_id: number;
    optimizer: { lr: number; betas: [number, number]; eps: number; weight_decay: number };
    label_smoothing: number;
    clip_grad_norm: number;
    steps: number;
  };
  state_dict: Record<string, Encoded>;
  batches: { src: Encoded; tgt: Encoded }[];
  losses: number[];
  grad_norms: number[];
  final_logits: Encoded;
  final_state_dict: Record<string, Encoded>;
}

const fixture = JSON.parse(readFileSync(new URL('../fixtures/torch/seq2seq_training.json', import.meta.url), 'utf8')) as TrainingFixture;

/** Runs the fixture's training loop in qkv; returns what PyTorch recorded, computed by qkv. */
function train() {
  const c = fixture.config;
  const model = new Seq2SeqTransformer({
    srcVocabSize: c.src_vocab_size, tgtVocabSize: c.tgt_vocab_size, dModel: c.d_model, nhead: c.nhead,
    numEncoderLayers: c.num_encoder_layers, numDecoderLayers: c.num_decoder_layers, dimFeedforward: c.dim_feedforward,
    dropout: 0, padId: c.pad_id, maxLen: 64,
  });
  model.loadStateDict(Object.fromEntries(Object.entries(fixture.state_dict).map(([k, v]) => [k, decode(v)])), { strict: true });
  const o = c.optimizer;
  const opt = new AdamW(model.parameters(), { lr: o.lr, betas: o.betas, eps: o.eps, weightDecay: o.weight_decay });
  const batches = fixture.batches.map((b) => ({ src: decode(b.src), tgt: decode(b.tgt) }));
  const V = c.tgt_vocab_size;
  const losses: number[] = [];
  const norms: number[] = [];
  model.train();
  for (let step = 0; step < c.steps; step++) {
    const { src, tgt } = batches[step % batches.length]!;
    const T = tgt.shape[1]!;
    const logits = model.forward(src, tgt.narrow(1, 0, T - 1)); // [B, T-1, V]
    const loss = crossEntropy(logits.reshape([-1, V]), tgt.narrow(1, 1, T - 1).reshape([-1]), { ignoreIndex: c.pad_id, labelSmoothing: c.label_smoothing });
    opt.zeroGrad();
    loss.backward();
    norms.push(clipGradNorm(model.parameters(), c.clip_grad_norm));
    opt.step();
    losses.push(loss.item());
  }
  model.eval();
  const { src, tgt } = batches[0]!;
  const finalLogits = model.forward(src, tgt.narrow(1, 0, tgt.shape[1]! - 1));
  return { model, losses, norms, finalLogits };
}

describe(`Seq2SeqTransformer training against PyTorch (${fixture.generator})`, () => {
  const run = train();

  it('has the loss of every step of PyTorch (eight AdamW steps, label smoothing, padding ignored)', () => {
    expect(run.losses).toHaveLength(fixture.losses.length);
    // float32 against float64 over eight steps: the losses agree to about 1e-5 relative
    run.losses.forEach((loss, i) => expect(Math.abs(loss - fixture.losses[i]!)).toBeLessThan(1e-4 * Math.abs(fixture.losses[i]!) + 1e-5));
    expect(run.losses.at(-1)!).toBeLessThan(run.losses[0]! - 0.5); // and it learns: 3.15 → 2.26 in PyTorch
  });

  it('has the global gradient norm of every step before clipping, as clip_grad_norm_ returns it', () => {
    run.norms.forEach((norm, i) => expect(Math.abs(norm - fixture.grad_norms[i]!)).toBeLessThan(2e-4 * fixture.grad_norms[i]! + 1e-5));
  });

  it("ends with PyTorch's weights and PyTorch's logits on the first batch", () => {
    const sd = run.model.stateDict();
    for (const [name, value] of Object.entries(fixture.final_state_dict)) expectClose(sd[name]!, decode(value), { atol: 1e-4, rtol: 1e-3 });
    expectClose(run.finalLogits, decode(fixture.final_logits), { atol: 5e-4, rtol: 1e-3 });
  });
});
