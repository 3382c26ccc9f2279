// The base model and data of the BERT sequence-classification demonstration of `qkv finetune`:
// SpamAssassin e-mails (subject + body) from @qkv/datasets' loadSpamAssassin, the spam-classifier
// recipe's loader and split (seed 0, deduplicated, 80/10/10 stratified).
// 1. OUT/spam-train.jsonl (train + validation splits) and OUT/spam-test.jsonl (test split), one
//    {"text", "label": "ham" | "spam"} per line: `qkv finetune --task classify`'s --data / --eval-data.
// 2. A WordPiece vocabulary from the training e-mails only: [PAD] [UNK] [CLS] [SEP] [MASK], every
//    character seen (alone and as ##c), then the most frequent lower-cased words up to `vocab`.
//    (A frequency cut, not the WordPiece training algorithm; words outside it split into characters.)
// 3. A small BERT (2 layers, width 128, 4 heads, feed-forward 512, 128 positions) pretrained from
//    random initialisation (Hugging Face's: N(0, 0.02) matrices) as a masked LM on the training e-mails only (BERT's 15 % masking, 80/10/10,
//    their first 62 tokens in [CLS] … [SEP]) for `seconds` of training, with the held-out masked-token
//    loss and accuracy on the test e-mails before and after, saved as a Hub BertForMaskedLM folder
//    OUT/spam-bert-mlm (config.json, model.safetensors, vocab.txt, tokenizer_config.json).
// usage: node scripts/spam-bert.mjs OUT_DIR [seconds=90] [vocab=4000] [seed=0]
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import '@qkv/wasm-kernels';
import { AdamW, clipGradNorm, crossEntropy, init, weightDecayGroups } from '@qkv/nn';
import { loadSpamAssassin, shuffle } from '@qkv/datasets';
import { savePretrained } from '@qkv/pretrained/node';
import { Generator, manualSeed, noGrad, setBackend, tensor, tidy } from '@qkv/tensor-core';
import { basicTokenize, fromBertVocab } from '@qkv/tokenizer';
import { BertForMaskedLM } from '@qkv/transformer';

const [out, secondsArg = '90', vocabArg = '4000', seedArg = '0'] = process.argv.slice(2);
const [seconds, vocabSize, seed] = [Number(secondsArg), Number(vocabArg), Number(seedArg)];
if (!out || !(seconds > 0) || !Number.isInteger(vocabSize) || vocabSize < 100 || !Number.isInteger(seed) || seed < 0) {
  console.error('usage: node scripts/spam-bert.mjs OUT_DIR [seconds=90 (> 0)] [vocab=4000 (≥ 100)] [seed=0]');
  process.exit(2);
}
await setBackend('wasm').catch(async () => setBackend('cpu'));
mkdirSync(out, { recursive: true });
const started = performance.now();
const { train, validation, test } = await loadSpamAssassin({ seed });
const trainMails = [...train, ...validation];
const jsonl = (mails) => mails.map((m) => JSON.stringify({ text: m.text, label: m.label === 1 ? 'spam' : 'ham' })).join('\n') + '\n';
writeFileSync(join(out, 'spam-train.jsonl'), jsonl(trainMails));
writeFileSync(join(out, 'spam-test.jsonl'), jsonl(test));
console.log(`wrote ${trainMails.length} training and ${test.length} test e-mails (SpamAssassin, seed ${seed}) to ${out}/spam-{train,test}.jsonl`);

// the vocabulary, from the training e-mails only (their first 2,000 characters, where the model looks)
const HEAD = 2000;
const words = new Map();
const chars = new Set();
for (const m of trainMails) {
  for (const w of basicTokenize(m.text.slice(0, HEAD), { lowercase: true })) {
    const word = w.chars.join('');
    words.set(word, (words.get(word) ?? 0) + 1);
    for (const c of w.chars) chars.add(c);
  }
}
const specials = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'];
const charTokens = [...chars].sort().flatMap((c) => [c, `##${c}`]);
const taken = new Set([...specials, ...charTokens]);
const frequent = [...words].filter(([w]) => !taken.has(w)).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([w]) => w);
const vocab = [...specials, ...charTokens, ...frequent].slice(0, Math.max(vocabSize, specials.length + charTokens.length));
const tokenizer = fromBertVocab(vocab.join('\n') + '\n', { doLowerCase: true });
const [CLS, SEP, PAD, MASK] = ['[CLS]', '[SEP]', '[PAD]', '[MASK]'].map((t) => tokenizer.tokenToId(t));
const T = 64;
const encode = (text) => [CLS, ...tokenizer.encode(text.slice(0, HEAD), { addSpecialTokens: false }).slice(0, T - 2), SEP];
const trainRows = trainMails.map((m) => encode(m.text));
const testRows = test.map((m) => encode(m.text));
console.log(`vocabulary: ${vocab.length} tokens (${charTokens.length} character pieces, ${vocab.length - specials.length - charTokens.length} words); ${((performance.now() - started) / 1000).toFixed(1)} s so far`);

// BERT's masking: 15 % of the non-special positions; of those 80 % [MASK], 10 % a random token, 10 % kept
function masked(rows, generator) {
  const L = Math.max(...rows.map((r) => r.length));
  const ids = new Int32Array(rows.length * L).fill(PAD);
  const mask = new Int32Array(rows.length * L);
  const target = new Int32Array(rows.length * L).fill(-100);
  rows.forEach((r, b) => {
    for (let t = 0; t < r.length; t++) {
      const i = b * L + t;
      ids[i] = r[t];
      mask[i] = 1;
      if (t === 0 || t === r.length - 1 || generator.next() >= 0.15) continue;
      target[i] = r[t];
      const u = generator.next();
      if (u < 0.8) ids[i] = MASK;
      else if (u < 0.9) ids[i] = specials.length + Math.floor(generator.next() * (vocab.length - specials.length));
    }
  });
  const shape = [rows.length, L];
  return { ids: tensor(ids, { shape, dtype: 'int32' }), attentionMask: tensor(mask, { shape, dtype: 'int32' }), target: tensor(target, { shape, dtype: 'int32' }) };
}

