// Multi-head grid: every layer × head of the shipped Transformer, for encoder self-attention,
// decoder self-attention and cross-attention, on one word.
import { noGrad, tensor, tidy } from '@qkv/tensor-core';
import type { Tensor } from '@qkv/tensor-core';
import { Seq2SeqTransformer } from '@qkv/transformer';
import { headGrid } from '@qkv/viz';
import { t } from '../i18n.js';
import { loadSeq2Seq } from '../models.js';
import { normalizeWord } from '@qkv/datasets';
import { colourScaleToggle, h, selectInput, svgFigure } from '../ui/dom.js';
import { exportButtons } from '../ui/export.js';
import { decodeWord } from './g2p.js';
import type { View } from './view.js';

type Kind = 'encoderSelfAttention' | 'decoderSelfAttention' | 'crossAttention';

/** [L, H, rows, cols] of one attention kind, as plain nested data for headGrid. */
function grid(layers: Tensor[]): { shape: number[]; data: number[] } {
  const stacked = layers.map((l) => l.squeeze(0)); // each [H, rows, cols]
  const [H, R, C] = stacked[0]!.shape as [number, number, number];
  return { shape: [stacked.length, H, R, C], data: stacked.flatMap((l) => Array.from(l.dataSync())) };
}

export const headsView: View = {
  id: 'heads',
  async render(container, params, setParams) {
    const m = await loadSeq2Seq('g2p-transformer');
    if (!m || !(m.model instanceof Seq2SeqTransformer)) {
      container.append(h('p', { class: 'error' }, t({ en: 'The shipped Transformer is missing.', ko: '제공 트랜스포머가 없습니다.' })));
      return;
    }
    const model = m.model;
    const input = h('input', { type: 'text', value: params.get('word') ?? 'transformer', name: 'word', 'aria-label': 'word' });
    const [kindLabel, kindSel] = selectInput(t({ en: 'Attention', ko: '어텐션' }), [
      ['crossAttention', t({ en: 'cross (phonemes → letters)', ko: '교차 (음소 → 글자)' })],
      ['encoderSelfAttention', t({ en: 'encoder self (letters → letters)', ko: '인코더 셀프 (글자 → 글자)' })],
      ['decoderSelfAttention', t({ en: 'decoder self (phonemes → earlier phonemes)', ko: '디코더 셀프 (음소 → 앞선 음소)' })],
    ], params.get('kind') ?? 'crossAttention', 'kind');
    const [aggLabel, aggSel] = selectInput(t({ en: 'Aggregate', ko: '집계' }), [['none', t({ en: 'heads only', ko: '헤드만' })], ['mean', t({ en: '+ mean', ko: '+ 평균' })], ['max', t({ en: '+ max', ko: '+ 최대' })]], params.get('agg') ?? 'mean', 'agg');
    const out = h('div', {});
    const problem = h('p', { class: 'error', role: 'alert', 'data-input-error': '', hidden: true });
    const [scaleLabel, domain] = colourScaleToggle(params, () => draw());
    const draw = () => {
      let word: string;
      try {
        word = normalizeWord(input.value);
      } catch (err) {
        problem.textContent = `${t({ en: 'Cannot read this word', ko: '읽을 수 없는 단어입니다' })}: ${(err as Error).message.replace(/^normalizeWord: expected /, '')}`;
        problem.hidden = false;
        out.replaceChildren();
        return;
      }
      problem.hidden = true;
      const auto = domain() === undefined;
      setParams({ word, kind: kindSel.value, agg: aggSel.value, ...(auto ? { autoscale: 1 } : {}) });
      const phonemes = decodeWord(m, word, 1).phonemes;
      const kind = kindSel.value as Kind;
      const data = tidy(() =>
        noGrad(() => {
          const srcIds = m.source.encode(word);
          const tgtIds = [m.target.specialTokens.sos!, ...m.target.encode(phonemes.join(' '))];
          const src = tensor(Int32Array.from(srcIds), { shape: [1, srcIds.length], dtype: 'int32' });
          const tgt = tensor(Int32Array.from(tgtIds), { shape: [1, tgtIds.length], dtype: 'int32' });
          return grid(model.forwardWithAttention(src, tgt)[kind]);
        }),
      );
      const [L, H] = [data.shape[0]!, data.shape[1]!];
      const letters = m.source.encodeWithOffsets(word).tokens;
      const outputs = ['<sos>', ...phonemes]; // decoder inputs: each row predicts the next phoneme
      const [queries, keys] = kind === 'encoderSelfAttention' ? [letters, letters] : kind === 'crossAttention' ? [outputs, letters] : [outputs, outputs];
      const svg = headGrid(data, {
        aggregate: aggSel.value as 'none' | 'mean' | 'max',
        layerLabels: Array.from({ length: L }, (_, i) => `${t({ en: 'layer', ko: '층' })} ${i + 1}`),
        headLabels: Array.from({ length: H }, (_, i) => `${t({ en: 'head', ko: '헤드' })} ${i + 1}`),
        queryLabels: queries.length === data.shape[2] ? queries : undefined,
        keyLabels: keys.length === data.shape[3] ? keys : undefined,
        domain: domain(),
        colormap: 'YlGnBu',
        thumbSize: 96,
        title: `${word} → /${phonemes.join(' ')}/ · ${kindSel.selectedOptions[0]?.textContent ?? ''}`,
      });
      out.replaceChildren(svgFigure(svg, 'head-grid'), exportButtons(`heads-${word}-${kind}`, () => svg, () => ({ json: data, csv: '' })));
    };
    for (const el of [kindSel, aggSel]) el.addEventListener('change', draw);
    input.addEventListener('change', draw);
    container.append(
      h('section', { class: 'card' },
        h('h2', {}, t({ en: 'Every head of every layer', ko: '모든 층의 모든 헤드' })),
        h('p', { class: 'lead' }, t({
          en: 'Heads specialise: some track the letter being pronounced, some look one letter ahead, some spread out. Rows are queries, columns keys; one thumbnail per layer and head.',
          ko: '헤드는 역할이 나뉩니다. 지금 읽는 글자를 따라가는 헤드, 한 글자 앞을 보는 헤드, 넓게 퍼지는 헤드가 있습니다. 행은 쿼리, 열은 키이며 층과 헤드마다 썸네일 하나입니다.',
        })),
        h('div', { class: 'row' }, input, kindLabel, aggLabel, scaleLabel),
        problem,
        out,
      ),
    );
    draw();
  },
};
