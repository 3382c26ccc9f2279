// Train in the browser: a small Transformer learns a task in a Web Worker while the page draws the
// loss, accuracy, throughput and the cross-attention that forms as it learns.
import { attentionHeatmap, lineChart } from '@qkv/viz';
import { t } from '../i18n.js';
import { DEFAULT_CONFIG } from '../train/protocol.js';
import type { FromWorker, ToWorker, TrainConfig } from '../train/protocol.js';
import { card, h, numberInput, selectInput, svgFigure } from '../ui/dom.js';
import { exportButtons } from '../ui/export.js';
import type { View } from './view.js';

export const trainView: View = {
  id: 'train',
  render(container, params, setParams) {
    const worker = new Worker(new URL('../train/worker.ts', import.meta.url), { type: 'module' });
    const initial: TrainConfig = { ...DEFAULT_CONFIG, ...Object.fromEntries([...params].map(([k, v]) => [k, k === 'task' ? v : Number(v)])) };
    const [taskLabel, task] = selectInput(t({ en: 'Task', ko: '과제' }), [
      ['reverse', t({ en: 'reverse a string (learns in seconds)', ko: '문자열 뒤집기 (몇 초 만에 학습)' })],
      ['date', t({ en: 'date normalisation ("June 25, 2009" → 2009-06-25)', ko: '날짜 정규화 ("June 25, 2009" → 2009-06-25)' })],
      ['sort', t({ en: 'sort letters', ko: '글자 정렬' })],
      ['copy', t({ en: 'copy', ko: '복사' })],
      ['cmudict', t({ en: 'pronunciation (a 3,000-word CMUdict slice)', ko: '발음 (CMUdict 3,000단어 일부)' })],
    ], initial.task, 'task');
    const inputs = {
      dModel: numberInput('d_model', initial.dModel, { min: 8, max: 128, step: 8, name: 'dModel' }),
      nhead: numberInput(t({ en: 'heads', ko: '헤드' }), initial.nhead, { min: 1, max: 8, step: 1, name: 'nhead' }),
      layers: numberInput(t({ en: 'layers', ko: '층' }), initial.layers, { min: 1, max: 4, step: 1, name: 'layers' }),
      lr: numberInput('lr', initial.lr, { min: 1e-4, max: 1e-1, name: 'lr' }),
      warmup: numberInput('warmup', initial.warmup, { min: 1, max: 4000, step: 1, name: 'warmup' }),
    };
    const problem = h('p', { class: 'error', role: 'alert', 'data-input-error': '', hidden: true });
    /** The settings, or a message naming the first one out of range (shown on the page; nothing is sent to the worker). */
    const config = (): TrainConfig | string => {
      const limits = { dModel: ['d_model', 8, 128, true], nhead: ['heads', 1, 8, true], layers: ['layers', 1, 4, true], lr: ['lr', 1e-4, 1e-1, false], warmup: ['warmup', 1, 4000, true] } as const;
      const values: Record<string, number> = {};
      for (const [key, [label, min, max, integer]] of Object.entries(limits)) {
        const raw = inputs[key as keyof typeof inputs][1].value.trim();
        const v = Number(raw);
        if (raw === '' || !Number.isFinite(v) || v < min || v > max || (integer && !Number.isInteger(v))) {
          return `${label} ${t({ en: 'must be', ko: '값은' })} ${integer ? t({ en: 'a whole number', ko: '정수' }) : t({ en: 'a number', ko: '수' })} ${t({ en: 'from', ko: '범위' })} ${min} ${t({ en: 'to', ko: '~' })} ${max}, ${t({ en: 'got', ko: '입력' })} "${raw}"`;
        }
        values[key] = v;
      }
      if (values.dModel! % values.nhead! !== 0) return `d_model (${values.dModel}) ${t({ en: 'must be divisible by heads', ko: '는 헤드 수로 나누어떨어져야 합니다' })} (${values.nhead})`;
      return {
        ...DEFAULT_CONFIG,
        task: task.value as TrainConfig['task'],
        dModel: values.dModel!, nhead: values.nhead!, layers: values.layers!, lr: values.lr!, warmup: values.warmup!,
        dataUrl: new URL('data/cmudict-slice.json', document.baseURI).href,
      };
    };
    const losses: number[] = [];
    const evals: { step: number; acc: number; exact: number }[] = [];
    const status = h('p', { class: 'muted', 'data-status': '' });
    const curves = h('div', { class: 'grid2' });
    const heat = h('div', {});
    let lastHeat = '';
    let drawQueued = false;
    const drawCurves = () => {
      drawQueued = false;
      curves.replaceChildren(
        svgFigure(lineChart([{ name: 'train loss', y: losses }], { title: t({ en: 'loss (cross-entropy)', ko: '손실 (교차 엔트로피)' }), xLabel: 'step', logY: true }), 'loss'),
        svgFigure(lineChart([
          { name: t({ en: 'token accuracy', ko: '토큰 정확도' }), y: evals.map((e) => e.acc), x: evals.map((e) => e.step) },
          { name: t({ en: 'exact match', ko: '완전 일치' }), y: evals.map((e) => e.exact), x: evals.map((e) => e.step) },
        ], { title: t({ en: 'held-out accuracy (greedy decoding)', ko: '검증 정확도 (그리디 디코딩)' }), xLabel: 'step' }), 'accuracy'),
      );
    };
    worker.onmessage = (e: MessageEvent<FromWorker>) => {
      const m = e.data;
      if (m.type === 'ready') {
        const threads = m.threads > 1 ? ` (${m.threads} ${t({ en: 'threads', ko: '스레드' })})` : '';
        status.textContent = `${m.parameters.toLocaleString()} ${t({ en: 'parameters on', ko: '개 파라미터, 백엔드' })} ${m.backend}${threads} · ${t({ en: 'example', ko: '예시' })}: "${m.example}"`;
        document.body.dataset.trainThreads = String(m.threads);
      } else if (m.type === 'progress') {
        losses.push(m.loss);
        status.textContent = `step ${m.step} · loss ${m.loss.toFixed(3)} · ${m.tokensPerSecond.toFixed(0)} tokens/s`;
        document.body.dataset.trainStep = String(m.step);
        document.body.dataset.trainLoss = m.loss.toFixed(4);
        if (!drawQueued) {
          drawQueued = true;
          requestAnimationFrame(drawCurves);
        }
      } else if (m.type === 'eval') {
        evals.push({ step: m.step, acc: m.tokenAccuracy, exact: m.exactMatch });
        document.body.dataset.trainAccuracy = m.tokenAccuracy.toFixed(4);
        document.body.dataset.trainAccuracyStep = String(m.step);
      } else if (m.type === 'attention') {
        lastHeat = attentionHeatmap({ shape: [m.weights.length, m.weights[0]?.length ?? 0], data: m.weights.flat() }, { xLabels: m.cols, yLabels: m.rows, colormap: 'YlGnBu', domain: [0, 1], title: `step ${m.step}: "${m.source}" → "${m.prediction}"` });
        heat.replaceChildren(svgFigure(lastHeat, 'train-attention'), exportButtons(`train-step-${m.step}`, () => lastHeat));
      } else if (m.type === 'error') status.textContent = `error: ${m.message}`;
      else if (m.type === 'paused') status.textContent += ` · ${t({ en: 'paused', ko: '일시정지' })}`;
    };
    const send = (m: ToWorker) => worker.postMessage(m);
    const reset = () => {
      // forget the last run's progress markers (tests and people read them from the page)
      delete document.body.dataset.trainStep;
      delete document.body.dataset.trainLoss;
      delete document.body.dataset.trainAccuracy;
      delete document.body.dataset.trainAccuracyStep;
      losses.length = 0;
      evals.length = 0;
      const c = config();
      valid = typeof c !== 'string';
      problem.hidden = valid;
      if (typeof c === 'string') {
        problem.textContent = c;
        send({ type: 'pause' });
        return;
      }
      setParams({ task: c.task, dModel: c.dModel, nhead: c.nhead, layers: c.layers, lr: c.lr, warmup: c.warmup });
      send({ type: 'reset', config: c });
      drawCurves();
    };
    let valid = true;
    task.addEventListener('change', reset);
    for (const [, input] of Object.values(inputs)) input.addEventListener('change', reset);
    container.append(
      card(t({ en: 'Train a Transformer in your browser', ko: '브라우저에서 트랜스포머 학습하기' }), t({
        en: 'Pick a task and press Start. Training runs in a Web Worker; watch the loss fall and the attention sharpen from a blur into an alignment.',
        ko: '과제를 고르고 시작을 누르세요. 학습은 웹 워커에서 돌아갑니다. 손실이 줄고 어텐션이 흐릿한 상태에서 또렷한 정렬로 바뀌는 것을 보세요.',
      }),
        h('div', { class: 'row' }, taskLabel, ...Object.values(inputs).map(([label]) => label)),
        problem,
        h('div', { class: 'row' },
          h('button', { type: 'button', 'data-action': 'start', onclick: () => valid && send({ type: 'start' }) }, t({ en: 'Start', ko: '시작' })),
          h('button', { type: 'button', class: 'secondary', 'data-action': 'pause', onclick: () => send({ type: 'pause' }) }, t({ en: 'Pause', ko: '일시정지' })),
          h('button', { type: 'button', class: 'secondary', 'data-action': 'step', onclick: () => send({ type: 'step' }) }, t({ en: 'One step', ko: '한 단계' })),
          h('button', { type: 'button', class: 'secondary', 'data-action': 'reset', onclick: reset }, t({ en: 'Reset', ko: '초기화' })),
        ),
        status, curves, heat,
      ),
    );
    reset();
    return () => worker.terminate();
  },
};
