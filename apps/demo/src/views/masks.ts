// Mask explorer: padding, causal and combined masks, as bool or float, and what they do to softmax.
import { causalMask, paddingMask } from '@qkv/attention';
import { Generator, randn, tensor, tidy } from '@qkv/tensor-core';
import { attentionHeatmap, maskView } from '@qkv/viz';
import { t } from '../i18n.js';
import { card, h, selectInput, svgFigure } from '../ui/dom.js';
import { exportButtons } from '../ui/export.js';
import type { View } from './view.js';

const TOKENS = ['<sos>', 'the', 'cat', 'sat', 'down', '<pad>', '<pad>'];
const PAD = 0;

export const masksView: View = {
  id: 'masks',
  render(container, params, setParams) {
    const [kindLabel, kind] = selectInput(t({ en: 'Mask', ko: '마스크' }), [
      ['padding', t({ en: 'padding (keys that are <pad>)', ko: '패딩 (<pad> 키)' })],
      ['causal', t({ en: 'causal (no looking ahead)', ko: '인과 (미래 가리기)' })],
      ['combined', t({ en: 'padding + causal', ko: '패딩 + 인과' })],
    ], params.get('mask') ?? 'combined', 'mask');
    const [formLabel, form] = selectInput(t({ en: 'Form', ko: '형식' }), [
      ['float', t({ en: 'float: 0 keeps, −∞ masks (added to scores)', ko: 'float: 0은 유지, −∞는 가림 (점수에 더함)' })],
      ['bool', t({ en: 'bool, MultiheadAttention: true = masked out', ko: 'bool, MultiheadAttention: true = 가림' })],
      ['bool-sdpa', t({ en: 'bool, scaled_dot_product_attention: true = takes part', ko: 'bool, scaled_dot_product_attention: true = 참여' })],
    ], params.get('form') ?? 'float', 'form');
    const figures = h('div', { class: 'grid2' });
    const code = h('pre', { class: 'mono' });

    const draw = () => {
      setParams({ mask: kind.value, form: form.value });
      const T = TOKENS.length;
      const ids = tensor([TOKENS.map((tok, i) => (tok === '<pad>' ? PAD : i + 1))], { dtype: 'int32' });
      const { maskValues, weights } = tidy(() => {
        const pad = paddingMask(ids, PAD); // [1, S] true at pads
        const causal = causalMask(T); // [T, T] float, −∞ above the diagonal
        const padFloat = pad.float().mul(-Infinity).maskedFill(pad.logicalNot(), 0).reshape([1, T]).expand([T, T]);
        const float = kind.value === 'padding' ? padFloat : kind.value === 'causal' ? causal : causal.add(padFloat);
        const scores = randn([T, T], { generator: new Generator(7) });
        const w = scores.add(float).softmax(-1);
        return { maskValues: Array.from(float.dataSync()), weights: w };
      });
      const blocked = maskValues.map((v) => v === -Infinity);
      const data =
        form.value === 'float'
          ? { shape: [T, T], data: maskValues }
          : { shape: [T, T], data: blocked.map((b) => (form.value === 'bool' ? (b ? 1 : 0) : b ? 0 : 1)) };
      const mv = maskView(form.value === 'float' ? data : { shape: [T, T], data: data.data.map(Boolean) as unknown as number[] }, {
        xLabels: TOKENS, yLabels: TOKENS, title: t({ en: 'mask (query rows × key columns)', ko: '마스크 (쿼리 행 × 키 열)' }),
        boolMeans: form.value === 'bool' ? 'masked' : form.value === 'bool-sdpa' ? 'keep' : undefined,
      });
      const hm = attentionHeatmap(weights, { xLabels: TOKENS, yLabels: TOKENS, colormap: 'YlGnBu', domain: [0, 1], showValues: true, title: t({ en: 'softmax(scores + mask): masked keys get exactly 0', ko: 'softmax(점수 + 마스크): 가린 키는 정확히 0' }) });
      weights.dispose();
      figures.replaceChildren(
        h('div', {}, svgFigure(mv, 'mask'), exportButtons('mask', () => mv)),
        h('div', {}, svgFigure(hm, 'masked-softmax'), exportButtons('masked-softmax', () => hm)),
      );
      code.textContent = [
        `// qkv (@qkv/attention) — same conventions as PyTorch`,
        `const pad = paddingMask(ids, padId);            // [N, S] bool, true at <pad>`,
        `const causal = causalMask(T);                    // [T, T] float, −∞ above the diagonal`,
        form.value === 'bool-sdpa'
          ? `scaledDotProductAttention(q, k, v, { attnMask: keep }) // bool: true = takes part`
          : `mha.forward(q, k, v, { keyPaddingMask: pad, attnMask: causal }) // bool: true = masked out`,
        `// The course's convention, as a one-liner: scores.maskedFill(mask.eq(0), -1e9)`,
        `// A row whose keys are all masked gives zeros here; PyTorch gives NaN (pytorch#41508).`,
      ].join('\n');
    };
    kind.addEventListener('change', draw);
    form.addEventListener('change', draw);
    container.append(
      card(t({ en: 'Masks: what each cell means', ko: '마스크: 각 칸의 의미' }), t({
        en: 'Padding masks hide <pad> keys from every query; causal masks hide the future from each position. PyTorch uses opposite meanings of a boolean mask in its two APIs — the picture labels which one you are looking at.',
        ko: '패딩 마스크는 모든 쿼리에서 <pad> 키를 가리고, 인과 마스크는 각 위치에서 미래를 가립니다. PyTorch의 두 API는 bool 마스크의 뜻이 반대입니다. 그림에 어느 쪽인지 표시됩니다.',
      }),
        h('div', { class: 'row' }, kindLabel, formLabel),
        figures,
        code,
      ),
    );
    draw();
  },
};
