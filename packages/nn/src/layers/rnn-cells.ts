// GRU and LSTM: the one-step equations (PyTorch's exact forms and gate order) and the
// single-step modules GRUCell and LSTMCell.
import { ShapeError, fmtShape, zeros } from '@qkv/tensor-core';
import type { Generator, Tensor } from '@qkv/tensor-core';
import { Module } from '../module.js';
import { affine } from './affine.js';
import { assertLastDim, assertPositiveInt, uniformParameter } from './util.js';

/**
 * One GRU step, gates in PyTorch's order (r, z, n), B batch · H hidden:
 * r = σ(gi_r + W_hr h + b_hr), z = σ(gi_z + W_hz h + b_hz), n = tanh(gi_n + r ⊙ (W_hn h + b_hn)),
 * h' = (1 − z) ⊙ n + z ⊙ h, where gi = W_ih x + b_ih [B, 3H] is computed beforehand.
 */
export function gruStep(gi: Tensor, h: Tensor, weightHh: Tensor, biasHh: Tensor | null): Tensor {
  const gh = affine(h, weightHh, biasHh); // [B, 3H]
  const [ir, iz, inn] = gi.chunk(3, -1) as [Tensor, Tensor, Tensor];
  const [hr, hz, hn] = gh.chunk(3, -1) as [Tensor, Tensor, Tensor];
  const r = ir.add(hr).sigmoid();
  const z = iz.add(hz).sigmoid();
  const n = inn.add(r.mul(hn)).tanh();
  return n.sub(z.mul(n)).add(z.mul(h)); // [B, H]
}

/**
 * One LSTM step, gates in PyTorch's order (i, f, g, o): [i f g o] = gi + W_hh h + b_hh,
 * c' = σ(f) ⊙ c + σ(i) ⊙ tanh(g), h' = σ(o) ⊙ tanh(c'). gi = W_ih x + b_ih [B, 4H].
 */
export function lstmStep(gi: Tensor, h: Tensor, c: Tensor, weightHh: Tensor, biasHh: Tensor | null): [Tensor, Tensor] {
  const gates = gi.add(affine(h, weightHh, biasHh)); // [B, 4H]
  const [i, f, g, o] = gates.chunk(4, -1) as [Tensor, Tensor, Tensor, Tensor];
  const cNext = f.sigmoid().mul(c).add(i.sigmoid().mul(g.tanh()));
  return [o.sigmoid().mul(cNext.tanh()), cNext];
}

/** Options of GRUCell and LSTMCell. */
export interface CellOptions {
  /** Learn `bias_ih` and `bias_hh` (default true). */
  bias?: boolean;
  /** Random source for the initial weights. */
  generator?: Generator;
}

abstract class CellBase extends Module {
  readonly inputSize: number;
  readonly hiddenSize: number;
  weightIh: Tensor;
  weightHh: Tensor;
  biasIh: Tensor | null;
  biasHh: Tensor | null;

  protected constructor(name: string, gates: number, inputSize: number, hiddenSize: number, options: CellOptions) {
    super();
    assertPositiveInt(name, 'inputSize', inputSize);
    assertPositiveInt(name, 'hiddenSize', hiddenSize);
    this.inputSize = inputSize;
    this.hiddenSize = hiddenSize;
    const bound = 1 / Math.sqrt(hiddenSize);
    const g = options.generator;
    this.weightIh = uniformParameter([gates * hiddenSize, inputSize], bound, g);
    this.weightHh = uniformParameter([gates * hiddenSize, hiddenSize], bound, g);
    this.biasIh = options.bias === false ? null : uniformParameter([gates * hiddenSize], bound, g);
    this.biasHh = options.bias === false ? null : uniformParameter([gates * hiddenSize], bound, g);
  }

  /** Checks x [B, in] or [in] and a state [B, H] / [H]; returns the batched forms and whether x was unbatched. */
  protected batched(op: string, x: Tensor, state: Tensor | undefined): [Tensor, Tensor, boolean] {
    if (x.ndim !== 1 && x.ndim !== 2) throw new ShapeError(`${op}: input must be [B, ${this.inputSize}] or [${this.inputSize}], got ${fmtShape(x.shape)}`);
    assertLastDim(op, x, this.inputSize, 'inputSize');
    const unbatched = x.ndim === 1;
    const xb = unbatched ? x.unsqueeze(0) : x;
    const expected = [xb.shape[0]!, this.hiddenSize];
    const s = state ? (unbatched ? state.unsqueeze(0) : state) : zeros(expected);
    if (s.ndim !== 2 || s.shape[0] !== expected[0] || s.shape[1] !== expected[1]) {
      throw new ShapeError(`${op}: hidden state must be ${fmtShape(unbatched ? [this.hiddenSize] : expected)}, got ${fmtShape(state!.shape)}`);
    }
    return [xb, s, unbatched];
  }

  override extraRepr(): string {
    return `${this.inputSize}, ${this.hiddenSize}${this.biasIh ? '' : ', bias=false'}`;
  }
}

/**
 * One GRU step as a module (`nn.GRUCell`). State dict: `weight_ih` [3H, in], `weight_hh` [3H, H],
 * `bias_ih` [3H], `bias_hh` [3H], all from U(±1/√H).
 * @example const cell = new GRUCell(8, 16); h = cell.forward(x, h) // [B, 8], [B, 16] → [B, 16]
 */
export class GRUCell extends CellBase {
  constructor(inputSize: number, hiddenSize: number, options: CellOptions = {}) {
    super('GRUCell', 3, inputSize, hiddenSize, options);
  }

  /** x [B, in] or [in], h [B, H] or [H] (default zeros) → h' of h's shape. */
  override forward(x: Tensor, h?: Tensor): Tensor {
    const [xb, hb, unbatched] = this.batched('GRUCell.forward', x, h);
    const out = gruStep(affine(xb, this.weightIh, this.biasIh), hb, this.weightHh, this.biasHh);
    return unbatched ? out.squeeze(0) : out;
  }
}

/**
 * One LSTM step as a module (`nn.LSTMCell`). State dict: `weight_ih` [4H, in], `weight_hh` [4H, H],
 * `bias_ih` [4H], `bias_hh` [4H], from U(±1/√H).
 * @example const [h1, c1] = cell.forward(x, [h0, c0])
 */
export class LSTMCell extends CellBase {
  constructor(inputSize: number, hiddenSize: number, options: CellOptions = {}) {
    super('LSTMCell', 4, inputSize, hiddenSize, options);
  }

  /** x [B, in] or [in], state [h, c] each [B, H] or [H] (default zeros) → [h', c']. */
  override forward(x: Tensor, state?: [Tensor, Tensor]): [Tensor, Tensor] {
    const [xb, hb, unbatched] = this.batched('LSTMCell.forward', x, state?.[0]);
    const [, cb] = this.batched('LSTMCell.forward', x, state?.[1]);
    const [h, c] = lstmStep(affine(xb, this.weightIh, this.biasIh), hb, cb, this.weightHh, this.biasHh);
    return unbatched ? [h.squeeze(0), c.squeeze(0)] : [h, c];
  }
}
