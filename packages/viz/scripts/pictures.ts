// Writes the README's pictures into docs/, drawn by the package itself from synthetic data.
// Run: pnpm run pictures
import { mkdirSync, writeFileSync } from 'node:fs';
import { attentionHeatmap, barChart, headGrid, lineChart, maskView, positionalEncodingView, terminalHeatmap, tokenLines } from '../src/index.js';
import { PACKAGE_ROOT } from './browser.js';
import { causalMask, crossAttention, lossCurves, multiHead, sinusoidal } from './samples.js';

const out = `${PACKAGE_ROOT}docs`;
mkdirSync(out, { recursive: true });
const write = (name: string, svg: string): void => {
  writeFileSync(`${out}/${name}`, svg);
  console.log(`docs/${name}  ${(svg.length / 1024).toFixed(1)} KiB`);
};

const source = ['<sos>', 'I', 'am', 'a', 'student', '.', '<eos>'];
const target = ['나는', '학생', '이다', '.', '<eos>'];
const cross = crossAttention(target.length, source.length);
write('heatmap.svg', attentionHeatmap(cross, { xLabels: source, yLabels: target, colormap: 'YlGnBu', showValues: true, title: 'Cross-attention (synthetic)', xTitle: 'source (keys)', yTitle: 'target (queries)', idPrefix: 'heatmap' }));

const long = crossAttention(100, 100, 7);
const longTokens = Array.from({ length: 100 }, (_, i) => `tok${i}`);
write('heatmap-long.svg', attentionHeatmap(long, { xLabels: longTokens, yLabels: longTokens, cellSize: 4, cellTitles: false, title: "100 tokens: labels thinned", idPrefix: 'long' }));

const tokens = ['<sos>', 'the', 'cat', 'sat', 'on', 'the', 'mat', '.'];
const heads = multiHead(3, 4, tokens.length);
write('head-grid.svg', headGrid(heads, { aggregate: 'mean', title: 'Self-attention, 3 layers × 4 heads (synthetic)', idPrefix: 'grid' }));
write('token-lines.svg', tokenLines(heads, { leftTokens: tokens, layer: 0, heads: [0, 1, 2], title: 'Head view, layer 0 (synthetic)', idPrefix: 'lines' }));

const padded = ['나', '는', '학생', '이다', '<pad>', '<pad>'];
write('mask.svg', maskView(causalMask(6), { keyPaddingMask: [0, 0, 0, 0, 1, 1], xLabels: padded, yLabels: padded, title: 'Causal mask + key padding', idPrefix: 'mask' }));

write('positional-encoding.svg', positionalEncodingView(sinusoidal(64, 64), { dims: [0, 1, 10, 11], title: 'Sinusoidal positional encoding, d_model = 64', idPrefix: 'pe' }));

const loss = lossCurves(300);
write('loss.svg', lineChart([{ name: 'train', y: loss.train }, { name: 'valid', y: loss.valid, x: loss.validSteps }], { title: 'Loss (synthetic)', xLabel: 'step', yLabel: 'cross-entropy', idPrefix: 'loss' }));

write('bars.svg', barChart(['64', '128', '256'], [{ name: 'cpu', values: [0.4, 2.9, 21] }, { name: 'wasm', values: [0.1, 0.7, 5.2] }], { title: 'Bar chart (example numbers, not a measurement)', yLabel: 'ms', unit: ' ms', idPrefix: 'bars' }));

writeFileSync(`${out}/terminal.txt`, `${terminalHeatmap(cross, { xLabels: source, yLabels: target, color: 'none' })}\n`);
console.log('docs/terminal.txt');
