// `qkv finetune`: the held-out metric of the base model (perplexity for causal-LM text, accuracy for
// sequence classification), LoRA (or full) fine-tuning with the generic loop's progress, ETA,
// checkpoints and resume, the metric after, and the result saved as a PEFT adapter or as the
// merged model in the base folder's layout. Each task supplies its model, data, metric, session
// and saving; the rest is shared.
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import '@qkv/wasm-kernels';
import { getThreads, setThreads } from '@qkv/wasm-kernels';
import { injectLoRA, unloadLoRA } from '@qkv/nn';
import type { Module } from '@qkv/nn';
import { adapterNameMap } from '@qkv/pretrained';
import { GPT } from '@qkv/transformer';
import { saveAdapter } from '@qkv/nn/node';
import { getBackend, manualSeed, memory, setBackend } from '@qkv/tensor-core';
import { UsageError } from '../errors.js';
import type { RunOptions, Session } from '../recipes/types.js';
import { train } from '../train/loop.js';
import { FINETUNE_USAGE, parseFinetune } from './args.js';
import type { FinetuneArgs } from './args.js';
import { classifySession, encodeSplit, heldOutAccuracy, loadClassifier, readExamples, saveClassifier, splitExamples } from './classify.js';
import { loadBaseModel } from './base-model.js';
import { finetuneSession, heldOutPerplexity, splitText } from './session.js';

/** What a task gives the shared fine-tuning flow. */
interface FinetuneTask {
  /** The first log line: model and data. */
  intro: string;
  model: Module;
  /** The held-out metric's name and unit of count: `perplexity` over `tokens`, `accuracy` over `examples`. */
  metric: 'perplexity' | 'accuracy';
  counted: 'tokens' | 'examples';
  /** The held-out metric now (eval mode), over at most `limit` windows or examples. */
  heldOut(limit?: number): { value: number; count: number };
  lora: { fanInFanOut: boolean; modulesToSave: string[] };
  /** PEFT's task_type. */
  taskType: 'CAUSAL_LM' | 'SEQ_CLS';
  /** qkv → transformers parameter names for the adapter file (identity if absent). */
  nameMap?: (qkvName: string) => string | undefined;
  setGradientCheckpointing(): void;
  session(run: RunOptions, full: boolean): Session;
  /** Writes the merged model to `out` in the base folder's layout. */
  saveMerged(out: string, summary: Record<string, unknown>): Promise<void>;
}

/** --task causal-lm: a GPT folder and a text file, held-out perplexity. */
async function causalLmTask(args: FinetuneArgs): Promise<FinetuneTask> {
  const base = await loadBaseModel(args.model);
  const text = await readFile(args.data, 'utf8').catch((err: Error) => {
    throw new UsageError(`finetune: cannot read --data ${args.data} (${err.message})`);
  });
  const blockSize = args.blockSize ?? base.blockSize;
  if (blockSize > base.blockSize) throw new UsageError(`finetune: --block-size ${blockSize} exceeds the model's context of ${base.blockSize}`);
  const data = splitText(text, base, args.evalFraction, args.seed);
  return {
    intro: `qkv finetune: ${base.description} from ${args.model}; ${data.lines[0]} training lines (${data.train.length.toLocaleString()} tokens), ${data.lines[1]} held out (${data.heldOut.length.toLocaleString()} tokens)`,
    model: base.model,
    metric: 'perplexity',
    counted: 'tokens',
    heldOut: (limit) => {
      const r = heldOutPerplexity(base, data.heldOut, blockSize, limit);
      return { value: r.perplexity, count: r.tokens };
    },
    lora: { fanInFanOut: base.lora.fanInFanOut, modulesToSave: [] },
    taskType: 'CAUSAL_LM',
    nameMap: base.nameMap,
    setGradientCheckpointing() {
      if (!(base.model instanceof GPT)) throw new UsageError(`finetune: --gradient-checkpointing needs a GPT, got a ${base.model.constructor.name}`);
      base.model.gradientCheckpointing = true;
    },
    session: (run, full) => finetuneSession(base, data, run, blockSize, full),
    saveMerged: (out, summary) => base.save(out, { finetune: summary }),
  };
}

/** --task classify: a BERT folder and JSON Lines of labelled texts, held-out accuracy. */
async function classifyTask(args: FinetuneArgs): Promise<FinetuneTask> {
  const examples = await readExamples(args.data, '--data');
  const given = args.evalData === undefined ? null : await readExamples(args.evalData, '--eval-data');
  const split = splitExamples(examples, given, args.evalFraction, args.seed);
  const c = await loadClassifier(args.model, [...split.train, ...split.heldOut], args.blockSize);
  const data = { train: encodeSplit(c, split.train), heldOut: encodeSplit(c, split.heldOut) };
  const counts = c.labels.map((l, i) => `${data.train.labels.filter((y) => y === i).length} ${l}`).join(', ');
  return {
    intro: `qkv finetune --task classify: ${c.description} from ${args.model}; ${split.train.length} training examples (${counts}), ${split.heldOut.length} held out${given ? ` (${args.evalData})` : ''}; ${c.maxTokens} tokens per text at most`,
    model: c.model,
    metric: 'accuracy',
    counted: 'examples',
    heldOut: (limit) => {
      const r = heldOutAccuracy(c, data.heldOut, limit);
      return { value: r.accuracy, count: r.examples };
    },
    lora: { fanInFanOut: false, modulesToSave: c.modulesToSave },
    taskType: 'SEQ_CLS',
    nameMap: adapterNameMap(c.model),
    setGradientCheckpointing() {
      c.model.bert.encoder.gradientCheckpointing = true;
    },
    session: (run, full) => classifySession(c, data, run, full),
    saveMerged: (out) => saveClassifier(c, out),
  };
}

