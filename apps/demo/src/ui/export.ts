// Export buttons for a figure: SVG, PNG and the underlying numbers as CSV/JSON.
import { downloadBlob, svgToBlob, svgToPngBlob } from '@qkv/viz';
import { t } from '../i18n.js';
import { h } from './dom.js';

/** CSV of a 2-d matrix with optional row/column labels. */
export function matrixToCsv(rows: number[][], rowLabels?: string[], colLabels?: string[]): string {
  const esc = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const lines: string[] = [];
  if (colLabels) lines.push(['', ...colLabels].map(esc).join(','));
  rows.forEach((r, i) => lines.push([...(rowLabels ? [esc(rowLabels[i] ?? '')] : []), ...r.map((v) => String(v))].join(',')));
  return lines.join('\n');
}

/** A row of export buttons for one picture. */
export function exportButtons(name: string, getSvg: () => string, getData?: () => { json: unknown; csv: string }): HTMLDivElement {
  const row = h('div', { class: 'row' }, h('span', { class: 'muted' }, `${t('export')}:`));
  row.append(h('button', { class: 'secondary', type: 'button', onclick: () => downloadBlob(svgToBlob(getSvg()), `${name}.svg`) }, 'SVG'));
  row.append(
    h('button', {
      class: 'secondary',
      type: 'button',
      onclick: async () => downloadBlob(await svgToPngBlob(getSvg(), 2), `${name}.png`),
    }, 'PNG'),
  );
  if (getData) {
    row.append(h('button', { class: 'secondary', type: 'button', onclick: () => downloadBlob(new Blob([JSON.stringify(getData().json)], { type: 'application/json' }), `${name}.json`) }, 'JSON'));
    row.append(h('button', { class: 'secondary', type: 'button', onclick: () => downloadBlob(new Blob([getData().csv], { type: 'text/csv' }), `${name}.csv`) }, 'CSV'));
  }
  return row;
}
