// A tiny element builder: h('button', { onclick }, 'Go').
type Child = Node | string | number | null | undefined | false;
type Props = Record<string, unknown>;

/** An attribute value as text. */
function attr(value: unknown): string {
  return typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? `${value}` : JSON.stringify(value);
}

/** Creates an element with properties/attributes and children. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props: Props = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value as EventListener);
    else if (key === 'class') el.className = attr(value);
    else if (key === 'style' && typeof value === 'object') Object.assign(el.style, value);
    else if (key in el && key !== 'list') (el as unknown as Record<string, unknown>)[key] = value;
    else el.setAttribute(key, value === true ? '' : attr(value));
  }
  for (const c of children) if (c !== null && c !== undefined && c !== false) el.append(c instanceof Node ? c : String(c));
  return el;
}

/** A container whose inner HTML is an SVG string produced by @qkv/viz. */
export function svgFigure(svg: string, label?: string): HTMLDivElement {
  const div = h('div', { class: 'figure', 'data-figure': label ?? '' });
  div.innerHTML = svg;
  return div;
}

/** A labelled number input. */
export function numberInput(label: string, value: number, options: { min?: number; max?: number; step?: number; name?: string } = {}): [HTMLLabelElement, HTMLInputElement] {
  const input = h('input', { type: 'number', value: String(value), min: options.min, max: options.max, step: options.step ?? 'any', name: options.name });
  return [h('label', {}, `${label} `, input), input];
}

/** A labelled <select> of values. */
export function selectInput(label: string, options: [string, string][], value: string, name?: string): [HTMLLabelElement, HTMLSelectElement] {
  const select = h('select', { name });
  for (const [v, text] of options) select.append(h('option', { value: v, selected: v === value }, text));
  return [h('label', {}, `${label} `, select), select];
}

/**
 * The one colour-scale convention of the demo: probabilities on a fixed 0–1 domain (so two pictures
 * compare), with a checkbox to stretch the colours over the data's own range instead.
 * Returns the label to place and a getter for the heatmap's `domain` option.
 */
export function colourScaleToggle(params: URLSearchParams, onChange: () => void): [HTMLLabelElement, () => [number, number] | undefined] {
  const box = h('input', { type: 'checkbox', name: 'autoscale', checked: params.get('autoscale') === '1' });
  box.addEventListener('change', onChange);
  const label = h('label', { title: 'Off: colours span probabilities 0–1. On: colours span this picture’s smallest to largest value.' }, box, ' auto-scale colours');
  return [label, () => (box.checked ? undefined : [0, 1])];
}
