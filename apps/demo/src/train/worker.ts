// The training loop of the Train page, off the main thread so the page never freezes.
import '@qkv/wasm-kernels';
import { dateTask, dateTaskTokenizers, sequenceTask, sequenceTaskTokenizer } from '@qkv/datasets';
import type { TextPair } from '@qkv/datasets';
import { AdamW, crossEntropy, noam } from '@qkv/nn';
import { Generator, getBackend, noGrad, ready, tensor, tidy } from '@qkv/tensor-core';
import type { Tensor } from '@qkv/tensor-core';
import { CharTokenizer, WordTokenizer } from '@qkv/tokenizer';
import type { Tokenizer } from '@qkv/tokenizer';
import { Seq2SeqTransformer, greedyDecode } from '@qkv/transformer';
import { startWasmThreads } from '../wasm-threads.js';
import type { WasmThreads } from '../wasm-threads.js';
import type { FromWorker, ToWorker, TrainConfig } from './protocol.js';

interface Run {
  config: TrainConfig;
  model: Seq2SeqTransformer;
  optimizer: AdamW;
  train: TextPair[];
  heldOut: TextPair[];
  source: Tokenizer;
  target: Tokenizer;
  step: number;
  rng: Generator;
}

let run: Run | null = null;
let running = false;
/** A Start that arrived while the model was still being built: honoured once it is ready. */
let startPending = false;
let resetting: Promise<void> | null = null;
/** This worker's wasm threads (its pool workers are nested workers), started on the first reset. */
let threads: Promise<WasmThreads> | null = null;
const post = (m: FromWorker) => postMessage(m);

/** Pairs kept out of training for the accuracy curve and the heatmap's example (the last ones of a task). */
const HELD_OUT = 64;

function splitHeldOut(pairs: TextPair[]): { train: TextPair[]; heldOut: TextPair[] } {
  return { train: pairs.slice(0, -HELD_OUT), heldOut: pairs.slice(-HELD_OUT) };
}

async function makeTask(config: TrainConfig): Promise<{ train: TextPair[]; heldOut: TextPair[]; source: Tokenizer; target: Tokenizer }> {
  if (config.task === 'cmudict') {
    // 3,000 CMUdict words shipped with the app (scripts/cmudict-slice.mjs): spelling → phonemes
    const res = await fetch(config.dataUrl!);
    if (!res.ok) throw new Error(`cmudict slice: ${res.status} at ${config.dataUrl}`);
    const { pairs } = (await res.json()) as { pairs: [string, string][] };
    const all = pairs.map(([source, target]) => ({ source, target }));
    const source = CharTokenizer.fromCorpus(all.map((p) => p.source));
    const target = WordTokenizer.fromCorpus(all.map((p) => p.target));
    return { ...splitHeldOut(all), source, target };
  }
  if (config.task === 'date') {
    const { source, target } = dateTaskTokenizers();
    return { ...splitHeldOut(dateTask({ count: 4000 + HELD_OUT, seed: config.seed })), source, target };
  }
  const tok = sequenceTaskTokenizer();
  // short strings: the alignment (copy: diagonal, reverse: anti-diagonal) forms within seconds
  return { ...splitHeldOut(sequenceTask(config.task, { count: 4000 + HELD_OUT, seed: config.seed, minLength: 3, maxLength: 6 })), source: tok, target: tok };
}

/** The output's tokens: phonemes for the CMUdict task, characters otherwise. */
function units(config: TrainConfig, text: string): string[] {
  return config.task === 'cmudict' ? text.split(' ').filter(Boolean) : [...text];
}

function ids(tok: Tokenizer, texts: string[], special: boolean): Tensor {
  const enc = tok.encodeBatch(texts, { padding: 'longest', addSpecialTokens: special });
  return tensor(enc.inputIds.flat(), { shape: [texts.length, enc.inputIds[0]!.length], dtype: 'int32' });
}

async function reset(config: TrainConfig): Promise<void> {
  await ready();
  if (getBackend() === 'wasm') threads ??= startWasmThreads();
  const { count } = threads ? await threads : { count: 1 };
  const task = await makeTask(config);
  const model = new Seq2SeqTransformer({
    srcVocabSize: task.source.vocabSize, tgtVocabSize: task.target.vocabSize, padId: task.target.specialTokens.pad!,
    dModel: config.dModel, nhead: config.nhead, numEncoderLayers: config.layers, numDecoderLayers: config.layers,
    // dropout only where there is real data to generalise from; the toy tasks learn faster without
    dimFeedforward: config.dModel * 4, dropout: config.task === 'date' || config.task === 'cmudict' ? 0.1 : 0, maxLen: 64, generator: new Generator(config.seed),
  });
  run?.model.parameters().forEach((p) => p.dispose());
  run = { config, model, optimizer: new AdamW(model.parameters(), { lr: config.lr, betas: [0.9, 0.98], weightDecay: 0.01 }), ...task, step: 0, rng: new Generator(config.seed + 1) };
  post({ type: 'ready', parameters: model.numParameters(), backend: getBackend(), threads: count, example: task.heldOut[0]!.source });
  draw();
}

