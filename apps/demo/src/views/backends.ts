// Backend comparison: the same ops on every backend this browser offers, timed, and checked
// against the cpu reference (maximum absolute difference).
import { scaledDotProductAttention } from '@qkv/attention';
import { getBackend, Generator, randn, setBackend, tidy } from '@qkv/tensor-core';
import type { Tensor } from '@qkv/tensor-core';
import { barChart } from '@qkv/viz';
import { availableBackends, wasmThreads } from '../backends.js';
import { t } from '../i18n.js';
import { h, svgFigure } from '../ui/dom.js';
import type { View } from './view.js';

interface Op {
  name: string;
  run: () => Tensor;
}

function ops(): Op[] {
  const g = () => new Generator(11);
  return [
    { name: 'matmul 256³', run: () => randn([256, 256], { generator: g() }).matmul(randn([256, 256], { generator: g() })) },
    { name: 'softmax 512²', run: () => randn([512, 512], { generator: g() }).softmax(-1) },
    {
      name: 'attention 8×128×64',
      run: () => {
        const q = randn([8, 128, 64], { generator: g() });
        return scaledDotProductAttention(q, q, q).output;
      },
    },
  ];
}

/** "wasm threads: n", and why only one when that is so. */
function threadsLine(): string {
  const { count, reason } = wasmThreads;
  const why =
    reason === null ? ''
    : reason === 'not-isolated' ? t({ en: 'the page is not cross-origin isolated, so there is no shared memory', ko: '페이지가 교차 출처 격리되지 않아 공유 메모리가 없습니다' })
    : reason === 'one-core' ? t({ en: 'this device reports one hardware thread', ko: '이 기기는 하드웨어 스레드를 하나만 보고합니다' })
    : `${t({ en: 'threads failed to start', ko: '스레드를 시작하지 못했습니다' })}: ${reason.error}`;
  return `${t({ en: 'wasm threads', ko: 'wasm 스레드' })}: ${count}${why ? ` (${why})` : ''}`;
}

async function measure(op: Op): Promise<{ ms: number; values: ArrayLike<number> }> {
  await tidy(() => op.run()).data().then(() => undefined); // warm-up: compile kernels, grow heaps
  const times: number[] = [];
  let values: ArrayLike<number> = [];
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    const y = tidy(() => op.run());
    values = await y.data();
    times.push(performance.now() - t0);
    y.dispose();
  }
  times.sort((a, b) => a - b);
  return { ms: times[2]!, values };
}

export const backendsView: View = {
  id: 'backends',
  render(container) {
    const table = h('table', { class: 'data', 'data-results': '' });
    const chart = h('div', {});
    const status = h('p', { class: 'muted' });
    const runAll = async () => {
      const previous = getBackend();
      button.disabled = true;
      const results: { op: string; backend: string; ms: number; diff: number }[] = [];
      for (const op of ops()) {
        await setBackend('cpu');
        const ref = await measure(op);
        for (const backend of availableBackends) {
          status.textContent = `${op.name} · ${backend}…`;
          await setBackend(backend);
          const r = backend === 'cpu' ? ref : await measure(op);
          let diff = 0;
          for (let i = 0; i < ref.values.length; i++) diff = Math.max(diff, Math.abs(ref.values[i]! - r.values[i]!));
          results.push({ op: op.name, backend, ms: r.ms, diff });
        }
      }
      await setBackend(previous);
      table.replaceChildren(
        h('tr', {}, ...['op', 'backend', t({ en: 'median ms', ko: '중앙값 ms' }), t({ en: 'max |diff| vs cpu', ko: 'cpu와 최대 차이' })].map((c) => h('th', {}, c))),
        ...results.map((r) => h('tr', { 'data-backend': r.backend }, h('td', {}, r.op), h('td', {}, r.backend), h('td', {}, r.ms.toFixed(2)), h('td', {}, r.diff.toExponential(1)))),
      );
      const categories = [...new Set(results.map((r) => r.op))];
      chart.replaceChildren(svgFigure(barChart(categories, availableBackends.map((b) => ({ name: b, values: categories.map((c) => results.find((r) => r.op === c && r.backend === b)?.ms ?? 0) })), { title: t({ en: 'median time per op (ms, lower is better)', ko: '연산별 중앙값 시간 (ms, 낮을수록 좋음)' }), unit: ' ms', logY: true, showValues: false }), 'backends'));
      status.textContent = `${t({ en: 'done', ko: '완료' })} · ${availableBackends.join(', ')}`;
      document.body.dataset.backendsDone = String(results.length);
      button.disabled = false;
    };
    const button = h('button', { type: 'button', onclick: () => void runAll() }, t({ en: 'Run on every backend', ko: '모든 백엔드에서 실행' }));
    container.append(
      h('section', { class: 'card' },
        h('h2', {}, t({ en: 'Backends', ko: '백엔드' })),
        h('p', { class: 'lead' }, t({
          en: 'qkv runs the same tensor program on plain JavaScript (cpu, the reference), WebAssembly SIMD (wasm; threads when the page is cross-origin isolated), WebGL2 and WebGPU (through gpu.js). Each result is compared with cpu.',
          ko: 'qkv는 같은 텐서 프로그램을 순수 JavaScript(cpu, 기준), WebAssembly SIMD(wasm, 교차 출처 격리 시 스레드), WebGL2, WebGPU(gpu.js)에서 실행합니다. 각 결과를 cpu와 비교합니다.',
        })),
        h('p', {}, `${t({ en: 'Available here', ko: '이 브라우저에서 사용 가능' })}: ${availableBackends.join(', ')} · crossOriginIsolated = ${String(globalThis.crossOriginIsolated)}`),
        availableBackends.includes('wasm') && h('p', { 'data-wasm-threads': String(wasmThreads.count) }, threadsLine()),
        button, status, table, chart,
      ),
    );
  },
};
