// Multi-layer, optionally bidirectional GRU and LSTM (PyTorch's `nn.GRU`, `nn.LSTM`): the same
// parameter names, shapes, gate order, state layout and initialisation.
import { cat, dropout, ShapeError, tensor, ValueError, fmtShape, stack, where, zeros } from '@qkv/tensor-core';
import type { Generator, Tensor } from '@qkv/tensor-core';
import { Module } from '../module.js';
import { affine } from './affine.js';
import { gruStep, lstmStep } from './rnn-cells.js';
import { assertPositiveInt, uniformParameter } from './util.js';

/** Options of GRU and LSTM (PyTorch's defaults). */
export interface RNNOptions {
  /** Stacked layers L (default 1). */
  numLayers?: number;
  /** Learn biases (default true). */
  bias?: boolean;
  /** Input and output are [B, T, ·] instead of [T, B, ·] (default false). */
  batchFirst?: boolean;
  /** Dropout on each layer's output except the last, while training (default 0). */
  dropout?: number;
  /** Also run right-to-left and concatenate (default false): D = 2. */
  bidirectional?: boolean;
  /** Random source for the initial weights and the dropout masks. */
  generator?: Generator;
}

interface Weights {
  ih: Tensor;
  hh: Tensor;
  bih: Tensor | null;
  bhh: Tensor | null;
}

/** h (and c) for every layer and direction: [L·D, B, H] each. */
type State = Tensor[];

/** Per-call options of `GRU.forward` and `LSTM.forward`. */
export interface RNNForwardOptions {
  /**
   * The true length of each sequence in the batch, B numbers in 1…T (PyTorch's
   * `pack_padded_sequence(input, lengths, enforce_sorted=False)`): steps at or past a sequence's
   * length do not change its state, their outputs are 0 (as `pad_packed_sequence` pads), and the
   * reverse direction starts at the sequence's last real step. The result for each sequence is
   * then the same as running it alone, whatever its batch-mates' lengths. Default: every sequence
   * is T long.
   */
  lengths?: readonly number[];
}

abstract class RNNBase extends Module {
  readonly inputSize: number;
  readonly hiddenSize: number;
  readonly numLayers: number;
  readonly batchFirst: boolean;
  readonly dropout: number;
  readonly bidirectional: boolean;
  readonly #generator: Generator | undefined;

  protected constructor(readonly mode: 'GRU' | 'LSTM', inputSize: number, hiddenSize: number, options: RNNOptions) {
    super();
    const { numLayers = 1, bias = true, batchFirst = false, dropout: p = 0, bidirectional = false, generator } = options;
    assertPositiveInt(mode, 'inputSize', inputSize);
    assertPositiveInt(mode, 'hiddenSize', hiddenSize);
    assertPositiveInt(mode, 'numLayers', numLayers);
    if (!(p >= 0 && p <= 1)) throw new ValueError(`${mode}: dropout must be in [0, 1], got ${p}`);
    this.inputSize = inputSize;
    this.hiddenSize = hiddenSize;
    this.numLayers = numLayers;
    this.batchFirst = batchFirst;
    this.dropout = p;
    this.bidirectional = bidirectional;
    this.#generator = generator;
    const gates = (mode === 'GRU' ? 3 : 4) * hiddenSize;
    const bound = 1 / Math.sqrt(hiddenSize);
    for (let layer = 0; layer < numLayers; layer++) {
      const layerInput = layer === 0 ? inputSize : hiddenSize * this.numDirections;
      for (const suffix of this.suffixes()) {
        this.registerParameter(`weight_ih_l${layer}${suffix}`, uniformParameter([gates, layerInput], bound, generator));
        this.registerParameter(`weight_hh_l${layer}${suffix}`, uniformParameter([gates, hiddenSize], bound, generator));
        if (bias) {
          this.registerParameter(`bias_ih_l${layer}${suffix}`, uniformParameter([gates], bound, generator));
          this.registerParameter(`bias_hh_l${layer}${suffix}`, uniformParameter([gates], bound, generator));
        }
      }
    }
  }

  /** D: 2 when bidirectional. */
  get numDirections(): number {
    return this.bidirectional ? 2 : 1;
  }

  private suffixes(): string[] {
    return this.bidirectional ? ['', '_reverse'] : [''];
  }

