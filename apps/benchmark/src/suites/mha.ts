// Multi-head self-attention, forward and forward+backward: qkv's MultiheadAttention on each backend
// against the same computation in TensorFlow.js ops and (forward only) as an ONNX graph in ORT.
import { MultiheadAttention } from '@qkv/attention';
import { manualSeed, noGrad, tensor, tidy } from '@qkv/tensor-core';
import type { Tensor } from '@qkv/tensor-core';
import type * as Tf from '@tensorflow/tfjs-core';
import { checkClose, randomArray, scaledTol, time } from '../harness.js';
import type { BenchContext, Measurement } from '../harness.js';
import { mhaOnnx } from '../peers/onnx.js';
import { ortSession } from '../peers/ort.js';
import { tfMha } from '../peers/tfjs-layers.js';
import type { MhaWeights } from '../peers/tfjs-layers.js';
import { inTfScope, useTf } from '../peers/tfjs.js';
import { fromBase64, startTorchPeer, toBase64, torchName } from '../peers/torch.js';
import { clearGrads, gradValues, qkvName, useQkv } from '../qkv.js';

/** What one pass computes: the output y, and after y.backward(g) the gradients of x and in_proj_weight. */
interface MhaResult {
  y: Float32Array;
  dx?: Float32Array;
  dInProj?: Float32Array;
}

/** A MultiheadAttention (batchFirst) built on the active backend with seeded, hence identical, weights. */
function seededMha(E: number, H: number): MultiheadAttention {
  manualSeed(5);
  return new MultiheadAttention(E, H, { batchFirst: true });
}

/** The forward and forward+backward runners of qkv on the active backend. x, g [1, L, E]. */
function qkvRunners(mha: MultiheadAttention, x: Float32Array, g: Float32Array, L: number) {
  const E = mha.embedDim;
  const xt = tensor(x, { shape: [1, L, E], requiresGrad: true });
  const gt = tensor(g, { shape: [1, L, E] });
  const forward = (): MhaResult => ({ y: tidy(() => noGrad(() => mha.forward(xt, xt, xt, { needWeights: false })[0].dataSync() as Float32Array)) });
  const backward = (): MhaResult => {
    const y = tidy(() => {
      const [out] = mha.forward(xt, xt, xt, { needWeights: false });
      out.backward(gt);
      return out.dataSync() as Float32Array;
    });
    const result = { y, dx: gradValues(xt, 'mha backward dx'), dInProj: gradValues(mha.inProjWeight!, 'mha backward in_proj_weight') };
    clearGrads([xt, ...mha.parameters()]);
    return result;
  };
  return { forward, backward, dispose: () => [xt, gt].forEach((t) => t.dispose()) };
}

/** The weights of `mha` as arrays (for the peers). */
function weightsOf(mha: MultiheadAttention): MhaWeights<Float32Array> {
  const read = (t: Tensor | null) => t!.dataSync() as Float32Array;
  return { inProj: read(mha.inProjWeight), inBias: read(mha.inProjBias), outProj: read(mha.outProj.weight), outBias: read(mha.outProj.bias) };
}

/** TensorFlow.js runners on `backend` with the same weights. */
async function tfRunners(backend: 'cpu' | 'wasm', w: MhaWeights<Float32Array>, x: Float32Array, g: Float32Array, L: number, E: number, H: number) {
  const tf = await useTf(backend);
  const tw = { inProj: tf.tensor2d(w.inProj, [3 * E, E]), inBias: tf.tensor1d(w.inBias), outProj: tf.tensor2d(w.outProj, [E, E]), outBias: tf.tensor1d(w.outBias) };
  const tx = tf.tensor3d(x, [1, L, E]);
  const tg = tf.tensor3d(g, [1, L, E]);
  // no tidy: the suite times it inside one engine scope (inTfScope), which tfjs-wasm needs to run at its best
  const forward = (): MhaResult => ({ y: tfMha(tf, tx, tw, H).dataSync() as Float32Array });
  const backward = (): MhaResult =>
    tf.tidy(() => {
      const f = (xx: Tf.Tensor, wIn: Tf.Tensor, bIn: Tf.Tensor, wOut: Tf.Tensor, bOut: Tf.Tensor) => tfMha(tf, xx, { inProj: wIn, inBias: bIn, outProj: wOut, outBias: bOut }, H);
      const [dx, dIn] = tf.grads(f)([tx, tw.inProj, tw.inBias, tw.outProj, tw.outBias], tg);
      return { y: new Float32Array(0), dx: dx!.dataSync() as Float32Array, dInProj: dIn!.dataSync() as Float32Array };
    });
  return { forward, backward, dispose: () => tf.dispose([tx, tg, ...Object.values(tw)]) };
}

