// The generic training loop: batches in a deterministic order, tidy steps, gradient clipping,
// a progress bar, JSON-lines metrics, periodic and Ctrl-C checkpoints, and exact resumes.
import { appendFile, copyFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { SingleBar } from 'cli-progress';
import { clipGradNorm } from '@qkv/nn';
import { tidy } from '@qkv/tensor-core';
import type { RunOptions, Session } from '../recipes/types.js';
import { loadCheckpoint, saveCheckpoint } from './checkpoint.js';
import type { Progress } from './checkpoint.js';

/** Metrics as one log line: `per 0.0837 · wer 0.3369`. */
export function formatMetrics(metrics: Record<string, number>): string {
  return Object.entries(metrics).map(([k, v]) => `${k} ${v.toFixed(4)}`).join(' · ');
}

/**
 * A duration as the progress line shows it, rounded to whole seconds first (so never `1m60s`).
 * @example formatDuration(119.6) // '2m00s'; formatDuration(3725) // '1h02m05s'
 */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '-';
  const total = Math.round(seconds);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const pad = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `${h}h${pad(m)}m${pad(s)}s` : m > 0 ? `${m}m${pad(s)}s` : `${s}s`;
}

/**
 * Seconds left, from the time spent on training steps only (validation excluded, so the estimate
 * does not jump after each validation).
 * @example etaSeconds(100, 1000, 50) // 450
 */
export function etaSeconds(stepsDone: number, stepsTotal: number, trainSeconds: number): number {
  return stepsDone > 0 ? ((stepsTotal - stepsDone) * trainSeconds) / stepsDone : NaN;
}

/** Options of `train`. */
export interface TrainOptions {
  out: string;
  resume?: string;
  /** Save a checkpoint every this many steps (and at the end, and on Ctrl-C). */
  checkpointEvery: number;
  /** Also keep each periodic checkpoint as `checkpoint-<step>.safetensors` (for `qkv average`). */
  keepCheckpoints?: boolean;
  /** Evaluate on the validation split every this many steps (0: only at epoch ends). */
  evalEvery: number;
  /** Stop (with a checkpoint) once training has run this many seconds. */
  timeLimitSeconds?: number;
  /** Draw no progress bar (tests, non-TTY). */
  quiet?: boolean;
  /** Without a terminal: a plain progress line every `plainEverySeconds` (default 10) instead of the bar. */
  plainProgress?: boolean;
  plainEverySeconds?: number;
  /** Called after each step (tests use it to send a signal mid-run). */
  onStep?: (step: number) => void;
  log?: (line: string) => void;
}

/** What a run did. */
export interface TrainResult {
  progress: Progress;
  losses: number[];
  seconds: number;
  interrupted: boolean;
  /** True when the time limit ended the run. */
  timedOut: boolean;
}

/**
 * Trains `session` for `options.epochs` (or `maxSteps`), writing `checkpoint.safetensors` and
 * `metrics.jsonl` into `out`. With `resume`, restores weights, optimizer, RNG and position first,
 * so the continuation is bit-identical to an uninterrupted run.
 */
