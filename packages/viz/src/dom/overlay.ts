import { thinLabels } from '../svg/thin.js';

/** Creates an element with inline styles (the adapters ship no stylesheet). */
export function styled<K extends keyof HTMLElementTagNameMap>(tag: K, style: Partial<CSSStyleDeclaration>, textContent?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  Object.assign(node.style, style);
  if (textContent !== undefined) node.textContent = textContent;
  return node;
}

/** Absolutely placed, thinned row labels (right-aligned) for a column `width` px wide. */
export function rowLabelColumn(labels: readonly string[], cell: number, fontSize: number, width: number): HTMLDivElement {
  const box = styled('div', { position: 'relative', width: `${width}px`, height: `${labels.length * cell}px` });
  box.className = 'qkv-row-labels';
  for (const i of thinLabels(labels.length, cell, fontSize * 1.15)) {
    const label = styled('div', { position: 'absolute', right: '4px', top: `${(i + 0.5) * cell - fontSize * 0.6}px`, fontSize: `${fontSize}px`, lineHeight: `${fontSize * 1.2}px`, whiteSpace: 'nowrap' }, labels[i]);
    label.dataset.index = String(i);
    box.append(label);
  }
  return box;
}

/** Absolutely placed, thinned column labels reading bottom-up under a grid. */
export function columnLabelRow(labels: readonly string[], cell: number, fontSize: number, height: number): HTMLDivElement {
  const box = styled('div', { position: 'relative', height: `${height}px`, width: `${labels.length * cell}px` });
  box.className = 'qkv-col-labels';
  for (const j of thinLabels(labels.length, cell, fontSize * 1.15)) {
    const label = styled('div', {
      position: 'absolute',
      left: `${(j + 0.5) * cell - fontSize * 0.6}px`,
      top: '4px',
      fontSize: `${fontSize}px`,
      lineHeight: `${fontSize * 1.2}px`,
      whiteSpace: 'nowrap',
      writingMode: 'vertical-rl',
      transform: 'rotate(180deg)',
      textAlign: 'left',
    }, labels[j]);
    label.dataset.index = String(j);
    box.append(label);
  }
  return box;
}
