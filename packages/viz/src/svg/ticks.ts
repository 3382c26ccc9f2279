/**
 * "Nice" tick values (1, 2, 5 × 10^k steps) covering [lo, hi], as d3-array's `ticks` chooses them.
 * @example niceTicks(0, 1, 5) // [0, 0.2, 0.4, 0.6, 0.8, 1]
 */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return [];
  if (lo === hi) return [lo];
  const [a, b] = lo < hi ? [lo, hi] : [hi, lo];
  const step = niceStep((b - a) / Math.max(1, count));
  const start = Math.ceil(a / step - 1e-9);
  const stop = Math.floor(b / step + 1e-9);
  const ticks: number[] = [];
  for (let i = start; i <= stop; i++) ticks.push(roundTo(i * step, step));
  return ticks;
}

function niceStep(raw: number): number {
  const power = 10 ** Math.floor(Math.log10(raw));
  const error = raw / power;
  const factor = error >= 7.07 ? 10 : error >= 3.16 ? 5 : error >= 1.41 ? 2 : 1;
  return factor * power;
}

// Removes binary noise (0.30000000000000004) relative to the step.
function roundTo(value: number, step: number): number {
  const decimals = Math.max(0, -Math.floor(Math.log10(step)) + 1);
  return Number(value.toFixed(Math.min(decimals, 12)));
}

/**
 * Short human label for a number: up to 3 significant decimals, exponent form when tiny or huge.
 * @example formatNumber(0.123456) // '0.123'
 */
export function formatNumber(value: number): string {
  if (value === Infinity) return '∞';
  if (value === -Infinity) return '−∞';
  if (Number.isNaN(value)) return 'NaN';
  const abs = Math.abs(value);
  if (abs !== 0 && (abs < 1e-3 || abs >= 1e6)) return value.toExponential(1).replace('-', '−');
  const text = String(Number(value.toPrecision(3)));
  return text.replace('-', '−');
}