  /** The four tensors of one layer and direction, by PyTorch name. */
  protected weights(layer: number, direction: number): Weights {
    const self = this as unknown as Record<string, Tensor | undefined>;
    const sfx = direction === 1 ? '_reverse' : '';
    return {
      ih: self[`weight_ih_l${layer}${sfx}`]!,
      hh: self[`weight_hh_l${layer}${sfx}`]!,
      bih: self[`bias_ih_l${layer}${sfx}`] ?? null,
      bhh: self[`bias_hh_l${layer}${sfx}`] ?? null,
    };
  }

  /** Input as [T, B, in], and whether it was unbatched. */
  protected timeMajor(op: string, input: Tensor): [Tensor, boolean] {
    if ((input.ndim !== 2 && input.ndim !== 3) || input.shape[input.ndim - 1] !== this.inputSize) {
      const layout = this.batchFirst ? 'B, T' : 'T, B';
      throw new ShapeError(`${op}: input must be [${layout}, ${this.inputSize}] or [T, ${this.inputSize}], got ${fmtShape(input.shape)}`);
    }
    const unbatched = input.ndim === 2;
    const x = unbatched ? input.unsqueeze(1) : this.batchFirst ? input.transpose(0, 1) : input;
    if (x.shape[0] === 0) throw new ShapeError(`${op}: the sequence must have at least one step, got ${fmtShape(input.shape)}`);
    return [x, unbatched];
  }

  /** For `lengths`, one [B, 1] bool mask per step (true inside the sequence); null without lengths. */
  protected stepMasks(op: string, lengths: readonly number[] | undefined, T: number, B: number): Tensor[] | null {
    if (lengths === undefined) return null;
    if (!Array.isArray(lengths) || lengths.length !== B) {
      throw new ShapeError(`${op}: lengths must hold one length per sequence (${B}), got ${Array.isArray(lengths) ? lengths.length : typeof lengths}`);
    }
    for (const [b, n] of lengths.entries()) {
      if (!Number.isInteger(n) || n < 1 || n > T) throw new ValueError(`${op}: lengths[${b}] must be an integer in [1, ${T}], got ${n}`);
    }
    if (lengths.every((n) => n === T)) return null;
    return Array.from({ length: T }, (_, t) => tensor(lengths.map((n) => [t < n]), { dtype: 'bool' }));
  }

  /** Initial states [L·D, B, H], from the caller (checked) or zeros. */
  protected initialState(op: string, given: Tensor | undefined, batch: number, unbatched: boolean, what: string): Tensor {
    const expected = [this.numLayers * this.numDirections, batch, this.hiddenSize];
    if (!given) return zeros(expected);
    const s = unbatched ? given.unsqueeze(1) : given;
    if (s.ndim !== 3 || s.shape.some((d, i) => d !== expected[i])) {
      throw new ShapeError(`${op}: ${what} must be ${fmtShape(unbatched ? [expected[0]!, expected[2]!] : expected)}, got ${fmtShape(given.shape)}`);
    }
    return s;
  }