/** Runs `qkv finetune <argv>`; returns the exit code. */
export async function finetuneMain(argv: string[], log: (line: string) => void = (l) => console.log(l)): Promise<number> {
  const args = parseFinetune(argv);
  if (args === 'help') {
    log(FINETUNE_USAGE);
    return 0;
  }
  await setBackend(args.backend ?? 'wasm').catch(async () => setBackend('cpu'));
  if (getBackend() === 'wasm') await setThreads(args.threads);
  manualSeed(args.seed);
  const task = args.task === 'classify' ? await classifyTask(args) : await causalLmTask(args);
  log(task.intro);
  log(`backend ${getBackend()}${getBackend() === 'wasm' ? ` × ${await getThreads()} thread(s)` : ''}`);
  const show = (v: number) => (task.metric === 'accuracy' ? `${(100 * v).toFixed(2)} %` : v.toFixed(3));

  const started = performance.now();
  const before = task.heldOut(args.evalLimit);
  log(`held-out ${task.metric} before: ${show(before.value)} (${before.count.toLocaleString()} ${task.counted}, ${((performance.now() - started) / 1000).toFixed(1)} s)`);

  const full = args.rank === 0;
  const modulesToSave = full ? [] : task.lora.modulesToSave;
  const adapted = full ? [] : injectLoRA(task.model, { r: args.rank, alpha: args.alpha, dropout: args.dropout, targetModules: args.targets, fanInFanOut: task.lora.fanInFanOut, modulesToSave });
  const trainable = task.model.numParameters({ trainableOnly: true });
  const saved = modulesToSave.length > 0 ? `, ${modulesToSave.join(', ')} trained in full (modules_to_save)` : '';
  log(full
    ? `full fine-tuning: ${trainable.toLocaleString()} trainable parameters`
    : `LoRA r=${args.rank} alpha=${args.alpha} dropout=${args.dropout} on ${adapted.length} layers (${args.targets.join(', ')})${saved}: ${trainable.toLocaleString()} trainable of ${task.model.numParameters().toLocaleString()} parameters`);

  if (args.gradientCheckpointing) task.setGradientCheckpointing();
  const run: RunOptions = { seed: args.seed, epochs: args.epochs, batchSize: args.batchSize, lr: args.lr, maxSteps: args.maxSteps, evalLimit: args.evalLimit, set: { warmup: String(args.warmup) } };
  const session = task.session(run, full);
  const result = await train(session, run, {
    out: args.out, resume: args.resume, checkpointEvery: args.checkpointEvery, keepCheckpoints: args.keepCheckpoints, evalEvery: args.evalEvery, quiet: args.quiet, log,
    timeLimitSeconds: args.timeLimitMinutes === undefined ? undefined : args.timeLimitMinutes * 60,
  });
  const liveBytes = memory().numBytes;
  const after = task.heldOut(args.evalLimit);
  log(`held-out ${task.metric} after: ${show(after.value)} (before ${show(before.value)}); ${result.progress.step} steps in ${result.seconds.toFixed(1)} s`);

  const summary = {
    command: `qkv finetune ${args.argv.join(' ')}`,
    task: args.task,
    base: args.model,
    data: args.data,
    ...(args.evalData === undefined ? {} : { evalData: args.evalData }),
    method: full ? 'full' : { lora: { r: args.rank, alpha: args.alpha, dropout: args.dropout, targets: args.targets, layers: adapted.length, ...(modulesToSave.length > 0 ? { modulesToSave } : {}) } },
    trainableParameters: trainable,
    gradientCheckpointing: args.gradientCheckpointing,
    steps: result.progress.step,
    trainSeconds: Math.round(result.seconds * 10) / 10,
    heldOut: { [task.counted]: after.count, [`${task.metric}Before`]: before.value, [`${task.metric}After`]: after.value },
    liveTensorBytesAfterTraining: liveBytes,
    peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
    backend: getBackend(),
    threads: await getThreads(),
    date: new Date().toISOString(),
  };
  await mkdir(args.out, { recursive: true });
  if (args.save === 'adapter') {
    await saveAdapter(task.model, args.out, { nameMap: task.nameMap, taskType: task.taskType, baseModelNameOrPath: args.model, modulesToSave: modulesToSave.length > 0 ? modulesToSave : null });
    log(`wrote the PEFT adapter (adapter_model.safetensors, adapter_config.json) to ${args.out}`);
  } else {
    if (!full) unloadLoRA(task.model, { merge: true });
    await task.saveMerged(args.out, summary);
    log(`wrote the fine-tuned model${full ? '' : ' (adapters merged)'} to ${args.out}`);
  }
  await writeFile(join(args.out, 'finetune.json'), `${JSON.stringify(summary, null, 2)}\n`);
  return 0;
}