export async function train(session: Session, run: RunOptions, options: TrainOptions): Promise<TrainResult> {
  await mkdir(options.out, { recursive: true });
  const ckpt = join(options.out, 'checkpoint.safetensors');
  const metricsFile = join(options.out, 'metrics.jsonl');
  const log = options.log ?? ((line: string) => console.log(line));
  let progress: Progress = { step: 0, epoch: 0, batchIndex: 0 };
  if (options.resume) {
    progress = (await loadCheckpoint(options.resume, session.model, session.optimizer)).progress;
    log(`resumed from ${options.resume} at step ${progress.step} (epoch ${progress.epoch + 1}, batch ${progress.batchIndex})`);
  }
  const total = run.maxSteps ?? run.epochs * session.batchesPerEpoch;
  let interrupted = false;
  const onSigint = () => {
    interrupted = true;
  };
  process.once('SIGINT', onSigint);
  const bar = options.quiet
    ? null
    : new SingleBar({
        format: 'step {value}/{total} |{bar}| epoch {epoch} · loss {loss} · {rate} tok/s · ETA {eta}',
        hideCursor: true,
        etaBuffer: 50,
      });
  bar?.start(total, progress.step, { epoch: progress.epoch + 1, loss: '-', rate: '-', eta: '-' });
  const losses: number[] = [];
  const firstStep = progress.step;
  let trainSeconds = 0; // time in training steps, without validation and checkpoints
  let lastPlain = performance.now();
  const yieldToEvents = () => new Promise((r) => setImmediate(r));
  const started = performance.now();
  let timedOut = false;
  let windowTokens = 0;
  let windowStart = performance.now();
  session.model.train();
  try {
    while (progress.step < total && progress.epoch < (run.maxSteps ? Infinity : run.epochs) && !interrupted) {
      if (progress.batchIndex >= session.batchesPerEpoch) {
        progress = { ...progress, epoch: progress.epoch + 1, batchIndex: 0 };
        continue;
      }
      const stepStart = performance.now();
      const batch = session.batch(progress.epoch, progress.batchIndex);
      const lr = session.lrAt?.(progress.step + 1);
      if (lr !== undefined) for (const g of session.optimizer.paramGroups as unknown as { lr: number }[]) g.lr = lr;
      const { value, count } = tidy(() => {
        const { loss, count } = session.loss(batch);
        loss.backward();
        if (session.clipNorm) clipGradNorm(session.model.parameters(), session.clipNorm);
        session.optimizer.step();
        session.optimizer.zeroGrad();
        return { value: loss.item(), count };
      });
      if (!Number.isFinite(value)) throw new Error(`train: the loss became ${value} at step ${progress.step + 1}; lower --lr`);
      losses.push(value);
      windowTokens += count;
      progress = { ...progress, step: progress.step + 1, batchIndex: progress.batchIndex + 1 };
      const now = performance.now();
      trainSeconds += (now - stepStart) / 1000;
      const rate = windowTokens / ((now - windowStart) / 1000);
      if (now - windowStart > 5000) [windowTokens, windowStart] = [0, now];
      const eta = formatDuration(etaSeconds(progress.step - firstStep, total - firstStep, trainSeconds));
      bar?.update(progress.step, { epoch: progress.epoch + 1, loss: value.toFixed(4), rate: rate.toFixed(0), eta });
      if (options.plainProgress && (now - lastPlain) / 1000 >= (options.plainEverySeconds ?? 10)) {
        lastPlain = now;
        log(`step ${progress.step}/${total} · epoch ${progress.epoch + 1} · loss ${value.toFixed(4)} · ${rate.toFixed(0)} tok/s · ETA ${eta}`);
      }
      options.onStep?.(progress.step);
      await appendFile(metricsFile, `${JSON.stringify({ step: progress.step, epoch: progress.epoch, loss: value, lr: lr ?? null, tokensPerSecond: Math.round(rate) })}\n`);
      const epochEnd = progress.batchIndex >= session.batchesPerEpoch;
      if ((options.evalEvery > 0 && progress.step % options.evalEvery === 0) || epochEnd) {
        await yieldToEvents(); // a Ctrl-C just before validation stops here, not after it
        if (interrupted) break;
        session.model.eval();
        const metrics = session.evaluate('validation', run.evalLimit);
        session.model.train();
        await yieldToEvents(); // and one during it is seen as soon as it ends
        await appendFile(metricsFile, `${JSON.stringify({ step: progress.step, epoch: progress.epoch, split: 'validation', ...metrics })}\n`);
        bar?.stop();
        log(`step ${progress.step}: validation ${formatMetrics(metrics)}`);
        bar?.start(total, progress.step, { epoch: progress.epoch + 1, loss: value.toFixed(4), rate: rate.toFixed(0), eta });
      }
      if (progress.step % options.checkpointEvery === 0) {
        await saveCheckpoint(ckpt, session.model, session.optimizer, progress);
        if (options.keepCheckpoints) await copyFile(ckpt, join(options.out, `checkpoint-${progress.step}.safetensors`));
      }
      if (options.timeLimitSeconds && (performance.now() - started) / 1000 >= options.timeLimitSeconds) {
        timedOut = true;
        break;
      }
      // yield to the event loop at every step so Ctrl-C is seen at once
      await yieldToEvents();
    }
  } finally {
    bar?.stop();
    process.removeListener('SIGINT', onSigint);
  }
  await saveCheckpoint(ckpt, session.model, session.optimizer, progress);
  if (interrupted) log(`interrupted: checkpoint saved at step ${progress.step}; continue with --resume ${ckpt}`);
  if (timedOut) log(`time limit of ${options.timeLimitSeconds} s reached at step ${progress.step}`);
  return { progress, losses, seconds: (performance.now() - started) / 1000, interrupted, timedOut };
}