  /**
   * Runs every layer and direction. `states` holds the initial [L·D, B, H] tensors (h, or h and c);
   * returns the last layer's outputs [T, B, D·H] and the final states, each [L·D, B, H].
   */
  protected run(x: Tensor, states: State, valid: Tensor[] | null): [Tensor, State] {
    const T = x.shape[0]!;
    const finals: Tensor[][] = states.map(() => []);
    let layerInput = x; // [T, B, in]
    for (let layer = 0; layer < this.numLayers; layer++) {
      const outputs: Tensor[] = [];
      for (let dir = 0; dir < this.numDirections; dir++) {
        const w = this.weights(layer, dir);
        const gi = affine(layerInput, w.ih, w.bih); // [T, B, G·H], all steps at once
        let state = states.map((s) => s.select(0, layer * this.numDirections + dir)); // each [B, H]
        const hs = new Array<Tensor>(T);
        for (let k = 0; k < T; k++) {
          const t = dir === 0 ? k : T - 1 - k;
          const git = gi.select(0, t);
          const next = this.mode === 'GRU' ? [gruStep(git, state[0]!, w.hh, w.bhh)] : lstmStep(git, state[0]!, state[1]!, w.hh, w.bhh);
          const keep = valid?.[t]; // [B, 1], true while step t is inside the sequence
          hs[t] = keep ? where(keep, next[0]!, 0) : next[0]!;
          state = keep ? next.map((s, i) => where(keep, s, state[i]!)) : next;
        }
        state.forEach((s, i) => finals[i]!.push(s));
        outputs.push(stack(hs, 0)); // [T, B, H]
      }
      layerInput = outputs.length === 1 ? outputs[0]! : cat(outputs, -1); // [T, B, D·H]
      if (this.dropout > 0 && layer < this.numLayers - 1) layerInput = dropout(layerInput, this.dropout, this.training, this.#generator);
    }
    return [layerInput, finals.map((f) => stack(f, 0))];
  }

  /** Output [T, B, D·H] back to the caller's layout. */
  protected layout(output: Tensor, unbatched: boolean): Tensor {
    return unbatched ? output.squeeze(1) : this.batchFirst ? output.transpose(0, 1) : output;
  }

  override extraRepr(): string {
    const extras = [
      this.numLayers !== 1 ? `num_layers=${this.numLayers}` : '',
      this.batchFirst ? 'batch_first=true' : '',
      this.dropout ? `dropout=${this.dropout}` : '',
      this.bidirectional ? 'bidirectional=true' : '',
    ].filter(Boolean);
    return [`${this.inputSize}`, `${this.hiddenSize}`, ...extras].join(', ');
  }
}

/**
 * Multi-layer GRU (`nn.GRU`). T time · B batch · H hidden · L layers · D directions.
 * State dict per layer k: `weight_ih_lk` [3H, in_k], `weight_hh_lk` [3H, H], `bias_ih_lk` [3H],
 * `bias_hh_lk` [3H], plus `…_reverse` when bidirectional; gates stacked (r, z, n).
 * @example
 * const gru = new GRU(32, 64, { numLayers: 2, bidirectional: true, batchFirst: true });
 * const [out, hN] = gru.forward(x) // x [B, T, 32] → out [B, T, 128], hN [4, B, 64]
 */
export class GRU extends RNNBase {
  constructor(inputSize: number, hiddenSize: number, options: RNNOptions = {}) {
    super('GRU', inputSize, hiddenSize, options);
  }

  /**
   * input [T, B, in] ([B, T, in] with batchFirst, or [T, in]); h0 [L·D, B, H] (default zeros) →
   * [output, hN]. With `options.lengths`, padded batches give each sequence's own result (see
   * `RNNForwardOptions`).
   */
  override forward(input: Tensor, h0?: Tensor, options: RNNForwardOptions = {}): [Tensor, Tensor] {
    const [x, unbatched] = this.timeMajor('GRU.forward', input);
    const h = this.initialState('GRU.forward', h0, x.shape[1]!, unbatched, 'h0');
    const valid = this.stepMasks('GRU.forward', options.lengths, x.shape[0]!, x.shape[1]!);
    const [out, [hN]] = this.run(x, [h], valid);
    return [this.layout(out, unbatched), unbatched ? hN!.squeeze(1) : hN!];
  }
}

/**
 * Multi-layer LSTM (`nn.LSTM`), same layout as GRU with 4H gate rows (i, f, g, o).
 * @example const [out, [hN, cN]] = new LSTM(32, 64).forward(x) // x [T, B, 32]
 */
export class LSTM extends RNNBase {
  constructor(inputSize: number, hiddenSize: number, options: RNNOptions = {}) {
    super('LSTM', inputSize, hiddenSize, options);
  }

  /** input as GRU; state [h0, c0] each [L·D, B, H] (default zeros) → [output, [hN, cN]]; `lengths` as GRU. */
  override forward(input: Tensor, state?: [Tensor, Tensor], options: RNNForwardOptions = {}): [Tensor, [Tensor, Tensor]] {
    const [x, unbatched] = this.timeMajor('LSTM.forward', input);
    const B = x.shape[1]!;
    const h = this.initialState('LSTM.forward', state?.[0], B, unbatched, 'h0');
    const c = this.initialState('LSTM.forward', state?.[1], B, unbatched, 'c0');
    const valid = this.stepMasks('LSTM.forward', options.lengths, x.shape[0]!, B);
    const [out, [hN, cN]] = this.run(x, [h, c], valid);
    const squeeze = (s: Tensor) => (unbatched ? s.squeeze(1) : s);
    return [this.layout(out, unbatched), [squeeze(hN!), squeeze(cN!)]];
  }
}
