// Positional-encoding explorer: the sinusoidal table, chosen dimensions, and position similarity.
import { sinusoidalTable } from '@qkv/transformer';
import { tidy } from '@qkv/tensor-core';
import { attentionHeatmap, positionalEncodingView } from '@qkv/viz';
import { t } from '../i18n.js';
import { card, h, numberInput, svgFigure } from '../ui/dom.js';
import { exportButtons, matrixToCsv } from '../ui/export.js';
import type { View } from './view.js';

export const positionsView: View = {
  id: 'positions',
  render(container, params, setParams) {
    const [dLabel, dInput] = numberInput('d_model', Number(params.get('d') ?? 64), { min: 4, max: 512, step: 2, name: 'd' });
    const [pLabel, pInput] = numberInput(t({ en: 'positions', ko: '위치 수' }), Number(params.get('p') ?? 50), { min: 2, max: 512, step: 1, name: 'p' });
    const [dimsLabel, dimsInput] = [h('label', {}, t({ en: 'curves of dims ', ko: '곡선으로 볼 차원 ' })), h('input', { type: 'text', value: params.get('dims') ?? '0,1,6,7', name: 'dims' })];
    dimsLabel.append(dimsInput);
    const out = h('div', {});
    const draw = () => {
      const d = Math.max(4, Math.round(Number(dInput.value) / 2) * 2);
      const p = Math.min(512, Math.max(2, Math.round(Number(pInput.value))));
      const dims = dimsInput.value.split(',').map((s) => Number(s.trim())).filter((x) => Number.isInteger(x) && x >= 0 && x < d);
      setParams({ d, p, dims: dims.join(',') });
      const { table, sim } = tidy(() => {
        const table = sinusoidalTable(p, d); // [P, D], the table SinusoidalPositionalEncoding adds
        const sim = table.matmul(table.t()).div(d / 2); // cosine-like similarity of positions
        return { table: { shape: table.shape, data: Array.from(table.dataSync()) }, sim: { shape: sim.shape, data: Array.from(sim.dataSync()) } };
      });
      const view = positionalEncodingView(table, { dims, title: `PE(pos, 2i) = sin(pos / 10000^(2i/${d})), PE(pos, 2i+1) = cos(…)` });
      const simSvg = attentionHeatmap(sim, { colormap: 'RdBu_r', title: t({ en: 'PE·PEᵀ: nearby positions look alike, by distance only', ko: 'PE·PEᵀ: 가까운 위치일수록 비슷하고, 거리에만 의존' }), xTitle: 'position', yTitle: 'position', maxLabels: 12 });
      const rows = Array.from({ length: p }, (_, i) => table.data.slice(i * d, (i + 1) * d));
      out.replaceChildren(
        svgFigure(view, 'positional-encoding'),
        exportButtons('positional-encoding', () => view, () => ({ json: rows, csv: matrixToCsv(rows) })),
        svgFigure(simSvg, 'position-similarity'),
      );
    };
    for (const el of [dInput, pInput, dimsInput]) el.addEventListener('change', draw);
    container.append(
      card(t({ en: 'Sinusoidal positional encoding', ko: '사인파 위치 인코딩' }), t({
        en: 'Each position gets a vector of sines and cosines at geometrically spaced frequencies. Low dimensions oscillate fast, high dimensions slowly, so every position has a unique code and PE(pos + k) is a linear function of PE(pos).',
        ko: '각 위치는 기하급수적으로 간격을 둔 주파수의 사인·코사인 벡터를 받습니다. 낮은 차원은 빠르게, 높은 차원은 느리게 진동하므로 모든 위치가 고유한 코드를 가지며 PE(pos + k)는 PE(pos)의 선형 함수입니다.',
      }),
        h('div', { class: 'row' }, dLabel, pLabel, dimsLabel),
        out,
      ),
    );
    draw();
  },
};
