import { TokenizerError } from './errors.js';
import type { BatchEncoding, BatchOptions, Encoding } from './types.js';

/**
 * Pads (and checks the lengths of) B encodings into [B, L] rows.
 * Rows must already be truncated; a row longer than `maxLength` is an error here.
 * @param rows B encodings (offsets used only when `options.returnOffsets`)
 * @param padId id written into padded positions
 * @example padRows([{ids:[5,6]}, {ids:[7]}], { padding: 'longest' }, 0).inputIds // [[5,6],[7,0]]
 */
export function padRows(
  rows: readonly Pick<Encoding, 'ids' | 'specialTokensMask' | 'offsets'>[],
  options: BatchOptions,
  padId: number | undefined,
): BatchEncoding {
  const padding = options.padding ?? 'longest';
  const lengths = rows.map((row) => row.ids.length);
  const { maxLength } = options;
  lengths.forEach((length, b) => {
    if (maxLength !== undefined && length > maxLength) {
      throw new TokenizerError(
        `encodeBatch: expected text ${b} to have at most maxLength = ${maxLength} tokens, got ${length}; pass truncation: true to cut it`,
      );
    }
  });
  const L = padding === 'max_length' ? maxLength! : padding === 'longest' ? Math.max(0, ...lengths) : 0;
  const left = options.paddingSide === 'left';
  const out: BatchEncoding = { inputIds: [], attentionMask: [], lengths, specialTokensMask: [] };
  if (options.returnOffsets) out.offsets = [];
  rows.forEach((row, b) => {
    const pad = Math.max(0, L - lengths[b]!);
    if (pad > 0 && padId === undefined) {
      throw new TokenizerError('encodeBatch: expected a pad token to pad with, got none; configure specialTokens.pad or pass padId');
    }
    const fill = <T>(real: T[], padValue: () => T): T[] => {
      const pads = Array.from({ length: pad }, padValue);
      return left ? [...pads, ...real] : [...real, ...pads];
    };
    out.inputIds.push(fill(row.ids, () => padId!));
    out.attentionMask.push(fill(row.ids.map(() => 1), () => 0));
    out.specialTokensMask.push(fill(row.specialTokensMask, () => 1));
    out.offsets?.push(fill(row.offsets, (): [number, number] => [0, 0]));
  });
  return out;
}

/** Checks `encodeBatch` options before any text is encoded. */
export function validateBatchOptions(options: BatchOptions): void {
  const { maxLength, padding = 'longest' } = options;
  if (maxLength !== undefined && (!Number.isInteger(maxLength) || maxLength < 0)) {
    throw new TokenizerError(`encodeBatch: expected maxLength to be an integer ≥ 0, got ${maxLength}`);
  }
  if (padding === 'max_length' && maxLength === undefined) {
    throw new TokenizerError("encodeBatch: expected maxLength with padding: 'max_length', got undefined");
  }
  if (options.truncation && maxLength === undefined) {
    throw new TokenizerError('encodeBatch: expected maxLength with truncation: true, got undefined');
  }
}
