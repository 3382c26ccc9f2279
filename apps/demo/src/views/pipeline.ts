// One attention head, step by step: X → Q, K, V → QKᵀ → ÷√d_k → + mask → softmax → ·V → ·W_O.
import { causalMask } from '@qkv/attention';
import { Generator, randn, tidy } from '@qkv/tensor-core';
import type { Tensor } from '@qkv/tensor-core';
import { attentionHeatmap } from '@qkv/viz';
import { t } from '../i18n.js';
import { card, h, svgFigure } from '../ui/dom.js';
import { exportButtons, matrixToCsv } from '../ui/export.js';
import type { View } from './view.js';

const TOKENS = ['I', 'love', 'attention', 'maps', '!'];
const D_MODEL = 8;
const D_K = 4;

interface Stage {
  key: string;
  label: { en: string; ko: string };
  formula: string;
  matrix: { shape: number[]; data: number[] };
  rows: string[];
  cols: string[];
}

function snapshot(x: Tensor): { shape: number[]; data: number[] } {
  return { shape: [...x.shape], data: Array.from(x.dataSync()) };
}

/** Computes every intermediate of a single-head self-attention on a fixed seeded example. */
function computeStages(masked: boolean): Stage[] {
  return tidy(() => {
    const g = new Generator(2024);
    const x = randn([TOKENS.length, D_MODEL], { generator: g }); // [T, E]
    const wq = randn([D_MODEL, D_K], { generator: g }).div(Math.sqrt(D_MODEL));
    const wk = randn([D_MODEL, D_K], { generator: g }).div(Math.sqrt(D_MODEL));
    const wv = randn([D_MODEL, D_K], { generator: g }).div(Math.sqrt(D_MODEL));
    const wo = randn([D_K, D_MODEL], { generator: g }).div(Math.sqrt(D_K));
    const q = x.matmul(wq); // [T, d_k]
    const k = x.matmul(wk);
    const v = x.matmul(wv);
    const scores = q.matmul(k.t()); // [T, T]
    const scaled = scores.div(Math.sqrt(D_K));
    const withMask = masked ? scaled.add(causalMask(TOKENS.length)) : scaled;
    const weights = withMask.softmax(-1);
    const context = weights.matmul(v); // [T, d_k]
    const out = context.matmul(wo); // [T, E]
    const dims = (n: number, p: string) => Array.from({ length: n }, (_, i) => `${p}${i}`);
    const T = TOKENS;
    return [
      { key: 'x', label: { en: 'X: token embeddings', ko: 'X: 토큰 임베딩' }, formula: 'X ∈ ℝ^{T×d_model}', matrix: snapshot(x), rows: T, cols: dims(D_MODEL, 'e') },
      { key: 'q', label: { en: 'Q = X·W_Q', ko: 'Q = X·W_Q' }, formula: 'Q = X W_Q', matrix: snapshot(q), rows: T, cols: dims(D_K, 'q') },
      { key: 'k', label: { en: 'K = X·W_K', ko: 'K = X·W_K' }, formula: 'K = X W_K', matrix: snapshot(k), rows: T, cols: dims(D_K, 'k') },
      { key: 'v', label: { en: 'V = X·W_V', ko: 'V = X·W_V' }, formula: 'V = X W_V', matrix: snapshot(v), rows: T, cols: dims(D_K, 'v') },
      { key: 'scores', label: { en: 'QKᵀ: raw scores', ko: 'QKᵀ: 원점수' }, formula: 'S = Q Kᵀ', matrix: snapshot(scores), rows: T, cols: T },
      { key: 'scaled', label: { en: '÷ √d_k', ko: '÷ √d_k' }, formula: `S / √${D_K}`, matrix: snapshot(scaled), rows: T, cols: T },
      { key: 'masked', label: { en: '+ mask', ko: '+ 마스크' }, formula: masked ? 'S / √d_k + M (−∞ above the diagonal)' : 'no mask', matrix: snapshot(withMask), rows: T, cols: T },
      { key: 'softmax', label: { en: 'softmax: attention weights', ko: 'softmax: 어텐션 가중치' }, formula: 'A = softmax(S / √d_k + M), rows sum to 1', matrix: snapshot(weights), rows: T, cols: T },
      { key: 'context', label: { en: 'A·V: context', ko: 'A·V: 문맥 벡터' }, formula: 'C = A V', matrix: snapshot(context), rows: T, cols: dims(D_K, 'c') },
      { key: 'output', label: { en: '·W_O: head output', ko: '·W_O: 헤드 출력' }, formula: 'O = C W_O (concat of heads · W_O with one head)', matrix: snapshot(out), rows: T, cols: dims(D_MODEL, 'o') },
    ];
  });
}

export const pipelineView: View = {
  id: 'pipeline',
  render(container, params, setParams) {
    let masked = params.get('causal') !== '0';
    let stages = computeStages(masked);
    let index = Math.min(stages.length - 1, Math.max(0, Number(params.get('step') ?? 7)));
    const buttons = h('div', { class: 'steps', role: 'toolbar' });
    const figure = h('div', {});
    const formula = h('p', { class: 'mono big' });
    const maskToggle = h('input', { type: 'checkbox', checked: masked, name: 'causal' });
    const show = () => {
      setParams({ step: index, causal: masked ? 1 : 0 });
      const s = stages[index]!;
      buttons.replaceChildren(...stages.map((st, i) => h('button', { type: 'button', 'aria-pressed': String(i === index), 'data-step': st.key, onclick: () => { index = i; show(); } }, `${i + 1}. ${t(st.label)}`)));
      formula.textContent = s.formula;
      const isWeights = s.key === 'softmax';
      const svg = attentionHeatmap(s.matrix, { xLabels: s.cols, yLabels: s.rows, showValues: true, colormap: isWeights ? 'YlGnBu' : 'RdBu_r', domain: isWeights ? [0, 1] : undefined, title: t(s.label) });
      const rows = Array.from({ length: s.matrix.shape[0]! }, (_, i) => s.matrix.data.slice(i * s.matrix.shape[1]!, (i + 1) * s.matrix.shape[1]!));
      figure.replaceChildren(svgFigure(svg, s.key), exportButtons(`head-${s.key}`, () => svg, () => ({ json: rows, csv: matrixToCsv(rows, s.rows, s.cols) })));
    };
    maskToggle.addEventListener('change', () => {
      masked = maskToggle.checked;
      stages = computeStages(masked);
      show();
    });
    container.append(
      card(t({ en: 'One head, step by step', ko: '헤드 하나, 단계별로' }), t({
        en: 'Every number below is computed live by @qkv/tensor-core. Hover a cell to read its exact value; step through the ten stages of scaled dot-product attention.',
        ko: '아래 숫자는 모두 @qkv/tensor-core가 실시간으로 계산합니다. 칸 위에 마우스를 올리면 정확한 값이 보입니다. 스케일드 닷프로덕트 어텐션의 열 단계를 차례로 보세요.',
      }),
        h('div', { class: 'row' }, h('label', {}, maskToggle, ' ', t({ en: 'causal mask', ko: '인과 마스크' }))),
        buttons,
        formula,
        figure,
      ),
    );
    show();
  },
};
