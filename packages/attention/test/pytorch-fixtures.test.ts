// Golden values computed by PyTorch 2.11 itself (CPU, float64, eval mode, no dropout) with
// tooling/reference-fixtures/make_fixtures.py: F.scaled_dot_product_attention and
// nn.MultiheadAttention outputs, attention weights, and the gradients of sum(output · grad_output)
// with respect to the inputs and to every parameter (keyed by PyTorch's state-dict names).
// qkv computes in float32; the references are float64 rounded to 9 significant digits.
import { describe, expect, it } from 'vitest';
import type { Tensor } from '@qkv/tensor-core';
import { expectClose } from '@qkv/tensor-core/testing';
import type { MultiheadAttention} from '../src/index.js';
import { scaledDotProductAttention } from '../src/index.js';
import type { EncodedArray, MhaCase, SdpaCase } from './helpers.js';
import { buildMha, decode, loadFixture } from './helpers.js';

/** float32 against float64 references. */
const tol = { atol: 2e-5, rtol: 1e-4 };

interface TorchFixture<C> {
  generator: string;
  cases: C[];
}

/** numpy's fields plus PyTorch's gradients of sum(output · grad_output). */
interface TorchSdpaCase extends SdpaCase {
  grad_output: EncodedArray;
  grads: { q: EncodedArray; k: EncodedArray; v: EncodedArray };
}

interface TorchMhaCase extends MhaCase {
  /** one tensor passed as query, key and value */
  self_attention: boolean;
  grad_output: EncodedArray;
  /** query, key, value (the last two absent for self-attention) and 'state_dict.<name>' */
  grads: Record<string, EncodedArray>;
}

const sdpa = loadFixture<TorchFixture<TorchSdpaCase>>('torch/sdpa');
const mha = loadFixture<TorchFixture<TorchMhaCase>>('torch/mha');

/** Fresh leaves that require grad. */
function leaves(...xs: Tensor[]): Tensor[] {
  return xs.map((x) => x.detach().requiresGrad_(true));
}

/** The kernels recorded in the autograd graph that ends at `t`. */
function kernelsOf(t: Tensor): Set<string> {
  const names = new Set<string>();
  const seen = new Set<Tensor>();
  const stack = [t];
  while (stack.length > 0) {
    const x = stack.pop()!;
    if (seen.has(x) || !x.gradFn) continue;
    seen.add(x);
    names.add(x.gradFn.kernelName);
    stack.push(...x.gradFn.inputs);
  }
  return names;
}

describe('the PyTorch fixtures', () => {
  it('come from PyTorch 2.11 in float64 and hold every case with gradients', () => {
    for (const f of [sdpa, mha]) {
      expect(f.generator).toMatch(/^PyTorch 2\.11\..*float64/);
      expect(f.cases.length).toBeGreaterThan(0);
      for (const c of f.cases) expect(Object.keys(c.grads).length).toBeGreaterThan(0);
    }
    expect(sdpa.cases).toHaveLength(5);
    expect(mha.cases).toHaveLength(6);
  });
});

describe('scaledDotProductAttention: golden values and gradients from PyTorch 2.11 (float64)', () => {
  for (const c of sdpa.cases) {
    /** Output, weights (with returnWeights) and q/k/v gradients of Σ output·grad_output. */
    const run = (returnWeights: boolean) => {
      const [q, k, v] = leaves(decode(c.q), decode(c.k), decode(c.v)) as [Tensor, Tensor, Tensor];
      const { output, weights } = scaledDotProductAttention(q, k, v, {
        attnMask: c.attn_mask ? decode(c.attn_mask) : null,
        isCausal: c.is_causal ?? false,
        scale: c.scale ?? null,
        returnWeights,
      });
      const kernel = output.gradFn?.kernelName;
      output.mul(decode(c.grad_output)).sum().backward();
      return { output, weights, grads: { q: q.grad!, k: k.grad!, v: v.grad! }, kernel };
    };
    let unfused: ReturnType<typeof run> | undefined;
    const withWeights = () => (unfused ??= run(true)); // one run, read by three tests

    it(`'${c.name}': output and weights match PyTorch`, () => {
      const { output, weights } = withWeights();
      expectClose(output, decode(c.output), tol);
      expectClose(weights!, decode(c.weights), tol);
    });

    it(`'${c.name}': gradients of q, k and v match PyTorch`, () => {
      const { grads } = withWeights();
      for (const name of ['q', 'k', 'v'] as const) expectClose(grads[name], decode(c.grads[name]), tol);
    });

    it(`'${c.name}': without weights (the fused kernel) output and q, k, v gradients match PyTorch`, () => {
      const { output, weights, grads, kernel } = run(false);
      expect(kernel).toBe('FusedAttention');
      expect(withWeights().kernel).not.toBe('FusedAttention');
      expect(weights).toBeNull();
      expectClose(output, decode(c.output), tol);
      for (const name of ['q', 'k', 'v'] as const) expectClose(grads[name], decode(c.grads[name]), tol);
    });
  }
});

