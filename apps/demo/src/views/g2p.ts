// Home: the shipped grapheme-to-phoneme models. Type a word, read its phonemes, and see which
// letters each phoneme attended to — per layer and head, greedy or beam, Transformer or BiGRU.
import { normalizeWord } from '@qkv/datasets';
import { noGrad, tensor, tidy } from '@qkv/tensor-core';
import type { Tensor } from '@qkv/tensor-core';
import { Seq2SeqTransformer, beamSearch, greedyDecode } from '@qkv/transformer';
import type { DecodeStepper } from '@qkv/transformer';
import { attentionHeatmap } from '@qkv/viz';
import { t } from '../i18n.js';
import { loadSeq2Seq } from '../models.js';
import type { LoadedSeq2Seq } from '../models.js';
import { colourScaleToggle, h, selectInput, svgFigure } from '../ui/dom.js';
import { exportButtons, matrixToCsv } from '../ui/export.js';
import type { View } from './view.js';

const EXAMPLES = ['attention', 'transformer', 'phoneme', 'queue', 'knight', 'seoul'];
/** CMUdict's longest plain word has 34 letters; the models' position tables hold 64. */
const MAX_WORD_LENGTH = 34;

interface Decoded {
  phonemes: string[];
  beams: { text: string; score: number }[];
}

/** Greedy or beam decoding of one word. */
export function decodeWord(m: LoadedSeq2Seq, word: string, beamWidth: number): Decoded {
  const sos = m.target.specialTokens.sos!;
  const eos = m.target.specialTokens.eos!;
  return tidy(() =>
    noGrad(() => {
      const ids = m.source.encode(word);
      const src = tensor(Int32Array.from(ids), { shape: [1, ids.length], dtype: 'int32' });
      const prompt = tensor([[sos]], { dtype: 'int32' });
      // each model's stepper has its own state type; the decoders are generic over it
      const stepper = m.model.stepper(src) as DecodeStepper<unknown>;
      if (beamWidth > 1) {
        const hyps = beamSearch(stepper, { prompt, beamWidth, eosId: eos, maxNewTokens: 32 })[0]!;
        const beams = hyps.map((hy) => ({ text: m.target.decode(hy.tokens, { skipSpecialTokens: true }), score: hy.score }));
        return { phonemes: beams[0]!.text.split(' ').filter(Boolean), beams };
      }
      const out = (greedyDecode(stepper, { prompt, eosId: eos, maxNewTokens: 32 }).toArray() as number[][])[0]!;
      const text = m.target.decode(out.slice(1), { skipSpecialTokens: true });
      return { phonemes: text.split(' ').filter(Boolean), beams: [] };
    }),
  );
}

/** Cross-attention [T, S] for the decoded output: per layer/head for the Transformer, Bahdanau for the GRU. */
export function crossAttention(m: LoadedSeq2Seq, word: string, phonemes: string[], layer: number, head: number | 'mean'): number[][] {
  return tidy(() =>
    noGrad(() => {
      const srcIds = m.source.encode(word);
      const tgtIds = [m.target.specialTokens.sos!, ...m.target.encode(phonemes.join(' '))];
      const src = tensor(Int32Array.from(srcIds), { shape: [1, srcIds.length], dtype: 'int32' });
      const tgt = tensor(Int32Array.from(tgtIds), { shape: [1, tgtIds.length], dtype: 'int32' });
      let w: Tensor;
      if (m.model instanceof Seq2SeqTransformer) {
        const all = m.model.forwardWithAttention(src, tgt);
        const l = all.crossAttention[Math.min(layer, all.crossAttention.length - 1)]!; // [1, H, T, S]
        w = head === 'mean' ? l.mean(1).squeeze(0) : l.select(1, head).squeeze(0);
      } else {
        w = m.model.forwardWithAttention(src, tgt).attention.squeeze(0); // [T, S]
      }
      return w.toArray() as number[][];
    }),
  );
}

function metricsLine(m: LoadedSeq2Seq): string {
  const test = m.manifest.metrics?.test ?? {};
  const pct = (x: number | undefined) => (x === undefined ? '–' : `${(x * 100).toFixed(1)} %`);
  return `${t({ en: 'test split', ko: '테스트 세트' })}: PER ${pct(test.per)} · WER ${pct(test.wer)} (${t({ en: 'stressless', ko: '강세 제외' })})`;
}

