// Look inside a model: open a Hugging Face Hub folder (GPT-2 or BERT family, from your disk or the
// model this app ships), type text, and see every layer × head, the lines between tokens, and what
// the model predicts next (GPT-2) or for each [MASK] (BERT).
import { fromPretrained } from '@qkv/pretrained';
import type { Pretrained, SourceInput } from '@qkv/pretrained';
import { noGrad, tensor, tidy } from '@qkv/tensor-core';
import type { Tensor } from '@qkv/tensor-core';
import type { PretrainedTokenizer } from '@qkv/tokenizer';
import { BertForMaskedLM, BertForSequenceClassification, BertModel, GPT } from '@qkv/transformer';
import { headGrid, tokenLines } from '@qkv/viz';
import { t } from '../i18n.js';
import { card, colourScaleToggle, h, selectInput, svgFigure } from '../ui/dom.js';
import type { View } from './view.js';

/** The GPT-2-family model this app ships in Hub layout (public/models/char-gpt-hub, written by scripts/char-gpt-hub.mjs). */
const SHIPPED = 'models/char-gpt-hub/';
/** Longest text the page takes, in tokens (the shipped model's context is 64). */
const MAX_TOKENS = 64;

interface Reading {
  /** Token labels: the text each token stands for. */
  labels: string[];
  /** Per layer [H, T, T] as plain data for @qkv/viz: shape [L, H, T, T]. */
  attention: { shape: number[]; data: Float32Array };
  /** Top predictions: next token (GPT-2) or per [MASK] position (BERT MLM). */
  predictions: { at: string; top: { token: string; p: number }[] }[];
}

/** What each token stands for in `text` (byte-level symbols and ## pieces shown as their text). */
function tokenLabels(tokenizer: PretrainedTokenizer, text: string, ids: number[]): string[] {
  const enc = tokenizer.encodeWithDetails(text, undefined, { addSpecialTokens: false });
  if (enc.ids.length !== ids.length) return ids.map((id) => tokenizer.idToToken(id) ?? String(id));
  let upTo = 0;
  return enc.tokens.map((token, i) => {
    const [s, e] = enc.offsets[i] ?? [0, 0];
    const fresh = text.slice(Math.max(s, upTo), e);
    upTo = Math.max(upTo, e);
    return s === e ? token : fresh === '' ? '…' : fresh.replace(/\n/g, '⏎');
  });
}

/**
 * The ids the model reads: GPT-2 as the tokenizer gives them; BERT as `[CLS] text [SEP]`, each
 * literal `[MASK]` in the text becoming the mask token (as Hugging Face's tokenizer does).
 */
function encodeText(loaded: Pretrained, text: string): number[] {
  const tok = loaded.tokenizer!;
  if (loaded.model instanceof GPT) return tok.encode(text);
  const special = (name: string) => {
    const id = tok.tokenToId(name);
    if (id === undefined) throw new Error(`${t({ en: 'The vocabulary has no', ko: '어휘에 없습니다:' })} ${name}`);
    return id;
  };
  const parts = text.split('[MASK]').map((part) => tok.encode(part, { addSpecialTokens: false }));
  const mask = parts.length > 1 ? special('[MASK]') : -1;
  return [special('[CLS]'), ...parts.flatMap((p, i) => (i === 0 ? p : [mask, ...p])), special('[SEP]')];
}

/** Top-k of a probability row. */
function topK(probs: Float32Array, tokenizer: PretrainedTokenizer, k = 5): { token: string; p: number }[] {
  const order = Array.from(probs.keys()).sort((a, b) => probs[b]! - probs[a]!).slice(0, k);
  return order.map((id) => ({ token: tokenizer.decode([id]) || tokenizer.idToToken(id) || String(id), p: probs[id]! }));
}

