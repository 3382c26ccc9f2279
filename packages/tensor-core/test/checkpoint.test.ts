// checkpoint(fn, ...inputs): torch.utils.checkpoint — the same gradients, fewer live tensors.
import { describe, expect, it } from 'vitest';
import { Generator, checkpoint, memory, noGrad, randn, tidy } from '../src/index.js';
import type { Tensor } from '../src/index.js';

/** B batch · C channels: a residual MLP block, [B, C] → [B, C]. */
function block(h: Tensor, w1: Tensor, w2: Tensor): Tensor {
  return h.add(h.matmul(w1).gelu().matmul(w2)); // [B,C]·[C,4C] → [B,4C]·[4C,C] → [B,C]
}

function setup(seed: number, inputRequiresGrad: boolean) {
  const g = new Generator(seed);
  const x = randn([3, 8], { generator: g, requiresGrad: inputRequiresGrad });
  const weights = Array.from({ length: 4 }, () => [randn([8, 32], { generator: g, requiresGrad: true }), randn([32, 8], { generator: g, requiresGrad: true })] as const);
  return { x, weights };
}

function run(useCheckpoint: boolean, inputRequiresGrad = true) {
  const { x, weights } = setup(7, inputRequiresGrad);
  let liveAfterForward = 0;
  tidy(() => {
    let h = x;
    for (const [w1, w2] of weights) h = useCheckpoint ? checkpoint((a: Tensor) => block(a, w1, w2), h) : block(h, w1, w2);
    const loss = h.tanh().sum();
    liveAfterForward = memory().numTensors;
    loss.backward();
  });
  const grads = [x, ...weights.flat()].map((t) => (t.grad ? Array.from(t.grad.dataSync()) : null));
  return { grads, liveAfterForward };
}

describe('checkpoint', () => {
  it('gives exactly the gradients of the plain backward, for the input and every captured parameter', () => {
    const plain = run(false);
    const ckpt = run(true);
    expect(ckpt.grads.every((g) => g !== null)).toBe(true);
    expect(ckpt.grads).toEqual(plain.grads); // bit for bit: the recomputation repeats the same kernels
  });

  it('reaches parameters inside fn when the input needs no gradient (a frozen embedding before the blocks)', () => {
    const plain = run(false, false);
    const ckpt = run(true, false);
    expect(ckpt.grads[0]).toBeNull();
    expect(ckpt.grads.slice(1)).toEqual(plain.grads.slice(1));
    expect(ckpt.grads.slice(1).every((g) => g !== null)).toBe(true);
  });

  it('keeps fewer tensors alive between forward and backward', () => {
    const plain = run(false);
    const ckpt = run(true);
    // plain keeps every block's 4 intermediates (matmul, gelu, matmul, add) for backward; the
    // checkpointed forward keeps one output per block
    expect(ckpt.liveAfterForward).toBeLessThan(plain.liveAfterForward);
    expect(plain.liveAfterForward - ckpt.liveAfterForward).toBeGreaterThanOrEqual(4 * 3);
  });

  it('leaves memory() where it was once the step is over', () => {
    run(true); // warm-up: nothing cached on first use
    const before = memory().numTensors;
    const { x, weights } = setup(3, true);
    const created = memory().numTensors - before;
    tidy(() => {
      const [w1, w2] = weights[0]!;
      checkpoint((a: Tensor) => block(a, w1, w2), x).sum().backward();
    });
    // the leaves created by setup plus their .grad tensors (x, w1, w2), nothing else
    expect(memory().numTensors).toBe(before + created + 3);
  });

  it('records nothing under noGrad, and passes the value through', () => {
    const { x, weights } = setup(5, true);
    const [w1, w2] = weights[0]!;
    const y = noGrad(() => checkpoint((a: Tensor) => block(a, w1, w2), x));
    expect(y.requiresGrad).toBe(false);
    expect(Array.from(y.dataSync())).toEqual(Array.from(noGrad(() => block(x, w1, w2)).dataSync()));
  });
});
