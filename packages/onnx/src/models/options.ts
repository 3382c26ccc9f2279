// What `exportOnnx` accepts besides the module, and the checks every model exporter shares.
import type { GraphBuilder } from '../graph/builder.js';
import { OnnxExportError } from '../graph/errors.js';

/** Options of `exportOnnx`. */
export interface ExportOnnxOptions {
  /** Also output every attention's weights per head, `attentions.N` (`cross_attentions.N`) [B, H, L, S] (default false). */
  attentionOutputs?: boolean;
  /** GPT: take `past_key_values.N.key/value` [B, H, past, D] and return `present.N.key/value` (default false). */
  kvCache?: boolean;
  /** Seq2SeqTransformer / Seq2SeqGRU: which graph to export, the encoder or the decoder (step) (default 'encoder'). */
  part?: 'encoder' | 'decoder';
  /** Encoder/decoder layers and stacks: a bool key padding mask input per attended sequence (default false). */
  keyPaddingMask?: boolean;
  /** Encoder/decoder layers and stacks: causal self-attention (default false for encoders, true for decoders). */
  causal?: boolean;
  /** ONNX opset of the default domain, 17 or more (default 17: LayerNormalization, and what onnx 1.12 checks). */
  opset?: number;
  /** The graph's name (default the module's class name). */
  graphName?: string;
}

/** The options with defaults. */
export type ResolvedOptions = Required<Omit<ExportOnnxOptions, 'causal' | 'graphName'>> & Pick<ExportOnnxOptions, 'causal' | 'graphName'>;

/** A model exporter: declares inputs and outputs on the builder and emits the body. */
export type ModelExporter<M> = (g: GraphBuilder, module: M, options: ResolvedOptions) => void;

/** Throws if an option that `model` does not support is set. */
export function rejectOptions(model: string, options: ResolvedOptions, supported: (keyof ExportOnnxOptions)[]): void {
  const defaults: Partial<Record<keyof ExportOnnxOptions, unknown>> = { attentionOutputs: false, kvCache: false, part: 'encoder', keyPaddingMask: false, causal: undefined };
  for (const [key, value] of Object.entries(defaults) as [keyof ExportOnnxOptions, unknown][]) {
    if (!supported.includes(key) && options[key] !== value) {
      throw new OnnxExportError(`exportOnnx: option ${key} = ${JSON.stringify(options[key])} is not supported for ${model} (it supports ${supported.join(', ') || 'no model options'})`);
    }
  }
}