/** Runs the model once on `text`: attention of every layer and head, and its predictions. */
function read(loaded: Pretrained, text: string): Reading {
  const { model, tokenizer } = loaded;
  const tok = tokenizer!;
  const ids = encodeText(loaded, text);
  if (ids.length === 0) throw new Error(t({ en: 'The text gives no tokens.', ko: '토큰이 하나도 없습니다.' }));
  if (ids.length > MAX_TOKENS) throw new Error(t({ en: `The text is ${ids.length} tokens; this page takes at most ${MAX_TOKENS}.`, ko: `글이 ${ids.length}토큰입니다. 이 페이지는 최대 ${MAX_TOKENS}토큰까지 받습니다.` }));
  const labels = model instanceof GPT ? tokenLabels(tok, text, ids) : ids.map((id) => tok.idToToken(id) ?? String(id)); // WordPiece pieces read as they are
  return tidy(() =>
    noGrad(() => {
      const x = tensor(Int32Array.from(ids), { shape: [1, ids.length], dtype: 'int32' });
      let attentions: Tensor[];
      const predictions: Reading['predictions'] = [];
      if (model instanceof GPT) {
        const out = model.forwardWithAttention(x);
        attentions = out.attentions;
        const last = out.logits.select(1, ids.length - 1).squeeze(0).softmax(-1); // [V]
        predictions.push({ at: t({ en: 'next token', ko: '다음 토큰' }), top: topK(last.dataSync() as Float32Array, tok) });
      } else if (model instanceof BertForMaskedLM) {
        const out = model.forwardWithAttention(x);
        attentions = out.attentions;
        const mask = tok.tokenToId('[MASK]');
        ids.forEach((id, i) => {
          if (id !== mask) return;
          const p = out.logits.select(1, i).squeeze(0).softmax(-1);
          predictions.push({ at: `[MASK] #${predictions.length + 1}`, top: topK(p.dataSync() as Float32Array, tok) });
        });
      } else if (model instanceof BertModel || model instanceof BertForSequenceClassification) {
        attentions = model.forwardWithAttention(x).attentions;
      } else {
        throw new Error(t({ en: 'This page shows text models (GPT-2 and BERT families); open ViT folders in code.', ko: '이 페이지는 텍스트 모델(GPT-2, BERT 계열)만 보여 줍니다.' }));
      }
      const perLayer = attentions.map((a) => a.squeeze(0)); // each [H, T, T]
      const [H, T] = [perLayer[0]!.shape[0]!, perLayer[0]!.shape[1]!];
      const data = new Float32Array(perLayer.length * H * T * T);
      perLayer.forEach((a, l) => data.set(a.dataSync(), l * H * T * T));
      return { labels, attention: { shape: [perLayer.length, H, T, T], data }, predictions };
    }),
  );
}

/** One line about a loaded model. */
function summary(loaded: Pretrained): string {
  const c = loaded.config;
  const get = (k: string) => c.fields.get(k);
  const params = loaded.model.numParameters().toLocaleString('en');
  return `${loaded.architecture} (${String(get('model_type'))}) · ${String(get('n_layer') ?? get('num_hidden_layers'))} ${t({ en: 'layers', ko: '층' })} × ${String(get('n_head') ?? get('num_attention_heads'))} ${t({ en: 'heads', ko: '헤드' })} · ${t({ en: 'width', ko: '폭' })} ${String(get('n_embd') ?? get('hidden_size'))} · ${params} ${t({ en: 'parameters', ko: '파라미터' })}`;
}