/** Checks a pass against the cpu reference: y (forward), or dx and dW_in (backward). Returns max |diff|. */
function check(what: string, got: MhaResult, ref: Required<MhaResult>, pass: 'forward' | 'forward+backward'): number {
  if (pass === 'forward') return checkClose(`${what} y`, got.y, ref.y, scaledTol(ref.y, 1e-4));
  const dx = checkClose(`${what} dx`, got.dx!, ref.dx, scaledTol(ref.dx, 1e-4));
  return Math.max(dx, checkClose(`${what} d in_proj_weight`, got.dInProj!, ref.dInProj, scaledTol(ref.dInProj, 1e-4)));
}

/** The MHA suite: L = 128, 512, 1024 at E = 512, H = 8, B = 1 (quick: L = 16, E = 32, H = 4). */
export async function mhaSuite(ctx: BenchContext): Promise<Measurement[]> {
  const [E, H] = ctx.quick ? [32, 4] : [512, 8];
  const out: Measurement[] = [];
  const torch = await startTorchPeer(ctx);
  for (const L of ctx.quick ? [16] : ctx.small ? [128] : [128, 512, 1024]) {
    const x = randomArray(L * E, 11);
    const g = randomArray(L * E, 12);
    await useQkv('cpu', 1);
    const cpu = qkvRunners(seededMha(E, H), x, g, L);
    const ref = { ...cpu.backward(), y: cpu.forward().y } as Required<MhaResult>;
    cpu.dispose();
    const flops = 2 * L * E * 4 * E + 4 * L * L * E; // projections + scores + weighted sum
    const add = (system: string, pass: 'forward' | 'forward+backward', t: Awaited<ReturnType<typeof time>>, diff: number) =>
      out.push({ suite: 'mha', case: `${pass} L=${L}`, system, ...t, work: { amount: pass === 'forward' ? flops : 3 * flops, unit: 'GFLOPS' }, maxAbsDiff: diff });
    const measure = async (system: string, runners: { forward: () => MhaResult; backward: () => MhaResult }, passes: ('forward' | 'forward+backward')[]) => {
      for (const pass of passes) {
        const runner = pass === 'forward' ? runners.forward : runners.backward;
        const diff = check(`mha ${pass} L=${L} ${system}`, runner(), ref, pass);
        add(system, pass, await time(runner, ctx.quick, { minRuns: 3 }), diff);
      }
    };
    for (const backend of ctx.backends) {
      if (backend === 'cpu' && L > 128 && !ctx.quick) continue; // seconds per run
      for (const threads of backend === 'wasm' ? [...new Set([1, ctx.threads])] : [1]) {
        await useQkv(backend, threads);
        const runners = qkvRunners(seededMha(E, H), x, g, L);
        await measure(qkvName(backend, threads), runners, ['forward', 'forward+backward']);
        runners.dispose();
      }
    }
    await useQkv('cpu', 1);
    const w = weightsOf(seededMha(E, H));
    for (const backend of ['cpu', 'wasm'] as const) {
      if (backend === 'cpu' && L > 512 && !ctx.quick) continue; // tfjs-cpu: many seconds per run
      const runners = await tfRunners(backend, w, x, g, L, E, H);
      await inTfScope(() => measure(`tfjs-${backend}`, runners, backend === 'cpu' && L > 128 && !ctx.quick ? ['forward'] : ['forward', 'forward+backward']));
      runners.dispose();
    }
    for (const system of ['onnxruntime-node', 'onnxruntime-web'] as const) {
      const session = await ortSession(system, mhaOnnx(L, E, H, w));
      const y = await session.run(x, [1, L, E]);
      const diff = check(`mha forward L=${L} ${system}`, { y }, ref, 'forward');
      out.push({ suite: 'mha', case: `forward L=${L}`, system, ...(await time(() => session.run(x, [1, L, E]), ctx.quick, { minRuns: 3 })), work: { amount: flops, unit: 'GFLOPS' }, maxAbsDiff: diff });
      await session.release();
    }
    for (const threads of torch ? [...new Set([1, ctx.threads])] : []) {
      const weights = { in_proj: toBase64(w.inProj), in_bias: toBase64(w.inBias), out_proj: toBase64(w.outProj), out_bias: toBase64(w.outBias) };
      for (const pass of ['forward', 'forward+backward'] as const) {
        const r = await torch!.call<{ y?: string; dx?: string; d_in_proj?: string }>({ op: 'mha', L, E, H, ...weights, x: toBase64(x), g: toBase64(g), pass, threads });
        const { y, dx, d_in_proj: dIn, ...timing } = r;
        const got: MhaResult = pass === 'forward' ? { y: fromBase64(y!) } : { y: new Float32Array(0), dx: fromBase64(dx!), dInProj: fromBase64(dIn!) };
        add(torchName(threads), pass, timing, check(`mha ${pass} L=${L} ${torchName(threads)}`, got, ref, pass));
      }
    }
  }
  torch?.close();
  return out;
}
