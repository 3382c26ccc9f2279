// ViT on MNIST: draw a digit, see the shipped Vision Transformer's prediction and where its CLS
// token looked (attention over the image patches).
import { noGrad, tensor, tidy } from '@qkv/tensor-core';
import { attentionHeatmap, barChart } from '@qkv/viz';
import { t } from '../i18n.js';
import { loadVit } from '../models.js';
import { colourScaleToggle, h, svgFigure } from '../ui/dom.js';
import type { View } from './view.js';

const SIDE = 28;
const SCALE = 8;

export const vitView: View = {
  id: 'vit',
  async render(container, params) {
    const shipped = await loadVit();
    const card = h('section', { class: 'card' },
      h('h2', {}, t({ en: 'Vision Transformer on handwritten digits', ko: '손글씨 숫자의 비전 트랜스포머' })),
      h('p', { class: 'lead' }, t({
        en: 'The image is cut into patches; each patch is a token. The CLS token attends to the patches and its output becomes the prediction. Draw a digit with the mouse or a finger.',
        ko: '이미지를 패치로 자르고 각 패치를 토큰으로 씁니다. CLS 토큰이 패치들에 어텐션하고 그 출력이 예측이 됩니다. 마우스나 손가락으로 숫자를 그려 보세요.',
      })),
    );
    container.append(card);
    if (!shipped) {
      card.append(h('p', { class: 'error' }, t({ en: 'No ViT model is shipped with this build (run qkv train vit-mnist, then qkv export vit-mnist).', ko: '이 빌드에는 ViT 모델이 없습니다 (qkv train vit-mnist 후 qkv export vit-mnist).' })));
      return;
    }
    const { model, manifest } = shipped;
    const patch = Number(manifest.model.patchSize ?? 7);
    const canvas = h('canvas', { width: SIDE * SCALE, height: SIDE * SCALE, class: 'draw', 'aria-label': 'drawing area' });
    const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
    const result = h('div', { class: 'grid2' });
    const clear = () => {
      ctx.fillStyle = '#000';
      ctx.fillRect(0, 0, canvas.width, canvas.height);
    };
    clear();
    let drawing = false;
    const pos = (e: PointerEvent) => {
      const r = canvas.getBoundingClientRect();
      return [((e.clientX - r.left) / r.width) * canvas.width, ((e.clientY - r.top) / r.height) * canvas.height] as const;
    };
    canvas.addEventListener('pointerdown', (e) => { drawing = true; canvas.setPointerCapture(e.pointerId); });
    canvas.addEventListener('pointerup', () => { drawing = false; predict(); });
    canvas.addEventListener('pointermove', (e) => {
      if (!drawing) return;
      const [x, y] = pos(e);
      ctx.fillStyle = '#fff';
      ctx.beginPath();
      ctx.arc(x, y, SCALE * 1.2, 0, Math.PI * 2);
      ctx.fill();
    });
    /** Averages the big canvas down to 28×28 grey levels in [0, 1]. */
    const pixels = (): Float32Array => {
      const img = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
      const out = new Float32Array(SIDE * SIDE);
      for (let y = 0; y < canvas.height; y++) for (let x = 0; x < canvas.width; x++) out[Math.floor(y / SCALE) * SIDE + Math.floor(x / SCALE)]! += img[(y * canvas.width + x) * 4]! / 255 / (SCALE * SCALE);
      return out;
    };
    let redraw: (() => void) | null = null;
    const [scaleLabel, domain] = colourScaleToggle(params, () => redraw?.());
    const predict = () => {
      const ink = pixels();
      if (ink.reduce((a, b) => a + b, 0) < 1) { // less than one pixel's worth of ink: nothing drawn yet
        document.body.dataset.vit = 'empty';
        result.replaceChildren(h('p', { class: 'error', role: 'alert', 'data-input-error': '' }, t({ en: 'Draw a digit first: the canvas is empty.', ko: '먼저 숫자를 그려 주세요: 캔버스가 비어 있습니다.' })));
        return;
      }
      const { probs, cls } = tidy(() =>
        noGrad(() => {
          const x = tensor(ink, { shape: [1, 1, SIDE, SIDE] });
          const { logits, attention } = model.forwardWithAttention(x);
          const last = attention.at(-1)!; // [1, H, 1+N, 1+N]
          const fromCls = last.mean(1).squeeze(0).select(0, 0).narrow(0, 1, last.shape[3]! - 1); // [N]
          return { probs: Array.from(logits.softmax(-1).dataSync()), cls: Array.from(fromCls.dataSync()) };
        }),
      );
      const best = probs.indexOf(Math.max(...probs));
      const n = SIDE / patch;
      document.body.dataset.vit = String(best);
      const labels = Array.from({ length: n }, (_, i) => String(i + 1));
      const heat = () => attentionHeatmap({ shape: [n, n], data: cls }, { colormap: 'YlGnBu', domain: domain(), title: t({ en: 'CLS → patch attention (last layer, mean of heads)', ko: 'CLS → 패치 어텐션 (마지막 층, 헤드 평균)' }), xLabels: labels, yLabels: labels, xTitle: t({ en: 'patch column', ko: '패치 열' }), yTitle: t({ en: 'patch row', ko: '패치 행' }) });
      redraw = () => result.querySelector('[data-figure=vit-attention]')?.replaceWith(svgFigure(heat(), 'vit-attention'));
      result.replaceChildren(
        h('div', {}, h('p', { class: 'big' }, `${t({ en: 'prediction', ko: '예측' })}: ${best} (${(probs[best]! * 100).toFixed(1)} %)`),
          svgFigure(barChart(probs.map((_, i) => String(i)), [{ name: 'p', values: probs }], { title: t({ en: 'class probabilities', ko: '클래스 확률' }), showValues: false }), 'vit-probs')),
        svgFigure(heat(), 'vit-attention'),
      );
    };
    const acc = manifest.metrics?.test?.accuracy;
    card.append(
      h('div', { class: 'row' }, canvas, h('div', {},
        h('button', { type: 'button', class: 'secondary', onclick: () => { clear(); result.replaceChildren(); } }, t({ en: 'Clear', ko: '지우기' })),
        h('p', { class: 'muted' }, `${t({ en: 'test accuracy', ko: '테스트 정확도' })}: ${acc === undefined ? '–' : `${(acc * 100).toFixed(1)} %`}`),
        scaleLabel)),
      result,
    );
  },
};
