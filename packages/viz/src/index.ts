// @qkv/viz: pictures of attention as SVG strings, canvases and terminal text.
export type { ArrayInput, ShapedData, TensorLike, NestedArray } from './data/matrix.js';
export { COLORMAPS, resolveColormap } from './color/colormaps.js';
export type { Colormap, ColormapInput, ColormapName, Interpolator } from './color/colormaps.js';
export { colorScale, colorTable, defaultDomain } from './color/scale.js';
export type { ColorScale } from './color/scale.js';
export { parseColor, toHex } from './color/rgb.js';
export type { Rgb } from './color/rgb.js';
export { escapeXml } from './svg/xml.js';
export type { DocumentOptions } from './svg/document.js';
export type { MatrixPanelOptions } from './svg/heatmapLayout.js';
export { attentionHeatmap } from './svg/heatmap.js';
export type { HeatmapOptions } from './svg/heatmap.js';
