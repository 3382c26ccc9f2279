/**
 * Image export in the browser: SVG strings and canvases to files (bertviz#13, #33 asked for this).
 */

/** An SVG string as a standalone `image/svg+xml` Blob (with the XML declaration). */
export function svgToBlob(svg: string): Blob {
  return new Blob([`<?xml version="1.0" encoding="UTF-8"?>\n${svg}`], { type: 'image/svg+xml;charset=utf-8' });
}

/**
 * Saves a Blob as a download named `filename`.
 * @example downloadBlob(svgToBlob(attentionHeatmap(w)), 'attention.svg')
 */
export function downloadBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

function canvasBlob(canvas: HTMLCanvasElement, fn: string): Promise<Blob> {
  return new Promise((resolve, reject) => {
    canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error(`${fn}: canvas.toBlob gave no PNG (is the canvas 0 × 0 or tainted?)`))), 'image/png');
  });
}

/**
 * A canvas as PNG, each pixel enlarged `scale` times without smoothing (so a 64 × 64 heatmap
 * canvas with scale 8 gives crisp 512 × 512 cells).
 * @example const png = await canvasToPngBlob(view.canvas, 4)
 */
export async function canvasToPngBlob(canvas: HTMLCanvasElement, scale = 1): Promise<Blob> {
  if (scale === 1) return canvasBlob(canvas, 'canvasToPngBlob');
  const big = document.createElement('canvas');
  big.width = Math.round(canvas.width * scale);
  big.height = Math.round(canvas.height * scale);
  const ctx = big.getContext('2d');
  if (!ctx) throw new Error('canvasToPngBlob: no 2D canvas context');
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage(canvas, 0, 0, big.width, big.height);
  return canvasBlob(big, 'canvasToPngBlob');
}

/**
 * Rasterises an SVG string (any view of this package, labels included) to PNG at `scale` × its
 * size on a white background.
 * @example downloadBlob(await svgToPngBlob(headGrid(att), 2), 'heads.png')
 */
export async function svgToPngBlob(svg: string, scale = 2): Promise<Blob> {
  const url = URL.createObjectURL(svgToBlob(svg));
  try {
    const img = new Image();
    img.src = url;
    await img.decode();
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(img.naturalWidth * scale);
    canvas.height = Math.round(img.naturalHeight * scale);
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('svgToPngBlob: no 2D canvas context');
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
    return await canvasBlob(canvas, 'svgToPngBlob');
  } finally {
    URL.revokeObjectURL(url);
  }
}
