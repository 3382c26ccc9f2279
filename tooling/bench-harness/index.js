// The one benchmark harness: warm-up, timed runs until a run count and a time budget are met,
// medians, runs taken in turns (so a slow spell of a shared machine hits every system alike),
// result checks before timing, and markdown tables. Plain JavaScript with no imports, so Node
// scripts, bundled benches and browser pages all use it as is; types in index.d.ts.

/** Median of a list (mean of the two middle values for an even count); NaN for an empty list. */
export function median(xs) {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** Median, min and max of run times (ms) and their count. */
export function summarize(times) {
  return { medianMs: median(times), minMs: Math.min(...times), maxMs: Math.max(...times), runs: times.length };
}

function budget({ warmup = 1, minRuns = 5, maxRuns = 200, minMs = 1500 } = {}) {
  if (!(minRuns >= 1 && maxRuns >= minRuns)) throw new RangeError(`bench-harness: need 1 ≤ minRuns ≤ maxRuns, got minRuns ${minRuns}, maxRuns ${maxRuns}`);
  const start = { at: 0 };
  return {
    warmup,
    begin: () => (start.at = performance.now()),
    more: (done) => done < maxRuns && (done < minRuns || performance.now() - start.at < minMs),
  };
}

/**
 * Times a synchronous `fn`: `warmup` untimed calls, then runs until at least `minRuns` are done
 * and `minMs` has passed, at most `maxRuns`. `onRun` is called (untimed) after each timed run.
 */
export function timeSync(fn, options = {}) {
  const b = budget(options);
  for (let i = 0; i < b.warmup; i++) fn();
  const times = [];
  b.begin();
  while (b.more(times.length)) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
    options.onRun?.();
  }
  return summarize(times);
}

/** `timeSync` for a `fn` that may return a promise: each run is awaited before the clock stops. */
export async function time(fn, options = {}) {
  const b = budget(options);
  for (let i = 0; i < b.warmup; i++) await fn();
  const times = [];
  b.begin();
  while (b.more(times.length)) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
    options.onRun?.();
  }
  return summarize(times);
}

/**
 * Times several systems in turns: each round runs every `turns[i].run` once (after its untimed
 * `before`, if any), so a slow spell hits them alike. Rounds follow `timeSync`'s budget (defaults
 * 5 to 200 rounds, 4 s). Returns the times, ms, per system and round: `times[i][round]`.
 */
export function timeInTurnsSync(turns, options = {}) {
  const b = budget({ minMs: 4000, ...options });
  for (let i = 0; i < b.warmup; i++) for (const t of turns) t.run();
  const times = turns.map(() => []);
  b.begin();
  while (b.more(times[0].length)) {
    turns.forEach((t, i) => {
      t.before?.();
      const t0 = performance.now();
      t.run();
      times[i].push(performance.now() - t0);
    });
  }
  return times;
}

/** `timeInTurnsSync` for runs that may return promises. */
export async function timeInTurns(turns, options = {}) {
  const b = budget({ minMs: 4000, ...options });
  for (let i = 0; i < b.warmup; i++) for (const t of turns) await t.run();
  const times = turns.map(() => []);
  b.begin();
  while (b.more(times[0].length)) {
    for (const [i, t] of turns.entries()) {
      t.before?.();
      const t0 = performance.now();
      await t.run();
      times[i].push(performance.now() - t0);
    }
  }
  return times;
}

/**
 * The median over rounds of `a[round] / b[round]`: a ratio of two systems timed in turns, from
 * which a slow spell cancels out (it slows both runs of a round).
 */
export function medianRatio(a, b) {
  return median(a.map((x, i) => x / b[i]));
}

/** Largest |x| of a list (0 for an empty one). */
export function maxAbs(xs) {
  let m = 0;
  for (let i = 0; i < xs.length; i++) m = Math.max(m, Math.abs(xs[i]));
  return m;
}

/** Largest |a − b| relative to max |b| (for comparing a result with its reference). */
export function maxRelError(a, b) {
  let err = 0;
  for (let i = 0; i < b.length; i++) err = Math.max(err, Math.abs(a[i] - b[i]));
  return err / Math.max(1e-30, maxAbs(b));
}

/** Max |actual − expected|; throws (failing the benchmark loudly) above `tol` or at a non-finite value that differs. */
export function checkClose(what, actual, expected, tol) {
  if (actual.length !== expected.length) throw new Error(`${what}: ${actual.length} values, expected ${expected.length}`);
  let max = 0;
  for (let i = 0; i < actual.length; i++) {
    if (!Number.isFinite(actual[i]) && actual[i] !== expected[i]) throw new Error(`${what}: value ${i} is ${actual[i]}, expected ${expected[i]}`);
    const d = Math.abs(actual[i] - expected[i]);
    if (d > max) max = d;
  }
  if (!(max <= tol)) throw new Error(`${what}: computes the wrong answer (max |diff| ${max.toExponential(2)} > ${tol})`);
  return max;
}

/**
 * A markdown table of rows (columns in order of first appearance); `alignRight` lists the
 * columns to right-align (numbers).
 */
export function markdownTable(rows, { alignRight = [] } = {}) {
  if (rows.length === 0) return '';
  const cols = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const line = (cells) => `| ${cells.join(' | ')} |`;
  return [line(cols), line(cols.map((c) => (alignRight.includes(c) ? '---:' : '---'))), ...rows.map((r) => line(cols.map((c) => r[c] ?? '')))].join('\n');
}

/** A number for a table: 0 decimals from 100, 1 from 10, else `digits`. */
export function fmt(x, digits = 2) {
  return x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(digits);
}
