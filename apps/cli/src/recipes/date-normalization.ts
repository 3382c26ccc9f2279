// date-normalization: "Thursday, June 25, 2009" → "2009-06-25". Small; trains in seconds to
// minutes, and is the task the demo trains live.
import { dateTask, dateTaskTokenizers } from '@qkv/datasets';
import { seq2seqSession, seq2seqSettings } from './seq2seq.js';
import { setting } from './settings.js';
import { transformerSeq2Seq } from './seq2seq-models.js';
import type { Recipe } from './types.js';

export const dateNormalization: Recipe = {
  name: 'date-normalization',
  description: 'dates in many formats → ISO 8601, a small Transformer (trains in a minute)',
  defaults: { seed: 0, epochs: 4, batchSize: 64, lr: 3e-3, evalLimit: 500, set: { warmup: '100' } },
  settings: {
    bucket: '1: batches of similar length (less padding); 0: plain shuffled batches (0)',
    examples: 'training pairs to generate (12000)',
    dModel: 'model width (64)',
    nhead: 'attention heads (4)',
    layers: 'encoder and decoder layers (2 each)',
    ff: 'feed-forward size (128)',
    dropout: 'dropout (0.1)',
    warmup: 'steps of rising learning rate before the decay (100)',
    ...seq2seqSettings,
    embInit: 'token embeddings: 1 = N(0, 1/E) as the Transformer paper (default), 0 = N(0, 1) as nn.Embedding (1)',
  },
  async setup(run) {
    const n = setting(run, 'examples', 12000);
    const all = dateTask({ count: n + 2000, seed: run.seed });
    const splits = { train: all.slice(0, n), validation: all.slice(n, n + 1000), test: all.slice(n + 1000) };
    const tokenizers = dateTaskTokenizers();
    return seq2seqSession(
      run,
      {
        train: splits.train,
        evalItems: (split) => splits[split].map((p) => ({ source: p.source, targets: [p.target] })),
        tokenizers,
        joiner: '',
        maxTargetLength: 12,
        score: (predictions, items) => ({
          exactMatch: predictions.filter((p, i) => items[i]!.targets.includes(p)).length / Math.max(1, items.length),
        }),
      },
      transformerSeq2Seq({ dModel: setting(run, 'dModel', 64), nhead: setting(run, 'nhead', 4), numEncoderLayers: setting(run, 'layers', 2), numDecoderLayers: setting(run, 'layers', 2), dimFeedforward: setting(run, 'ff', 128), dropout: setting(run, 'dropout', 0.1), maxLen: 64 }, setting(run, 'embInit', 1) === 1 ? 'scaled' : 'pytorch'),
      { task: 'date-normalization' },
    );
  },
};
