// Tables (terminal and markdown), JSON and SVG charts of the measurements.
import { fmt } from '@qkv/bench-harness';
import { barChart } from '@qkv/viz';
import type { Measurement, MemoryPeak } from './harness.js';
import { throughput } from './harness.js';

export { markdownTable } from '@qkv/bench-harness';

/** Rows of one suite: per case, per system: times, throughput, and ratio to each qkv system. */
export function suiteRows(ms: Measurement[]): Record<string, string>[] {
  const rows: Record<string, string>[] = [];
  const cases = [...new Set(ms.map((m) => m.case))];
  for (const c of cases) {
    const inCase = ms.filter((m) => m.case === c);
    const best = inCase.filter((m) => m.system.startsWith('qkv')).sort((a, b) => a.medianMs - b.medianMs)[0];
    for (const m of inCase) {
      const tp = throughput(m);
      rows.push({
        case: c,
        system: m.system,
        'median ms': fmt(m.medianMs),
        'min ms': fmt(m.minMs),
        'max ms': fmt(m.maxMs),
        ...(m.work ? { [m.work.unit]: tp === undefined ? '' : fmt(tp) } : {}),
        'best qkv speed-up': best ? `${fmt(m.medianMs / best.medianMs)}×` : '',
        'max |diff|': m.maxAbsDiff === undefined ? '' : m.maxAbsDiff.toExponential(1),
      });
    }
  }
  return rows;
}

/** An SVG bar chart of one suite: median time per system, grouped by case. */
export function suiteChart(suite: string, ms: Measurement[]): string {
  const cases = [...new Set(ms.map((m) => m.case))];
  const systems = [...new Set(ms.map((m) => m.system))];
  // a system missing from a case (e.g. tfjs-cpu at 1024³) is drawn as an empty bar
  const series = systems.map((s) => ({ name: s, values: cases.map((c) => ms.find((m) => m.case === c && m.system === s)?.medianMs ?? 0) }));
  return barChart(cases, series, { title: `${suite}: median time (ms, lower is better)`, yLabel: 'ms (median)', unit: ' ms', logY: true });
}

/** One row per suite: its peak RSS, JS heap and external memory, MB. */
export function memoryRows(memory: Record<string, MemoryPeak>): Record<string, string>[] {
  return Object.entries(memory).map(([suite, m]) => ({ suite, 'peak RSS MB': m.peakRssMb.toFixed(0), 'peak JS heap MB': m.peakHeapMb.toFixed(0), 'peak external MB': m.peakExternalMb.toFixed(0) }));
}
