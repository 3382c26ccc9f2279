// One TransformerEncoderLayer training step (forward, cross-entropy, backward, Adam) in tokens/s:
// qkv's layer on each backend against the same layer in TensorFlow.js ops with tf.train.adam.
import { Adam, crossEntropy } from '@qkv/nn';
import { manualSeed, tensor, tidy } from '@qkv/tensor-core';
import type { Tensor } from '@qkv/tensor-core';
import { TransformerEncoderLayer } from '@qkv/transformer';
import type * as Tf from '@tensorflow/tfjs-core';
import { checkClose, randomArray, scaledTol, time } from '../harness.js';
import type { BenchContext, Measurement } from '../harness.js';
import { tfCrossEntropy, tfEncoderLayer } from '../peers/tfjs-layers.js';
import type { EncoderWeights } from '../peers/tfjs-layers.js';
import { useTf } from '../peers/tfjs.js';
import { fromBase64, startTorchPeer, toBase64, torchName } from '../peers/torch.js';
import { gradValues, qkvName, useQkv } from '../qkv.js';

/** B batch · L length · E dModel · H heads · F feed-forward width. */
interface Dims {
  B: number;
  L: number;
  E: number;
  H: number;
  F: number;
}

/** A training step split so that the first one can be checked: loss + backward, then the update. */
interface Trainer {
  /** Forward and backward; returns the loss and the gradient of linear1.weight [F, E]. */
  lossAndGrad(): { loss: number; grad: Float32Array };
  /** The Adam update with the gradients of the last `lossAndGrad`. */
  update(): void;
  dispose(): void;
}

function qkvTrainer(d: Dims, x: Float32Array, targets: Int32Array): { trainer: Trainer; layer: TransformerEncoderLayer } {
  manualSeed(9);
  const layer = new TransformerEncoderLayer(d.E, d.H, { dimFeedforward: d.F, dropout: 0, batchFirst: true });
  const opt = new Adam(layer.parameters(), { lr: 1e-3 });
  const xt = tensor(x, { shape: [d.B, d.L, d.E] });
  const tt = tensor(targets, { shape: [d.B * d.L], dtype: 'int32' });
  const trainer: Trainer = {
    lossAndGrad: () => {
      const loss = tidy(() => {
        const l = crossEntropy(layer.forward(xt).reshape([d.B * d.L, d.E]), tt); // the E outputs as logits
        l.backward();
        return l.item();
      });
      return { loss, grad: gradValues(layer.linear1.weight, 'encoder linear1.weight') };
    },
    update: () => {
      opt.step();
      opt.zeroGrad();
    },
    dispose: () => [xt, tt].forEach((t) => t.dispose()),
  };
  return { trainer, layer };
}

function weightsOf(layer: TransformerEncoderLayer): EncoderWeights<Float32Array> {
  const read = (t: Tensor | null | undefined) => t!.dataSync() as Float32Array;
  const a = layer.selfAttn;
  return {
    inProj: read(a.inProjWeight), inBias: read(a.inProjBias), outProj: read(a.outProj.weight), outBias: read(a.outProj.bias),
    linear1W: read(layer.linear1.weight), linear1B: read(layer.linear1.bias), linear2W: read(layer.linear2.weight), linear2B: read(layer.linear2.bias),
    norm1W: read(layer.norm1.weight), norm1B: read(layer.norm1.bias), norm2W: read(layer.norm2.weight), norm2B: read(layer.norm2.bias),
  };
}

async function tfTrainer(d: Dims, w: EncoderWeights<Float32Array>, x: Float32Array, targets: Int32Array): Promise<Trainer> {
  const tf = await useTf('wasm');
  const shapes: Record<keyof EncoderWeights<unknown>, number[]> = {
    inProj: [3 * d.E, d.E], inBias: [3 * d.E], outProj: [d.E, d.E], outBias: [d.E], linear1W: [d.F, d.E], linear1B: [d.F],
    linear2W: [d.E, d.F], linear2B: [d.E], norm1W: [d.E], norm1B: [d.E], norm2W: [d.E], norm2B: [d.E],
  };
  const vars = Object.fromEntries(Object.entries(w).map(([k, v]) => [k, tf.variable(tf.tensor(v, shapes[k as keyof typeof shapes]), true, `enc_${k}`)])) as unknown as EncoderWeights<Tf.Variable>;
  const opt = tf.train.adam(1e-3, 0.9, 0.999, 1e-8);
  const tx = tf.tensor3d(x, [d.B, d.L, d.E]);
  const tt = tf.tensor1d(targets, 'int32');
  let grads: Tf.NamedTensorMap = {};
  return {
    lossAndGrad: () => {
      const { value, grads: g } = tf.variableGrads(() => tfCrossEntropy(tf, tf.reshape(tfEncoderLayer(tf, tx, vars, d.H), [d.B * d.L, d.E]), tt));
      grads = g;
      const loss = value.dataSync()[0]!;
      value.dispose();
      return { loss, grad: g[vars.linear1W.name]!.dataSync() as Float32Array };
    },
    update: () => {
      opt.applyGradients(grads as Record<string, Tf.Variable>); // the gradients of variables, by variable name
      tf.dispose(Object.values(grads));
    },
    dispose: () => tf.dispose([tx, tt, opt, ...Object.values(vars)]),
  };
}

