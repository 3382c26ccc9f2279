// `qkv`: train, evaluate, predict with and export the recipes on real datasets.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import '@qkv/wasm-kernels';
import { getThreads, setThreads } from '@qkv/wasm-kernels';
import { save } from '@qkv/nn';
import { getBackend, manualSeed, setBackend } from '@qkv/tensor-core';
import { terminalHeatmap } from '@qkv/viz';
import { parse, USAGE } from './args.js';
import { commandHelp } from './commands.js';
import { InputError, UsageError, formatError, wantsStack } from './errors.js';
import { checkWeightsFile, readManifest } from './preflight.js';
import { exportOnnxCommand } from './export-onnx.js';
import { finetuneMain } from './finetune/command.js';
import { CONVERT_USAGE, convertCommand } from './hub/convert.js';
import { GENERATE_USAGE, generateCommand } from './hub/generate.js';
import { INSPECT_USAGE, inspectCommand } from './hub/inspect.js';
import { recipes } from './recipes/index.js';
import { averageWeights, loadWeights } from './train/checkpoint.js';
import { formatMetrics, train } from './train/loop.js';

async function main(argv: string[]): Promise<number> {
  if (argv[0] === 'finetune') return finetuneMain(argv.slice(1));
  if (argv[0] === 'export-onnx') return exportOnnxCommand(argv.slice(1));
  if (argv[0] === 'generate') return generateCommand(argv.slice(1));
  if (argv[0] === 'inspect') return inspectCommand(argv.slice(1));
  if (argv[0] === 'convert') return convertCommand(argv.slice(1));
  const args = parse(argv);
  if (args.command === 'help') {
    console.log(args.topic === undefined ? USAGE : commandHelp(args.topic));
    return 0;
  }
  if (args.command === 'recipes') {
    for (const r of recipes) {
      console.log(`${r.name.padEnd(20)} ${r.description}`);
      console.log(`${''.padEnd(20)} defaults: --epochs ${r.defaults.epochs} --batch-size ${r.defaults.batchSize} --lr ${r.defaults.lr}`);
      for (const [key, what] of Object.entries(r.settings)) console.log(`${''.padEnd(22)}--set ${key}: ${what}`);
    }
    return 0;
  }
  const { recipe, run } = args;
  // files first, before the data and the model (seconds of work) are loaded
  for (const file of args.checkpoints) await checkWeightsFile(file, 'average');
  if (args.checkpoint) await checkWeightsFile(args.checkpoint, '--checkpoint');
  if (args.resume) await checkWeightsFile(args.resume, '--resume');
  if (args.command === 'predict' && args.input.trim() === '') throw new InputError('predict: the input is empty');
  const weightsFile = args.command === 'average' ? args.checkpoints[0] : args.command === 'train' ? undefined : args.checkpoint;
  const savedManifest = weightsFile ? await readManifest(weightsFile) : null;
  // a trained model is rebuilt with its own seed (which fixes the data split) and settings
  const trained = savedManifest?.run as { seed?: number; settings?: Record<string, string> } | undefined;
  if (args.command !== 'train' && trained) {
    run.set = { ...run.set, ...trained.settings, ...args.explicit.set };
    if (!args.explicit.seed && trained.seed !== undefined) run.seed = trained.seed;
  }
  await setBackend(args.backend ?? 'wasm').catch(async () => setBackend('cpu'));
  if (getBackend() === 'wasm') await setThreads(args.threads);
  manualSeed(run.seed);
  const session = await recipe.setup(run, savedManifest ?? undefined);
  if (args.command === 'train') {
    console.log(`qkv train ${recipe.name}: backend ${getBackend()}${getBackend() === 'wasm' ? ` × ${await getThreads()} thread(s)` : ''}, ${session.model.numParameters().toLocaleString()} parameters, ${session.batchesPerEpoch} batches/epoch`);
    const result = await train(session, run, { out: args.out, resume: args.resume, checkpointEvery: args.checkpointEvery, keepCheckpoints: args.keepCheckpoints, evalEvery: args.evalEvery, quiet: args.quiet, plainProgress: args.plainProgress, timeLimitSeconds: args.timeLimitMinutes === undefined ? undefined : args.timeLimitMinutes * 60 });
    if (result.interrupted) return 130; // the loop saved the checkpoint and said how to resume
    session.model.eval();
    const test = session.evaluate('test', args.testLimit);
    const manifest = { recipe: recipe.name, ...session.manifest(), run: { seed: run.seed, settings: run.set }, metrics: { test }, training: { steps: result.progress.step, seconds: Math.round(result.seconds), backend: getBackend(), threads: await getThreads(), command: `qkv ${args.argv.join(' ')}`, date: new Date().toISOString() } };
    await writeFile(join(args.out, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    console.log(`done in ${result.seconds.toFixed(0)} s; test ${formatMetrics(test)}`);
    return 0;
  }
  if (args.command === 'average') {
    await averageWeights(args.checkpoints, session.model, recipe.name);
    session.model.eval();
    const test = session.evaluate('test', args.testLimit);
    await mkdir(args.out, { recursive: true });
    const file = join(args.out, 'model.safetensors');
    await writeFile(file, save(session.model.stateDict(), { metadata: { recipe: recipe.name } }));
    // the run's manifest (settings, vocabularies, training), with this model's own test metrics
    const manifest = { ...(savedManifest ?? {}), recipe: recipe.name, ...session.manifest(), metrics: { test }, averaging: { checkpoints: args.checkpoints, command: `qkv ${args.argv.join(' ')}` } };
    await writeFile(join(args.out, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    console.log(`wrote ${file} (the mean of ${args.checkpoints.length} checkpoints) and manifest.json; test ${formatMetrics(test)}`);
    return 0;
  }
  await loadWeights(args.checkpoint!, session.model, recipe.name);
  session.model.eval();
  if (args.command === 'eval') {
    const metrics = session.evaluate(args.split, args.testLimit);
    console.log(JSON.stringify({ recipe: recipe.name, split: args.split, ...metrics }, null, 2));
    return 0;
  }
  if (args.command === 'predict') {
    const p = session.predict(args.input, run.set);
    console.log(p.output);
    if (p.attention) {
      console.log(`\n${p.attention.title}`);
      // colour only on a terminal (and not with NO_COLOR): pipes and logs get shade characters
      const color = process.stdout.isTTY && !process.env.NO_COLOR ? 'truecolor' : 'none';
      console.log(terminalHeatmap(p.attention.weights, { xLabels: p.attention.colLabels, yLabels: p.attention.rowLabels, color }));
    }
    return 0;
  }
  // export
  await mkdir(args.out, { recursive: true });
  const bytes = save(session.model.stateDict(), { floatDType: args.f16 ? 'F16' : 'F32', metadata: { recipe: recipe.name } });
  await writeFile(join(args.out, 'model.safetensors'), bytes);
  const manifest = { ...(savedManifest ?? {}), recipe: recipe.name, ...session.manifest(), weights: { file: 'model.safetensors', dtype: args.f16 ? 'F16' : 'F32', bytes: bytes.byteLength } };
  await writeFile(join(args.out, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  console.log(`wrote ${join(args.out, 'model.safetensors')} (${(bytes.byteLength / 1e6).toFixed(2)} MB) and manifest.json`);
  return 0;
}

// every command's errors pass here: usage errors with the usage (exit 2; the command's own for
// the Hub commands), any other one as one line (exit 1), its stack only with --verbose or DEBUG=1
const argv = process.argv.slice(2);
const OWN_USAGE = new Map([['generate', GENERATE_USAGE], ['inspect', INSPECT_USAGE], ['convert', CONVERT_USAGE]]);
main(argv).then(
  (code) => process.exit(code),
  (err: unknown) => {
    if (err instanceof UsageError) {
      console.error(`qkv: ${err.message}\n\n${OWN_USAGE.get(argv[0] ?? '') ?? USAGE}`);
      process.exit(2);
    }
    console.error(formatError(err, wantsStack(argv, process.env)));
    process.exit(1);
  },
);