function trainStep(r: Run): { loss: number; tokens: number } {
  const batch = Array.from({ length: r.config.batchSize }, () => r.train[Math.floor(r.rng.next() * r.train.length)]!);
  const peak = noam(r.config.dModel, r.config.warmup)(r.config.warmup);
  (r.optimizer.paramGroups[0] as { lr: number }).lr = (r.config.lr * noam(r.config.dModel, r.config.warmup)(r.step + 1)) / peak;
  r.model.train();
  const out = tidy(() => {
    const src = ids(r.source, batch.map((p) => p.source), false);
    const tgt = ids(r.target, batch.map((p) => p.target), true);
    const T = tgt.shape[1]!;
    const logits = r.model.forward(src, tgt.narrow(1, 0, T - 1));
    const loss = crossEntropy(logits.reshape([-1, logits.shape[2]!]), tgt.narrow(1, 1, T - 1).reshape([-1]), { ignoreIndex: r.target.specialTokens.pad! });
    loss.backward();
    r.optimizer.step();
    r.optimizer.zeroGrad();
    return { loss: loss.item(), tokens: src.size + tgt.size };
  });
  r.step++;
  return out;
}

function evaluate(r: Run): void {
  r.model.eval();
  const { tokenAccuracy, exactMatch } = tidy(() =>
    noGrad(() => {
      const src = ids(r.source, r.heldOut.map((p) => p.source), false);
      const prompt = tensor(new Array<number>(r.heldOut.length).fill(r.target.specialTokens.sos!), { shape: [r.heldOut.length, 1], dtype: 'int32' });
      const out = greedyDecode(r.model.stepper(src), { prompt, eosId: r.target.specialTokens.eos!, maxNewTokens: 14 }).toArray() as number[][];
      let right = 0;
      let total = 0;
      let exact = 0;
      out.forEach((row, i) => {
        const pred = r.target.decode(row.slice(1), { skipSpecialTokens: true });
        const want = r.heldOut[i]!.target;
        if (pred === want) exact++;
        const [p, w] = [units(r.config, pred), units(r.config, want)];
        for (let k = 0; k < w.length; k++) {
          total++;
          if (p[k] === w[k]) right++;
        }
      });
      return { tokenAccuracy: right / total, exactMatch: exact / out.length };
    }),
  );
  post({ type: 'eval', step: r.step, tokenAccuracy, exactMatch });
}

function draw(): void {
  const r = run!;
  r.model.eval();
  const example = r.heldOut[0]!;
  const msg = tidy(() =>
    noGrad(() => {
      const src = ids(r.source, [example.source], false);
      const prompt = tensor([[r.target.specialTokens.sos!]], { dtype: 'int32' });
      const out = (greedyDecode(r.model.stepper(src), { prompt, eosId: r.target.specialTokens.eos!, maxNewTokens: 14 }).toArray() as number[][])[0]!;
      const prediction = r.target.decode(out.slice(1), { skipSpecialTokens: true });
      const tgtIds = [r.target.specialTokens.sos!, ...r.target.encode(prediction)];
      const tgt = tensor(tgtIds, { shape: [1, tgtIds.length], dtype: 'int32' });
      const cross = r.model.forwardWithAttention(src, tgt).crossAttention.at(-1)!; // [1, H, T, S]
      const weights = cross.mean(1).squeeze(0).toArray() as number[][];
      return { prediction, weights };
    }),
  );
  post({ type: 'attention', step: r.step, source: example.source, prediction: msg.prediction, weights: msg.weights, rows: [...units(r.config, msg.prediction), '<eos>'], cols: [...example.source] });
}

async function loop(): Promise<void> {
  let tokens = 0;
  let since = performance.now();
  while (running && run) {
    const { loss, tokens: n } = trainStep(run);
    tokens += n;
    const now = performance.now();
    post({ type: 'progress', step: run.step, loss, tokensPerSecond: tokens / ((now - since) / 1000) });
    if (now - since > 3000) [tokens, since] = [0, now];
    if (run.step % run.config.drawEvery === 0) draw();
    if (run.step % (run.config.drawEvery * 5) === 0) evaluate(run);
    await new Promise((resolve) => setTimeout(resolve, 0)); // let pause/reset messages in
  }
  if (run) post({ type: 'paused', step: run.step });
}

function start(): void {
  startPending = false;
  if (running || !run) return;
  running = true;
  loop().catch((err: unknown) => post({ type: 'error', message: (err as Error).message ?? String(err) }));
}

onmessage = (e: MessageEvent<ToWorker>) => {
  const m = e.data;
  const fail = (err: unknown) => post({ type: 'error', message: (err as Error).message ?? String(err) });
  try {
    if (m.type === 'reset') {
      running = false;
      startPending = false;
      resetting = reset(m.config)
        .then(() => {
          resetting = null;
          if (startPending) start();
        })
        .catch(fail);
    } else if (m.type === 'start') {
      if (resetting || !run) startPending = true;
      else start();
    } else if (m.type === 'pause') {
      running = false;
      startPending = false;
    } else if (m.type === 'step' && run && !running) {
      const { loss } = trainStep(run);
      post({ type: 'progress', step: run.step, loss, tokensPerSecond: 0 });
      draw();
      post({ type: 'paused', step: run.step });
    }
  } catch (err) {
    fail(err);
  }
};
