// The step loop greedy decoding and sampling share, and the bookkeeping that frees each step's
// superseded state (an old KV cache) as soon as the next one exists.
import { DTypeError, ShapeError, Tensor, ValueError, fmtShape, noGrad, tensor, tidy } from '@qkv/tensor-core';
import type { DecodeOptions, DecodeStepper } from './stepper.js';

/** Every tensor inside a state (plain objects and arrays, as `tidy` walks them). */
export function tensorsIn(value: unknown, out = new Set<Tensor>()): Set<Tensor> {
  if (value instanceof Tensor) out.add(value);
  else if (Array.isArray(value)) for (const v of value) tensorsIn(v, out);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) tensorsIn(v, out);
  return out;
}

/** Disposes the tensors of `old` that `next` no longer uses, except those in `keep`. */
export function releaseState(old: unknown, next: unknown, keep: ReadonlySet<Tensor>): void {
  const used = tensorsIn(next);
  for (const t of tensorsIn(old)) if (!used.has(t) && !keep.has(t)) t.dispose();
}

/** Checks the prompt [B, T0] int32 and the step budget. */
export function checkDecodeOptions(op: string, options: DecodeOptions): { B: number; maxNewTokens: number } {
  const { prompt, maxNewTokens = 32 } = options;
  if (!(prompt instanceof Tensor) || prompt.ndim !== 2 || prompt.shape[1] === 0) {
    throw new ShapeError(`${op}: prompt must be int32 [B, T0] with T0 ≥ 1, got ${prompt instanceof Tensor ? fmtShape(prompt.shape) : typeof prompt}`);
  }
  if (prompt.dtype !== 'int32') throw new DTypeError(`${op}: prompt must be int32, got ${prompt.dtype}`);
  if (!Number.isInteger(maxNewTokens) || maxNewTokens < 0) throw new ValueError(`${op}: maxNewTokens must be a non-negative integer, got ${maxNewTokens}`);
  return { B: prompt.shape[0]!, maxNewTokens };
}

/**
 * Feeds the prompt, then one chosen token per step; `choose` maps logits [N, V] to one token per
 * row. Rows that emitted `eosId` keep emitting it. Returns int32 [B, T0 + n].
 */
export function runDecode<S>(op: string, stepper: DecodeStepper<S>, options: DecodeOptions, choose: (logits: Tensor) => number[]): Tensor {
  const { B, maxNewTokens } = checkDecodeOptions(op, options);
  const { prompt, eosId } = options;
  return tidy(() => noGrad(() => {
    const rows = prompt.toArray() as number[][];
    const done = new Array<boolean>(B).fill(false);
    let state = stepper.init(B);
    const initial = tensorsIn(state).add(prompt); // never dispose what the caller owns
    let input = prompt;
    for (let i = 0; i < maxNewTokens && !done.every(Boolean); i++) {
      const previous = state;
      const { logits, state: next } = tidy(() => stepper.step(input, state)); // frees the step's activations now
      const chosen = choose(logits).map((tok, n) => (done[n] ? eosId! : tok));
      logits.dispose();
      releaseState(previous, next, initial);
      state = next;
      chosen.forEach((tok, n) => {
        rows[n]!.push(tok);
        if (tok === eosId) done[n] = true;
      });
      input = tensor(chosen, { dtype: 'int32', shape: [B, 1] });
    }
    return tensor(rows.flat(), { dtype: 'int32', shape: [B, rows[0]!.length] });
  }));
}