export const insideView: View = {
  id: 'inside',
  async render(container, params, setParams) {
    const status = h('p', { class: 'muted', 'data-model': '' });
    const progress = h('progress', { max: 1, value: 0, hidden: true, 'aria-label': 'loading progress' });
    const problem = h('p', { class: 'error', role: 'alert', 'data-input-error': '', hidden: true });
    const input = h('textarea', { rows: 2, cols: 60, name: 'text', class: 'mono', maxlength: 1000 });
    input.value = params.get('text') ?? 'The attention mechanism lets';
    const [layerLabel, layerSel] = selectInput(t({ en: 'Layer', ko: '층' }), [], '0', 'layer');
    const [headLabel, headSel] = selectInput(t({ en: 'Head', ko: '헤드' }), [], 'all', 'head');
    const [scaleLabel, domain] = colourScaleToggle(params, () => draw());
    const grid = h('div', {});
    const lines = h('div', {});
    const preds = h('div', {});
    let loaded: Pretrained | null = null;
    let reading: Reading | null = null;
    let hovered: number | undefined;

    const fail = (message: string) => {
      problem.textContent = message;
      problem.hidden = false;
    };
    const drawLines = () => {
      if (!reading) return;
      const heads = headSel.value === 'all' ? undefined : [Number(headSel.value)];
      const svg = tokenLines(reading.attention, { leftTokens: reading.labels, layer: Number(layerSel.value), heads, query: hovered, title: `${t({ en: 'layer', ko: '층' })} ${Number(layerSel.value) + 1} · ${heads ? `${t({ en: 'head', ko: '헤드' })} ${heads[0]! + 1}` : t({ en: 'all heads', ko: '모든 헤드' })}` });
      lines.replaceChildren(svgFigure(svg, 'token-lines'));
    };
    const draw = () => {
      if (!loaded) return;
      try {
        reading = read(loaded, input.value);
      } catch (err) {
        reading = null;
        grid.replaceChildren();
        lines.replaceChildren();
        preds.replaceChildren();
        fail((err as Error).message);
        document.body.dataset.inside = 'error';
        return;
      }
      problem.hidden = true;
      setParams({ text: input.value, layer: layerSel.value, head: headSel.value, ...(domain() ? {} : { autoscale: 1 }) });
      const [L, H] = reading.attention.shape as [number, number];
      grid.replaceChildren(svgFigure(headGrid(reading.attention, {
        layerLabels: Array.from({ length: L }, (_, i) => `${t({ en: 'layer', ko: '층' })} ${i + 1}`),
        headLabels: Array.from({ length: H }, (_, i) => `${t({ en: 'head', ko: '헤드' })} ${i + 1}`),
        queryLabels: reading.labels, keyLabels: reading.labels, colormap: 'YlGnBu', domain: domain(), thumbSize: 110,
        title: t({ en: 'every layer × head (rows: queries, columns: keys)', ko: '모든 층 × 헤드 (행: 쿼리, 열: 키)' }),
      }), 'inside-grid'));
      hovered = undefined;
      drawLines();
      preds.replaceChildren(...reading.predictions.map((p) => h('div', { 'data-predictions': p.at },
        h('h3', {}, p.at),
        h('ol', { class: 'mono' }, ...p.top.map((x) => h('li', {}, `${JSON.stringify(x.token)}  ${(x.p * 100).toFixed(1)} %`))))));
      document.body.dataset.inside = `${reading.labels.length}:${reading.predictions[0]?.top[0]?.token ?? ''}`;
    };
    const open = async (source: SourceInput, what: string) => {
      problem.hidden = true;
      progress.hidden = false;
      progress.value = 0;
      status.textContent = `${t({ en: 'Opening', ko: '여는 중' })} ${what}…`;
      const seen = new Map<string, [number, number]>();
      try {
        loaded = await fromPretrained(source, {
          onProgress: ({ file, loaded: done, total }) => {
            seen.set(file, [done, total]);
            const [a, b] = [...seen.values()].reduce(([x, y], [d, tt]) => [x + d, y + tt], [0, 0]);
            progress.value = b > 0 ? a / b : 0;
          },
        });
      } catch (err) {
        loaded = null;
        status.textContent = '';
        fail(`${what}: ${(err as Error).message}`);
        document.body.dataset.inside = 'error';
        return;
      } finally {
        progress.hidden = true;
      }
      if (!loaded.tokenizer) {
        fail(t({ en: 'This folder has no tokenizer files; this page needs text models (GPT-2 or BERT family).', ko: '토크나이저 파일이 없습니다. 텍스트 모델(GPT-2, BERT 계열)이 필요합니다.' }));
        loaded = null;
        return;
      }
      status.textContent = `${what}: ${summary(loaded)}`;
      const L = Number(loaded.config.fields.get('n_layer') ?? loaded.config.fields.get('num_hidden_layers'));
      const H = Number(loaded.config.fields.get('n_head') ?? loaded.config.fields.get('num_attention_heads'));
      layerSel.replaceChildren(...Array.from({ length: L }, (_, i) => h('option', { value: String(i), selected: String(i) === (params.get('layer') ?? String(L - 1)) }, String(i + 1))));
      headSel.replaceChildren(h('option', { value: 'all' }, t({ en: 'all heads', ko: '모든 헤드' })), ...Array.from({ length: H }, (_, i) => h('option', { value: String(i), selected: params.get('head') === String(i) }, String(i + 1))));
      if (loaded.model instanceof BertForMaskedLM && !input.value.includes('[MASK]')) input.value = 'The capital of France is [MASK].';
      draw();
    };

    const pick = (attrs: Record<string, unknown>, label: string) => {
      const el = h('input', { type: 'file', multiple: true, ...attrs });
      el.addEventListener('change', () => el.files && el.files.length > 0 && void open(el.files, t({ en: 'your files', ko: '고른 파일' })));
      return h('label', { class: 'secondary-file' }, `${label} `, el);
    };
    const drop = h('div', { class: 'drop', 'data-drop': '' },
      h('div', {}, t({ en: 'Drop the files of a Hub folder here (config.json, model.safetensors or its shards, tokenizer files), or choose:', ko: 'Hub 폴더의 파일(config.json, model.safetensors 또는 샤드, 토크나이저 파일)을 여기에 놓거나 고르세요:' })),
      h('div', { class: 'row' }, pick({ webkitdirectory: true, name: 'folder' }, t({ en: 'a folder', ko: '폴더' })), pick({ name: 'files' }, t({ en: 'files', ko: '파일' }))));
    drop.addEventListener('dragover', (e) => { e.preventDefault(); drop.classList.add('over'); });
    drop.addEventListener('dragleave', () => drop.classList.remove('over'));
    drop.addEventListener('drop', (e) => {
      e.preventDefault();
      drop.classList.remove('over');
      const files = e.dataTransfer?.files;
      if (files && files.length > 0) void open(files, t({ en: 'the dropped files', ko: '놓은 파일' }));
    });
    const shipped = h('button', { type: 'button', 'data-action': 'shipped', onclick: () => void open(new URL(SHIPPED, document.baseURI).href, t({ en: 'the shipped character GPT', ko: '제공 문자 GPT' })) }, t({ en: 'Open the shipped model', ko: '제공 모델 열기' }));
    input.addEventListener('change', draw);
    input.addEventListener('keydown', (e) => { if (e.key === 'Enter' && !e.shiftKey) { e.preventDefault(); draw(); } });
    layerSel.addEventListener('change', () => { drawLines(); setParams({ text: input.value, layer: layerSel.value, head: headSel.value }); });
    headSel.addEventListener('change', () => { drawLines(); setParams({ text: input.value, layer: layerSel.value, head: headSel.value }); });
    // bertviz's hover: a query token on the left isolates its lines
    lines.addEventListener('mouseover', (e) => {
      const i = (e.target as Element).closest?.('.qkv-left-tokens [data-index]')?.getAttribute('data-index');
      if (i !== null && i !== undefined && Number(i) !== hovered) { hovered = Number(i); drawLines(); }
    });
    lines.addEventListener('mouseleave', () => { if (hovered !== undefined) { hovered = undefined; drawLines(); } });

    container.append(
      card(t({ en: 'Look inside a model', ko: '모델 들여다보기' }), t({
          en: 'Open a Hugging Face Hub folder of the GPT-2 or BERT family — from your disk, or the character-level GPT this app ships (trained with qkv on the Brown corpus, saved in Hub layout). Type text and see what every head of every layer attends to, and what the model predicts. Nothing leaves your browser.',
          ko: 'GPT-2 또는 BERT 계열의 Hugging Face Hub 폴더를 여세요. 디스크에서 고르거나, 이 앱이 제공하는 문자 단위 GPT(qkv로 Brown 말뭉치에서 학습, Hub 형식으로 저장)를 쓸 수 있습니다. 글을 입력하면 모든 층의 모든 헤드가 어디를 보는지, 모델이 무엇을 예측하는지 보입니다. 아무것도 브라우저 밖으로 나가지 않습니다.',
        }),
        h('div', { class: 'row' }, shipped, drop),
        progress, status,
        h('div', { class: 'row' }, input),
        h('div', { class: 'row' }, h('button', { type: 'button', onclick: draw }, t({ en: 'Look inside', ko: '들여다보기' })), layerLabel, headLabel, scaleLabel),
        problem,
        h('div', { class: 'grid2' }, lines, preds),
        grid,
      ),
    );
    await open(new URL(SHIPPED, document.baseURI).href, t({ en: 'the shipped character GPT', ko: '제공 문자 GPT' }));
  },
};
