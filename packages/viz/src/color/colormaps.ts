import {
  interpolateBlues,
  interpolateCividis,
  interpolateGreys,
  interpolateInferno,
  interpolateMagma,
  interpolatePlasma,
  interpolatePuOr,
  interpolateRdBu,
  interpolateViridis,
  interpolateYlGnBu,
} from 'd3-scale-chromatic';

/** A colour map: t ∈ [0, 1] → a CSS colour string, as d3-scale-chromatic's interpolators are. */
export type Interpolator = (t: number) => string;

/** A named colour map and whether it is diverging (centred on 0, for raw scores and biases). */
export interface Colormap {
  readonly name: string;
  readonly interpolate: Interpolator;
  readonly diverging: boolean;
}

/** Names of the built-in maps. `RdBu_r` is RdBu reversed: blue below 0, red above (matplotlib's). */
export type ColormapName =
  | 'viridis'
  | 'magma'
  | 'inferno'
  | 'plasma'
  | 'cividis'
  | 'YlGnBu'
  | 'Blues'
  | 'Greys'
  | 'RdBu'
  | 'RdBu_r'
  | 'PuOr';

/** Every built-in colour map, by name (all from d3-scale-chromatic). */
export const COLORMAPS: Readonly<Record<ColormapName, Colormap>> = {
  viridis: { name: 'viridis', interpolate: interpolateViridis, diverging: false },
  magma: { name: 'magma', interpolate: interpolateMagma, diverging: false },
  inferno: { name: 'inferno', interpolate: interpolateInferno, diverging: false },
  plasma: { name: 'plasma', interpolate: interpolatePlasma, diverging: false },
  cividis: { name: 'cividis', interpolate: interpolateCividis, diverging: false },
  YlGnBu: { name: 'YlGnBu', interpolate: interpolateYlGnBu, diverging: false },
  Blues: { name: 'Blues', interpolate: interpolateBlues, diverging: false },
  Greys: { name: 'Greys', interpolate: interpolateGreys, diverging: false },
  RdBu: { name: 'RdBu', interpolate: interpolateRdBu, diverging: true },
  RdBu_r: { name: 'RdBu_r', interpolate: (t) => interpolateRdBu(1 - t), diverging: true },
  PuOr: { name: 'PuOr', interpolate: interpolatePuOr, diverging: true },
};

/** A colour map given by name, or a custom one: an interpolator, optionally marked diverging. */
export type ColormapInput = ColormapName | Interpolator | Colormap;

/**
 * Resolves a colour-map option to a {@link Colormap}; unknown names are an error naming `fn`.
 * @example resolveColormap('YlGnBu', 'attentionHeatmap').interpolate(0.5)
 */
export function resolveColormap(input: ColormapInput, fn: string): Colormap {
  if (typeof input === 'function') return { name: 'custom', interpolate: input, diverging: false };
  if (typeof input === 'object') return input;
  const map = (COLORMAPS as Record<string, Colormap | undefined>)[input];
  if (map === undefined) {
    throw new RangeError(`${fn}: colormap must be one of ${Object.keys(COLORMAPS).join(', ')}, got '${input}'`);
  }
  return map;
}
