// Scores g2p_transformer_pytorch.py's test predictions with qkv's own metric (stressless PER/WER,
// closest reference), so PyTorch's numbers and `qkv eval`'s are the same measurement. See README.md.
import { readFileSync } from 'node:fs';
import { g2pErrorRates } from '../../packages/datasets/src/index.js';

const data = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as { test: [string, string[]][] };
const refs = data.test.map(([, targets]) => targets.map((t) => t.split(' ')));
for (const file of process.argv.slice(3)) {
  const run = JSON.parse(readFileSync(file, 'utf8')) as { predictions: string[]; d_model?: number; dropout: number; steps: number; epochs: number; seconds: number };
  const { per, wer } = g2pErrorRates(run.predictions.map((p) => (p === '' ? [] : p.split(' '))), refs, { stress: false });
  console.log(`${file}: d_model ${run.d_model ?? 128}, dropout ${run.dropout}, ${run.steps} steps (${run.epochs.toFixed(1)} epochs, ${run.seconds.toFixed(0)} s): PER ${(100 * per).toFixed(2)} %, WER ${(100 * wer).toFixed(2)} %`);
}