manualSeed(seed);
const config = { vocabSize: vocab.length, hiddenSize: 128, numHiddenLayers: 2, numAttentionHeads: 4, intermediateSize: 512, maxPositionEmbeddings: 128, dropout: 0.1 };
const model = new BertForMaskedLM(config);
// Hugging Face's BertPreTrainedModel init: matrices and embeddings N(0, 0.02), biases 0, LayerNorm 1 / 0
for (const [name, p] of model.namedParameters()) {
  if (p.ndim === 2) init.normal_(p, 0, 0.02);
  else if (name.endsWith('.bias')) init.zeros_(p);
}

/** Logits [M, V] of the M masked positions only (the MLM head on those rows: same loss, far less work) and their targets [M]. */
function maskedLogits(ids, attentionMask, target) {
  const flat = Array.from(target.dataSync());
  const rows = flat.flatMap((t, i) => (t === -100 ? [] : [i]));
  const index = tensor(Int32Array.from(rows), { dtype: 'int32' });
  const hidden = model.bert.forward(ids, { attentionMask }).reshape([-1, config.hiddenSize]).indexSelect(0, index); // [M, E]
  return { logits: model.head(hidden), targets: tensor(Int32Array.from(rows, (i) => flat[i]), { dtype: 'int32' }) };
}

/** Masked-token loss and accuracy on the test e-mails (a fixed masking, seed 12345), eval mode. */
function heldOut() {
  const g = new Generator(12345);
  model.eval();
  let [loss, correct, count] = [0, 0, 0];
  for (let i = 0; i < testRows.length; i += 64) {
    tidy(() => noGrad(() => {
      const { ids, attentionMask, target } = masked(testRows.slice(i, i + 64), g);
      const { logits, targets } = maskedLogits(ids, attentionMask, target);
      loss += crossEntropy(logits, targets, { reduction: 'sum' }).item();
      const predicted = logits.argmax(-1).dataSync();
      targets.dataSync().forEach((t, j) => { if (predicted[j] === t) correct++; });
      count += targets.size;
    }));
  }
  model.train();
  return { loss: loss / count, accuracy: correct / count, count };
}

const before = heldOut();
console.log(`held-out masked-token loss before: ${before.loss.toFixed(3)}, accuracy ${(100 * before.accuracy).toFixed(2)} % (${before.count} masked tokens of ${testRows.length} test e-mails)`);
const optimizer = new AdamW(weightDecayGroups(model, 0.01), { lr: 1e-3 });
const generator = new Generator(seed + 1);
const B = 32;
const warmup = 30;
const trainStart = performance.now();
let step = 0;
let order = [];
let running = 0;
while ((performance.now() - trainStart) / 1000 < seconds) {
  if (order.length < B) order = [...order, ...shuffle(trainRows.map((_, i) => i), seed + step)];
  const batch = order.splice(0, B).map((i) => trainRows[i]);
  step++;
  for (const group of optimizer.paramGroups) group.lr = 1e-3 * Math.min(1, step / warmup);
  const value = tidy(() => {
    const { ids, attentionMask, target } = masked(batch, generator);
    const { logits, targets } = maskedLogits(ids, attentionMask, target);
    const loss = crossEntropy(logits, targets);
    loss.backward();
    clipGradNorm(model.parameters(), 1);
    optimizer.step();
    optimizer.zeroGrad();
    return loss.item();
  });
  running = step === 1 ? value : 0.95 * running + 0.05 * value;
  if (step % 25 === 0) console.log(`step ${step}: masked-token loss ${running.toFixed(3)} (${((performance.now() - trainStart) / step).toFixed(0)} ms/step)`);
}
const trainSeconds = (performance.now() - trainStart) / 1000;
const after = heldOut();
console.log(`held-out masked-token loss after ${step} steps (${trainSeconds.toFixed(1)} s): ${after.loss.toFixed(3)}, accuracy ${(100 * after.accuracy).toFixed(2)} % (before ${before.loss.toFixed(3)}, ${(100 * before.accuracy).toFixed(2)} %)`);
model.eval();
const dir = join(out, 'spam-bert-mlm');
await savePretrained(model, dir); // config.json + model.safetensors; the tokenizer's files as bert-base-uncased has them:
writeFileSync(join(dir, 'vocab.txt'), vocab.join('\n') + '\n');
writeFileSync(join(dir, 'tokenizer_config.json'), `${JSON.stringify({ do_lower_case: true, model_max_length: config.maxPositionEmbeddings, tokenizer_class: 'BertTokenizer' }, null, 2)}\n`);
writeFileSync(join(dir, 'pretraining.json'), `${JSON.stringify({ command: `node scripts/spam-bert.mjs ${process.argv.slice(2).join(' ')}`, data: 'SpamAssassin (loadSpamAssassin, train + validation splits), first 62 WordPiece tokens of each e-mail', config, steps: step, batchSize: B, trainSeconds: Math.round(trainSeconds * 10) / 10, heldOut: { maskedTokens: after.count, lossBefore: before.loss, lossAfter: after.loss, accuracyBefore: before.accuracy, accuracyAfter: after.accuracy } }, null, 2)}\n`);
console.log(`wrote the masked LM (Hub BertForMaskedLM layout) to ${dir}; ${((performance.now() - started) / 1000).toFixed(1)} s in all`);
