import { idPrefixFor, svgDocument, type DocumentOptions } from './document.js';
import { linePanel, type LinePanelOptions, type LineSeries } from './linePanel.js';
import { el, text } from './xml.js';

/** Options of {@link lineChart}. */
export interface LineChartOptions extends LinePanelOptions, DocumentOptions {}

/**
 * Loss and metric curves as an SVG: one line per series over steps or epochs, nice axis ticks,
 * optional log y axis, legend when there is more than one series. NaN values break a line.
 *
 * @example
 * lineChart([{ name: 'train', y: trainLoss }, { name: 'valid', y: validLoss, x: validSteps }],
 *   { title: 'loss', xLabel: 'step', yLabel: 'cross-entropy', logY: true })
 */
export function lineChart(series: readonly LineSeries[], options: LineChartOptions = {}): string {
  const fn = 'lineChart';
  const fontSize = options.fontSize ?? 11;
  const titleHeight = options.title ? fontSize * 1.4 + 12 : 0;
  const panel = linePanel(series, options, fn);
  const idPrefix = options.idPrefix ?? idPrefixFor('line', `${options.title ?? ''}|${series.map((s) => s.name).join(',')}`);
  return svgDocument({
    kind: 'line-chart',
    width: panel.width,
    height: panel.height + titleHeight,
    idPrefix,
    background: options.background,
    title: options.title ?? 'Line chart',
    description: options.description ?? `Line chart of ${series.map((s) => s.name).join(', ')}${options.xLabel ? ` against ${options.xLabel}` : ''}.`,
    body:
      (options.title ? text(options.title, { x: 8, y: 6 + fontSize * 1.4, 'font-size': fontSize * 1.4, 'font-weight': 'bold', fill: '#111' }) : '') +
      el('g', { transform: `translate(0 ${titleHeight})` }, panel.markup),
  });
}
