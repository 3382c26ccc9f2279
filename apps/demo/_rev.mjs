import '@qkv/wasm-kernels';
import { setThreads } from '@qkv/wasm-kernels';
import { sequenceTask, sequenceTaskTokenizer } from '@qkv/datasets';
import { AdamW, crossEntropy, noam } from '@qkv/nn';
import { Generator, noGrad, setBackend, tensor, tidy } from '@qkv/tensor-core';
import { Seq2SeqTransformer, greedyDecode } from '@qkv/transformer';
const [backend, threads] = [process.argv[2] ?? 'wasm', Number(process.argv[3] ?? 1)];
await setBackend(backend); if (backend === 'wasm' && threads > 1) await setThreads(threads);
const c = { dModel: 32, nhead: 4, layers: 1, lr: 5e-3, warmup: 40, batchSize: 64, seed: 0 };
const tok = sequenceTaskTokenizer();
const all = sequenceTask('reverse', { count: 4064, seed: 0, minLength: 3, maxLength: 6 });
const train = all.slice(0, -64), held = all.slice(-64);
const model = new Seq2SeqTransformer({ srcVocabSize: tok.vocabSize, tgtVocabSize: tok.vocabSize, padId: tok.specialTokens.pad, dModel: 32, nhead: 4, numEncoderLayers: 1, numDecoderLayers: 1, dimFeedforward: 128, dropout: 0, maxLen: 64, generator: new Generator(0) });
const opt = new AdamW(model.parameters(), { lr: c.lr, betas: [0.9, 0.98], weightDecay: 0.01 });
const rng = new Generator(1);
const ids = (texts, special) => { const e = tok.encodeBatch(texts, { padding: 'longest', addSpecialTokens: special }); return tensor(e.inputIds.flat(), { shape: [texts.length, e.inputIds[0].length], dtype: 'int32' }); };
const peak = noam(32, 40)(40);
for (let step = 0; step < 300; step++) {
  const batch = Array.from({ length: 64 }, () => train[Math.floor(rng.next() * train.length)]);
  opt.paramGroups[0].lr = (c.lr * noam(32, 40)(step + 1)) / peak;
  model.train();
  const loss = tidy(() => {
    const src = ids(batch.map((p) => p.source), false), tgt = ids(batch.map((p) => p.target), true);
    const T = tgt.shape[1];
    const logits = model.forward(src, tgt.narrow(1, 0, T - 1));
    const l = crossEntropy(logits.reshape([-1, logits.shape[2]]), tgt.narrow(1, 1, T - 1).reshape([-1]), { ignoreIndex: tok.specialTokens.pad });
    l.backward(); opt.step(); opt.zeroGrad(); return l.item();
  });
  if ((step + 1) % 100 === 0) {
    model.eval();
    const acc = tidy(() => noGrad(() => {
      const src = ids(held.map((p) => p.source), false);
      const prompt = tensor(new Array(64).fill(tok.specialTokens.sos), { shape: [64, 1], dtype: 'int32' });
      const out = greedyDecode(model.stepper(src), { prompt, eosId: tok.specialTokens.eos, maxNewTokens: 14 }).toArray();
      let right = 0, total = 0;
      out.forEach((row, i) => { const p = [...tok.decode(row.slice(1), { skipSpecialTokens: true })], w = [...held[i].target]; for (let k = 0; k < w.length; k++) { total++; if (p[k] === w[k]) right++; } });
      return right / total;
    }));
    console.log(backend, threads, 'step', step + 1, 'loss', loss.toFixed(4), 'acc', acc.toFixed(3));
  }
}
