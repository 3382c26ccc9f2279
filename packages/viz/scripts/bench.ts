// Benchmark (not a test): paint time of a 512 × 512 canvas heatmap in headless Chromium.
// Run: pnpm bench. Prints the median of 50 repaints and of 10 fresh views; target < 50 ms.
import type * as Viz from '../src/index.js';
import { BLANK_PAGE, buildBrowserBundle, launchChromium } from './browser.js';

declare global {
  interface Window {
    qkvViz: typeof Viz;
  }
}

const N = 512;
const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width: 1000, height: 800 } });
  await page.setContent(BLANK_PAGE);
  await page.addScriptTag({ path: await buildBrowserBundle() });
  const result = await page.evaluate((n) => {
    const v = window.qkvViz;
    const frames = Array.from({ length: 4 }, (_, f) => ({ shape: [n, n], data: new Float32Array(n * n).map((_, k) => Math.sin(k * 0.001 + f) ** 2) }));
    const tokens = Array.from({ length: n }, (_, i) => `t${i}`);
    const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const fresh: number[] = [];
    for (let r = 0; r < 10; r++) {
      const t0 = performance.now();
      const view = v.canvasHeatmap(document.body, frames[r % 4]!, { xLabels: tokens, yLabels: tokens, domain: [0, 1] });
      fresh.push(performance.now() - t0);
      view.destroy();
    }
    const view = v.canvasHeatmap(document.body, frames[0]!, { domain: [0, 1] });
    const repaint: number[] = [];
    for (let r = 0; r < 50; r++) repaint.push(view.paint(frames[r % 4]));
    return { repaint: median(repaint), fresh: median(fresh), version: navigator.userAgent.match(/Chrome\/[\d.]+/)?.[0] };
  }, N);
  console.log(`canvasHeatmap ${N}×${N} in headless ${result.version}`);
  console.log(`  repaint (paint(newWeights)), median of 50: ${result.repaint.toFixed(2)} ms  (target < 50 ms: ${result.repaint < 50 ? 'met' : 'MISSED'})`);
  console.log(`  new view with 512 labels + overlay, median of 10: ${result.fresh.toFixed(2)} ms`);
} finally {
  await browser.close();
}
