// Gradient checkpointing for the layer stacks and GPT: each layer runs through tensor-core's
// `checkpoint`, so its activations are freed after the forward pass and recomputed in backward.
// The recomputation replays the random draws of the forward (PyTorch's preserve_rng_state), so
// dropout masks match and the gradients equal the plain backward's exactly.
import { Generator, checkpoint, defaultGenerator } from '@qkv/tensor-core';
import type { Tensor } from '@qkv/tensor-core';
import type { Module } from '@qkv/nn';

/** The global generator and every generator a module of `layer` holds (its dropouts'). */
function generatorsOf(layer: Module): Generator[] {
  const found = new Set<Generator>([defaultGenerator()]);
  for (const m of layer.modules()) {
    for (const value of Object.values(m)) if (value instanceof Generator) found.add(value);
  }
  return [...found];
}

/**
 * `fn(...inputs)` through `checkpoint`, with the generators of `layer` rewound to their forward
 * states for the recomputation (and put back afterwards).
 * @example x = checkpointLayer(block, (h) => block.forward(h, null, false).y, x) // [B, T, E]
 */
export function checkpointLayer<A extends Tensor[]>(layer: Module, fn: (...inputs: A) => Tensor, ...inputs: A): Tensor {
  const generators = generatorsOf(layer);
  const forwardStates = generators.map((g) => g.getState());
  let calls = 0;
  const replayed = (...xs: A): Tensor => {
    if (calls++ === 0) return fn(...xs);
    const now = generators.map((g) => g.getState());
    generators.forEach((g, i) => g.setState(forwardStates[i]!));
    try {
      return fn(...xs);
    } finally {
      generators.forEach((g, i) => g.setState(now[i]!));
    }
  };
  return checkpoint(replayed, ...inputs);
}
