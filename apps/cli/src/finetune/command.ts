// `qkv finetune`: held-out perplexity of the base model, LoRA (or full) fine-tuning with the
// generic loop's progress, ETA, checkpoints and resume, perplexity after, and the result saved as a
// PEFT adapter or as the merged model in the base folder's layout.
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import '@qkv/wasm-kernels';
import { getThreads, setThreads } from '@qkv/wasm-kernels';
import { injectLoRA, unloadLoRA } from '@qkv/nn';
import { GPT } from '@qkv/transformer';
import { saveAdapter } from '@qkv/nn/node';
import { getBackend, manualSeed, memory, setBackend } from '@qkv/tensor-core';
import { UsageError } from '../errors.js';
import type { RunOptions } from '../recipes/types.js';
import { train } from '../train/loop.js';
import { FINETUNE_USAGE, parseFinetune } from './args.js';
import { loadBaseModel } from './base-model.js';
import { finetuneSession, heldOutPerplexity, splitText } from './session.js';

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
  const base = await loadBaseModel(args.model);
  const text = await readFile(args.data, 'utf8').catch((err: Error) => {
    throw new UsageError(`finetune: cannot read --data ${args.data} (${err.message})`);
  });
  const blockSize = args.blockSize ?? base.blockSize;
  if (blockSize > base.blockSize) throw new UsageError(`finetune: --block-size ${blockSize} exceeds the model's context of ${base.blockSize}`);
  const data = splitText(text, base, args.evalFraction, args.seed);
  log(`qkv finetune: ${base.description} from ${args.model}; ${data.lines[0]} training lines (${data.train.length.toLocaleString()} tokens), ${data.lines[1]} held out (${data.heldOut.length.toLocaleString()} tokens)`);
  log(`backend ${getBackend()}${getBackend() === 'wasm' ? ` × ${await getThreads()} thread(s)` : ''}`);

  const started = performance.now();
  const before = heldOutPerplexity(base, data.heldOut, blockSize, args.evalLimit);
  log(`held-out perplexity before: ${before.perplexity.toFixed(3)} (${before.tokens.toLocaleString()} tokens, ${((performance.now() - started) / 1000).toFixed(1)} s)`);

  const full = args.rank === 0;
  const adapted = full ? [] : injectLoRA(base.model, { r: args.rank, alpha: args.alpha, dropout: args.dropout, targetModules: args.targets, fanInFanOut: base.lora.fanInFanOut });
  const trainable = base.model.numParameters({ trainableOnly: true });
  log(full
    ? `full fine-tuning: ${trainable.toLocaleString()} trainable parameters`
    : `LoRA r=${args.rank} alpha=${args.alpha} dropout=${args.dropout} on ${adapted.length} layers (${args.targets.join(', ')}): ${trainable.toLocaleString()} trainable of ${base.model.numParameters().toLocaleString()} parameters`);

  if (args.gradientCheckpointing) {
    if (!(base.model instanceof GPT)) throw new UsageError(`finetune: --gradient-checkpointing needs a GPT, got a ${base.model.constructor.name}`);
    base.model.gradientCheckpointing = true;
  }
  const run: RunOptions = { seed: args.seed, epochs: args.epochs, batchSize: args.batchSize, lr: args.lr, maxSteps: args.maxSteps, evalLimit: args.evalLimit, set: { warmup: String(args.warmup) } };
  const session = finetuneSession(base, data, run, blockSize, full);
  const result = await train(session, run, {
    out: args.out, resume: args.resume, checkpointEvery: args.checkpointEvery, keepCheckpoints: args.keepCheckpoints, evalEvery: args.evalEvery, quiet: args.quiet, log,
    timeLimitSeconds: args.timeLimitMinutes === undefined ? undefined : args.timeLimitMinutes * 60,
  });
  const liveBytes = memory().numBytes;
  const after = heldOutPerplexity(base, data.heldOut, blockSize, args.evalLimit);
  log(`held-out perplexity after: ${after.perplexity.toFixed(3)} (before ${before.perplexity.toFixed(3)}); ${result.progress.step} steps in ${result.seconds.toFixed(1)} s`);

  const summary = {
    command: `qkv finetune ${args.argv.join(' ')}`,
    base: args.model,
    data: args.data,
    method: full ? 'full' : { lora: { r: args.rank, alpha: args.alpha, dropout: args.dropout, targets: args.targets, layers: adapted.length } },
    trainableParameters: trainable,
    gradientCheckpointing: args.gradientCheckpointing,
    steps: result.progress.step,
    trainSeconds: Math.round(result.seconds * 10) / 10,
    heldOut: { tokens: after.tokens, perplexityBefore: before.perplexity, perplexityAfter: after.perplexity },
    liveTensorBytesAfterTraining: liveBytes,
    peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
    backend: getBackend(),
    threads: await getThreads(),
    date: new Date().toISOString(),
  };
  await mkdir(args.out, { recursive: true });
  if (args.save === 'adapter') {
    await saveAdapter(base.model, args.out, { nameMap: base.nameMap, taskType: 'CAUSAL_LM', baseModelNameOrPath: args.model });
    log(`wrote the PEFT adapter (adapter_model.safetensors, adapter_config.json) to ${args.out}`);
  } else {
    if (!full) unloadLoRA(base.model, { merge: true });
    await base.save(args.out, { finetune: summary });
    log(`wrote the fine-tuned model${full ? '' : ' (adapters merged)'} to ${args.out}`);
  }
  await writeFile(join(args.out, 'finetune.json'), `${JSON.stringify(summary, null, 2)}\n`);
  return 0;
}