export const g2pView: View = {
  id: 'g2p',
  async render(container, params, setParams) {
    const [transformer, gru] = await Promise.all([loadSeq2Seq('g2p-transformer'), loadSeq2Seq('g2p-gru')]);
    const models = [transformer && ['transformer', 'Transformer', transformer], gru && ['gru', 'BiGRU + Bahdanau', gru]].filter(Boolean) as [string, string, LoadedSeq2Seq][];
    if (models.length === 0) {
      container.append(h('section', { class: 'card' }, h('h2', {}, 'G2P'), h('p', { class: 'error' }, t({ en: 'No shipped G2P model was found in public/models (run qkv export g2p-transformer).', ko: 'public/models에 G2P 모델이 없습니다 (qkv export g2p-transformer 실행).' }))));
      return;
    }
    const input = h('input', { type: 'text', value: params.get('word') ?? 'attention', name: 'word', 'aria-label': 'word', autocomplete: 'off', spellcheck: false, maxlength: 200 });
    const [modelLabel, modelSel] = selectInput(t({ en: 'Model', ko: '모델' }), models.map(([id, label]) => [id, label]), params.get('model') ?? models[0]![0], 'model');
    const [decLabel, decSel] = selectInput(t({ en: 'Decoding', ko: '디코딩' }), [['1', t({ en: 'greedy', ko: '그리디' })], ['4', t({ en: 'beam search (4)', ko: '빔 서치 (4)' })]], params.get('beam') ?? '1', 'beam');
    const [layerLabel, layerSel] = selectInput(t({ en: 'Layer', ko: '층' }), [], '0', 'layer');
    const [headLabel, headSel] = selectInput(t({ en: 'Head', ko: '헤드' }), [], 'mean', 'head');
    const output = h('p', { class: 'big mono', 'data-output': '' });
    const problem = h('p', { class: 'error', role: 'alert', 'data-input-error': '', hidden: true });
    const [scaleLabel, domain] = colourScaleToggle(params, () => run());
    const lead = h('p', { class: 'lead' });
    const beams = h('ol', { class: 'mono' });
    const figure = h('div', {});
    const info = h('p', { class: 'muted' });

    const current = () => models.find(([id]) => id === modelSel.value)![2];
    const syncSelectors = () => {
      const m = current();
      const isT = m.model instanceof Seq2SeqTransformer;
      const layers = isT ? Number(m.manifest.model.numDecoderLayers ?? 3) : 1;
      const heads = isT ? Number(m.manifest.model.nhead ?? 4) : 1;
      layerSel.replaceChildren(...Array.from({ length: layers }, (_, i) => h('option', { value: String(i), selected: String(i) === (params.get('layer') ?? String(layers - 1)) }, `${i + 1}`)));
      headSel.replaceChildren(h('option', { value: 'mean' }, t({ en: 'mean of heads', ko: '헤드 평균' })), ...Array.from({ length: heads }, (_, i) => h('option', { value: String(i), selected: params.get('head') === String(i) }, `${i + 1}`)));
      layerLabel.hidden = headLabel.hidden = !isT;
    };
    const syncLead = () => {
      lead.textContent = current().model instanceof Seq2SeqTransformer
        ? t({
            en: 'A Transformer trained with qkv on CMUdict turns spelling into ARPAbet phonemes. Each row of the heatmap is one phoneme it wrote; bright cells are the letters it looked at while writing it.',
            ko: 'qkv로 CMUdict에서 학습한 트랜스포머가 철자를 ARPAbet 음소로 바꿉니다. 히트맵의 각 행은 모델이 쓴 음소 하나이고, 밝은 칸은 그 음소를 쓰며 본 글자입니다.',
          })
        : t({
            en: 'A bidirectional GRU with Bahdanau attention, trained with qkv on CMUdict, turns spelling into ARPAbet phonemes: the RNN the course builds before Transformers. Each row is one phoneme; bright cells are the letters its single attention looked at.',
            ko: 'qkv로 CMUdict에서 학습한 양방향 GRU + Bahdanau 어텐션이 철자를 ARPAbet 음소로 바꿉니다. 트랜스포머 이전에 배우는 RNN 모델입니다. 각 행은 음소 하나이고, 밝은 칸은 어텐션이 본 글자입니다.',
          });
    };
    /** Refuses the input visibly and clears the last answer, so a stale answer is never shown as this word's. */
    const refuse = (message: string) => {
      problem.textContent = `${t({ en: 'Cannot pronounce this', ko: '발음할 수 없습니다' })}: ${message.replace(/^normalizeWord: expected /, '')}`;
      problem.hidden = false;
      output.textContent = '';
      beams.replaceChildren();
      figure.replaceChildren();
      info.textContent = '';
      document.body.dataset.g2p = `error:${message}`;
    };
    const run = () => {
      let word: string;
      try {
        word = normalizeWord(input.value, { maxLength: MAX_WORD_LENGTH });
      } catch (err) {
        refuse((err as Error).message);
        return;
      }
      problem.hidden = true;
      const m = current();
      setParams({ word, model: modelSel.value, beam: decSel.value, layer: layerSel.value, head: headSel.value, ...(domain() ? {} : { autoscale: 1 }) });
      const t0 = performance.now();
      const decoded = decodeWord(m, word, Number(decSel.value));
      const ms = performance.now() - t0;
      output.textContent = `/${decoded.phonemes.join(' ')}/`;
      beams.replaceChildren(...decoded.beams.map((b) => h('li', {}, `${b.text}  (${t({ en: 'score', ko: '점수' })} ${b.score.toFixed(3)})`)));
      const head = headSel.value === 'mean' ? 'mean' : Number(headSel.value);
      const weights = crossAttention(m, word, decoded.phonemes, Number(layerSel.value), head);
      const rows = [...decoded.phonemes, '<eos>'];
      const cols = m.source.encodeWithOffsets(word).tokens;
      const title = m.model instanceof Seq2SeqTransformer
        ? `cross-attention · ${t({ en: 'layer', ko: '층' })} ${Number(layerSel.value) + 1} · ${head === 'mean' ? t({ en: 'mean of heads', ko: '헤드 평균' }) : `${t({ en: 'head', ko: '헤드' })} ${head + 1}`}`
        : 'Bahdanau attention (BiGRU)';
      const svg = attentionHeatmap({ shape: [weights.length, weights[0]?.length ?? 0], data: weights.flat() }, { xLabels: cols, yLabels: rows, colormap: 'YlGnBu', domain: domain(), title, xTitle: t({ en: 'letters (source)', ko: '글자 (입력)' }), yTitle: t({ en: 'phonemes (output)', ko: '음소 (출력)' }), showValues: cols.length <= 12 });
      figure.replaceChildren(svgFigure(svg, 'cross-attention'), exportButtons(`g2p-${word}`, () => svg, () => ({ json: { word, phonemes: decoded.phonemes, rows, cols, weights }, csv: matrixToCsv(weights, rows, cols) })));
      info.textContent = `${metricsLine(m)} · ${t({ en: 'decoded in', ko: '디코딩 시간' })} ${ms.toFixed(0)} ms`;
      document.body.dataset.g2p = `${word}:${decoded.phonemes.join(' ')}`;
    };
    modelSel.addEventListener('change', () => { syncSelectors(); syncLead(); run(); });
    for (const el of [decSel, layerSel, headSel]) el.addEventListener('change', run);
    input.addEventListener('keydown', (e) => { if (e.key === 'Enter') run(); });
    const go = h('button', { type: 'button', onclick: run }, t({ en: 'Pronounce', ko: '발음하기' }));
    container.append(
      h('section', { class: 'card' },
        h('h2', {}, t({ en: 'How do you pronounce it? Watch the model decide.', ko: '어떻게 읽을까요? 모델이 정하는 과정을 보세요.' })),
        lead,
        h('div', { class: 'row' }, h('div', { class: 'field' }, input, go), modelLabel, decLabel, layerLabel, headLabel, scaleLabel),
        problem,
        h('div', { class: 'row' }, ...EXAMPLES.map((w) => h('button', { type: 'button', class: 'secondary', onclick: () => { input.value = w; run(); } }, w))),
        output,
        beams,
        figure,
        info,
      ),
    );
    syncSelectors();
    syncLead();
    run();
  },
};
