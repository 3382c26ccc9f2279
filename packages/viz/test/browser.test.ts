import { mkdirSync } from 'node:fs';
import { interpolateViridis } from 'd3-scale-chromatic';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as Viz from '../src/index.js';
import { BLANK_PAGE, buildBrowserBundle, launchChromium, PACKAGE_ROOT } from '../scripts/browser.js';
import { causalMask, crossAttention, lossCurves, multiHead, sinusoidal } from '../scripts/samples.js';
import { hexOf } from './helpers/svg.js';

declare global {
  interface Window {
    qkvViz: typeof Viz;
  }
}

const ARTIFACTS = `${PACKAGE_ROOT}artifacts`;
const skip = process.env.QKV_SKIP_BROWSER === '1';
const plain = (x: { shape: number[]; data: Float64Array }) => ({ shape: x.shape, data: Array.from(x.data) });
const target = ['나는', '학생', '이다', '.', '<eos>'];
const source = ['<sos>', 'I', 'am', 'a', 'student', '.'];

describe.skipIf(skip)('in headless Chromium', () => {
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    const [bundle, launched] = await Promise.all([buildBrowserBundle(), launchChromium()]);
    browser = launched;
    page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    await page.setContent(BLANK_PAGE);
    await page.addScriptTag({ path: bundle });
  });
  afterAll(async () => {
    await browser?.close();
  });

  it("renders every SVG view, each well-formed to the browser's XML parser", async () => {
    const samples = { cross: plain(crossAttention(5, 6)), heads: plain(multiHead(3, 4, 8)), pe: plain(sinusoidal(48, 32)), mask: plain(causalMask(6)), loss: lossCurves(200) };
    const views = await page.evaluate(({ s, target, source }) => {
      const v = window.qkvViz;
      const tokens = ['<sos>', 'the', 'cat', 'sat', 'on', 'the', 'mat', '.'];
      const svgs: Record<string, string> = {
        heatmap: v.attentionHeatmap(s.cross, { xLabels: source, yLabels: target, colormap: 'YlGnBu', title: 'cross-attention (한국어 ← English)', showValues: true, xTitle: 'source', yTitle: 'target' }),
        headGrid: v.headGrid(s.heads, { aggregate: 'mean', title: 'self-attention, 3 layers × 4 heads' }),
        tokenLines: v.tokenLines(s.heads, { leftTokens: tokens, layer: 1, title: 'head view, layer 1' }),
        maskView: v.maskView(s.mask, { keyPaddingMask: [0, 0, 0, 0, 1, 1], xLabels: ['나', '는', '학생', '이다', '<pad>', '<pad>'], title: 'causal + padding' }),
        positionalEncoding: v.positionalEncodingView(s.pe, { dims: [0, 1, 6, 7], title: 'sinusoidal, d_model = 32' }),
        lineChart: v.lineChart([{ name: 'train', y: s.loss.train }, { name: 'valid', y: s.loss.valid, x: s.loss.validSteps }], { title: 'loss', xLabel: 'step', yLabel: 'cross-entropy' }),
        barChart: v.barChart(['64', '128', '256'], [{ name: 'cpu', values: [0.4, 2.9, 21] }, { name: 'wasm', values: [0.1, 0.7, 5.2] }], { title: 'matmul (example data)', yLabel: 'ms', unit: ' ms' }),
      };
      const errors: string[] = [];
      for (const [name, svg] of Object.entries(svgs)) {
        const doc = new DOMParser().parseFromString(svg, 'image/svg+xml');
        if (doc.getElementsByTagName('parsererror').length > 0) errors.push(name);
        const section = document.createElement('section');
        section.id = name;
        section.innerHTML = `<h2>${name}</h2>${svg}`;
        document.body.append(section);
      }
      return { names: Object.keys(svgs), errors };
    }, { s: samples, target, source });
    expect(views.errors).toEqual([]);
    for (const name of views.names) {
      const svg = page.locator(`#${name} svg`);
      const box = await svg.boundingBox();
      expect(box?.width, name).toBeGreaterThan(100);
      await svg.screenshot({ path: `${ARTIFACTS}/${name}.png` });
    }
    // Hangul labels are laid out with real glyphs (a wide character, not a zero-width fallback)
    const hangulWidth = await page.evaluate(() => {
      const label = [...document.querySelectorAll('#heatmap .qkv-row-labels text')].find((t) => t.textContent === '학생') as SVGTextElement;
      return label.getComputedTextLength();
    });
    expect(hangulWidth).toBeGreaterThan(12 * 1.5);
    await page.screenshot({ path: `${ARTIFACTS}/all-views.png`, fullPage: true });
  });

  it("paints a 512 × 512 canvas heatmap one pixel per cell, in the colour map's colours", async () => {
    const n = 512;
    const result = await page.evaluate((n) => {
      const v = window.qkvViz;
      const data = new Float32Array(n * n).map((_, k) => (k % n) / (n - 1)); // column j holds j / 511
      const section = document.createElement('section');
      section.id = 'canvas';
      document.body.prepend(section);
      const tokens = Array.from({ length: n }, (_, i) => `tok${i}`);
      const view = v.canvasHeatmap(section, { shape: [n, n], data }, { xLabels: tokens, yLabels: tokens, domain: [0, 1] });
      const ctx = view.canvas.getContext('2d')!;
      const px = (x: number, y: number) => Array.from(ctx.getImageData(x, y, 1, 1).data.slice(0, 3));
      return { size: [view.canvas.width, view.canvas.height], samples: [0, 128, 255, 511].map((j) => ({ j, rgb: px(j, 300) })), labels: section.querySelectorAll('.qkv-col-labels div').length };
    }, n);
    expect(result.size).toEqual([n, n]);
    for (const { j, rgb } of result.samples) {
      const hex = hexOf(interpolateViridis(j / (n - 1)));
      const expected = [1, 3, 5].map((k) => parseInt(hex.slice(k, k + 2), 16));
      rgb.forEach((c, k) => expect(Math.abs(c - expected[k]!), `column ${j}`).toBeLessThanOrEqual(3));
    }
    expect(result.labels).toBeGreaterThan(20);
    expect(result.labels).toBeLessThan(60);
  });

  it("shows the hovered cell's labels and value with a crosshair", async () => {
    const grid = page.locator('#canvas canvas');
    await grid.scrollIntoViewIfNeeded();
    const box = (await grid.boundingBox())!;
    await page.mouse.move(box.x + (100.5 / 512) * box.width, box.y + (200.5 / 512) * box.height);
    const tooltip = page.locator('#canvas .qkv-tooltip');
    await expect.poll(() => tooltip.textContent()).toBe(`tok200 → tok100: ${Number((100 / 511).toPrecision(3))}`);
    expect(await page.locator('#canvas .qkv-crosshair-v').isVisible()).toBe(true);
    await page.locator('#canvas').screenshot({ path: `${ARTIFACTS}/canvas-512-hover.png` });
  });

  it('exports SVG views to PNG at the requested scale', async () => {
    const png = await page.evaluate(async () => {
      const v = window.qkvViz;
      const svg = v.attentionHeatmap([[0.2, 0.8], [0.6, 0.4]], { title: '내보내기' });
      const blob = await v.svgToPngBlob(svg, 2);
      const bytes = new Uint8Array(await blob.arrayBuffer());
      const width = Number(/width="(\d+)"/.exec(svg)![1]);
      const view = new DataView(bytes.buffer);
      return { type: blob.type, magic: Array.from(bytes.slice(0, 8)), pngWidth: view.getUint32(16), width };
    });
    expect(png.type).toBe('image/png');
    expect(png.magic).toEqual([137, 80, 78, 71, 13, 10, 26, 10]);
    expect(png.pngWidth).toBe(png.width * 2);
  });
});

if (skip) {
  describe('in headless Chromium', () => {
    it.skip('skipped because QKV_SKIP_BROWSER=1', () => {});
  });
}