/** Encoder train step at B = 2, L = 128, E = 512, H = 8, F = 2048 (quick: tiny). */
export async function encoderSuite(ctx: BenchContext): Promise<Measurement[]> {
  const d: Dims = ctx.quick ? { B: 2, L: 8, E: 32, H: 4, F: 64 } : { B: 2, L: 128, E: 512, H: 8, F: 2048 };
  const x = randomArray(d.B * d.L * d.E, 21).map((v) => v * 2);
  const targets = Int32Array.from(randomArray(d.B * d.L, 22), (v) => Math.floor((v + 0.5) * d.E));
  await useQkv('cpu', 1);
  const cpu = qkvTrainer(d, x, targets);
  const w = weightsOf(cpu.layer);
  const first = cpu.trainer.lossAndGrad();
  cpu.trainer.update();
  const second = cpu.trainer.lossAndGrad().loss; // after one Adam step
  cpu.trainer.dispose();
  const out: Measurement[] = [];
  const measure = async (system: string, trainer: Trainer) => {
    const got = trainer.lossAndGrad();
    let diff = checkClose(`encoder ${system} loss`, [got.loss], [first.loss], 1e-4 * first.loss);
    diff = Math.max(diff, checkClose(`encoder ${system} d linear1.weight`, got.grad, first.grad, scaledTol(first.grad, 1e-4)));
    trainer.update();
    // Adam's first step is ≈ lr·sign(g): a gradient at rounding level may flip sign, so the loss after it is checked looser
    diff = Math.max(diff, checkClose(`encoder ${system} loss after one Adam step`, [trainer.lossAndGrad().loss], [second], 1e-3 * second));
    trainer.update();
    const step = () => {
      trainer.lossAndGrad();
      trainer.update();
    };
    out.push({ suite: 'encoder', case: `train step B=${d.B} L=${d.L} E=${d.E}`, system, ...(await time(step, ctx.quick, { minRuns: 3 })), work: { amount: d.B * d.L, unit: 'tokens/s' }, maxAbsDiff: diff });
    trainer.dispose();
  };
  for (const backend of ctx.backends) {
    for (const threads of backend === 'wasm' ? [...new Set([1, ctx.threads])] : [1]) {
      await useQkv(backend, threads);
      await measure(qkvName(backend, threads), qkvTrainer(d, x, targets).trainer);
    }
  }
  await measure('tfjs-wasm', await tfTrainer(d, w, x, targets));
  const torch = await startTorchPeer(ctx);
  for (const threads of torch ? [...new Set([1, ctx.threads])] : []) {
    const weights = Object.fromEntries(Object.entries(w).map(([k, v]) => [k, toBase64(v)]));
    const r = await torch!.call<{ loss: number; grad: string; loss_after: number }>({ op: 'encoder', ...d, weights, x: toBase64(x), targets: toBase64(targets), threads });
    const { loss, grad, loss_after: after, ...timing } = r;
    const system = torchName(threads);
    let diff = checkClose(`encoder ${system} loss`, [loss], [first.loss], 1e-4 * first.loss);
    diff = Math.max(diff, checkClose(`encoder ${system} d linear1.weight`, fromBase64(grad), first.grad, scaledTol(first.grad, 1e-4)));
    diff = Math.max(diff, checkClose(`encoder ${system} loss after one Adam step`, [after], [second], 1e-3 * second));
    out.push({ suite: 'encoder', case: `train step B=${d.B} L=${d.L} E=${d.E}`, system, ...timing, work: { amount: d.B * d.L, unit: 'tokens/s' }, maxAbsDiff: diff });
  }
  torch?.close();
  return out;
}