describe('MultiheadAttention: golden values and gradients from PyTorch 2.11 (float64)', () => {
  /** The module a fixture describes, its state dict loaded strictly. */
  function build(c: TorchMhaCase): MultiheadAttention {
    const m = buildMha(c).eval();
    m.loadStateDict(Object.fromEntries(Object.entries(c.state_dict).map(([k, v]) => [k, decode(v)])), { strict: true });
    return m;
  }

  /**
   * Output, weights and the gradients of Σ output·grad_output, keyed as the fixture keys them:
   * query (the total gradient when one tensor is query, key and value), key, value, and
   * 'state_dict.<name>' for every parameter.
   */
  function run(c: TorchMhaCase, needWeights: boolean): { output: Tensor; weights: Tensor | null; grads: Record<string, Tensor>; fused: boolean } {
    const m = build(c);
    for (const p of m.parameters()) expect(p.requiresGrad).toBe(true);
    const [query, key, value] = c.self_attention ? leaves(decode(c.query)) : leaves(decode(c.query), decode(c.key), decode(c.value));
    const [output, weights] = m.forward(query!, key ?? query!, value ?? query!, {
      attnMask: c.attn_mask ? decode(c.attn_mask) : null,
      keyPaddingMask: c.key_padding_mask ? decode(c.key_padding_mask) : null,
      averageAttnWeights: c.forward.average_attn_weights ?? true,
      needWeights,
    });
    const fused = kernelsOf(output).has('FusedAttention');
    output.mul(decode(c.grad_output)).sum().backward();
    const grads: Record<string, Tensor> = { query: query!.grad! };
    if (!c.self_attention) Object.assign(grads, { key: key!.grad!, value: value!.grad! });
    for (const [name, p] of m.namedParameters()) grads[`state_dict.${name}`] = p.grad!;
    return { output, weights, grads, fused };
  }

  /** Every gradient the fixture holds, and no other. */
  function expectGrads(c: TorchMhaCase, grads: Record<string, Tensor>): void {
    expect(Object.keys(grads).sort()).toEqual(Object.keys(c.grads).sort());
    for (const [name, expected] of Object.entries(c.grads)) {
      expect(grads[name], name).toBeDefined();
      expectClose(grads[name]!, decode(expected), tol, name);
    }
  }

  for (const c of mha.cases) {
    let unfused: ReturnType<typeof run> | undefined;
    const withWeights = () => (unfused ??= run(c, true)); // one run, read by two tests

    it(`'${c.name}': loads PyTorch's state dict strictly; output and weights match PyTorch`, () => {
      const { output, weights, fused } = withWeights();
      expect(fused).toBe(false);
      expectClose(output, decode(c.output), tol);
      expectClose(weights!, decode(c.weights), tol);
    });

    it(`'${c.name}': gradients of the inputs and of every parameter match PyTorch`, () => {
      expectGrads(c, withWeights().grads);
    });

    it(`'${c.name}': with needWeights false (the fused kernel) output and every gradient match PyTorch`, () => {
      const { output, weights, grads, fused } = run(c, false);
      expect(fused).toBe(true);
      expect(weights).toBeNull();
      expectClose(output, decode(c.output), tol);
      expectGrads(c, grads);
    });
  }
});
