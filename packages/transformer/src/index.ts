/**
 * @qkv/transformer — positional encodings, PyTorch-faithful Transformer layers and stacks that can
 * return every attention weight, the course's models, and decoding (greedy, beam, sampling).
 *
 * Shape legend: B batch · T target length · S source length · E = dModel · H heads · D = E / H ·
 * V vocabulary · N rows being decoded (batch × beams).
 */
export { SinusoidalPositionalEncoding, sinusoidalTable } from './positional/sinusoidal.js';
export type { SinusoidalOptions } from './positional/sinusoidal.js';
export { LearnedPositionalEmbedding } from './positional/learned.js';
export type { LearnedPositionalOptions } from './positional/learned.js';
export { RotaryEmbedding } from './positional/rotary.js';
export type { RotaryOptions } from './positional/rotary.js';

export type { DecodeOptions, DecodeStepper } from './decoding/stepper.js';
export { greedyDecode } from './decoding/greedy.js';
export { filteredProbabilities, sample } from './decoding/sample.js';
export type { SampleOptions } from './decoding/sample.js';
export { beamSearch } from './decoding/beam-search.js';
export type { BeamSearchOptions, Hypothesis } from './decoding/beam-search.js';

export { Block, CausalSelfAttention, GPT, GPTBody, MLP } from './models/gpt.js';
export type { GenerateOptions, GPTConfig, KVCache, LayerCache } from './models/gpt.js';

export type { Activation, TransformerLayerOptions } from './layers/options.js';
export { TransformerEncoderLayer } from './layers/encoder-layer.js';
export type { EncoderLayerForwardOptions } from './layers/encoder-layer.js';
export { TransformerDecoderLayer } from './layers/decoder-layer.js';
export type { DecoderLayerAttention, DecoderLayerForwardOptions } from './layers/decoder-layer.js';
export { TransformerEncoder } from './layers/encoder.js';
export type { EncoderForwardOptions } from './layers/encoder.js';
export { TransformerDecoder } from './layers/decoder.js';
export { decoderStepMasks } from './layers/kv-cache.js';
export type { DecoderLayerCache, DecoderStepMasks, KeyValue } from './layers/kv-cache.js';
export { Transformer } from './layers/transformer.js';
export type { TransformerForwardOptions, TransformerOptions } from './layers/transformer.js';

export { TransformerClassifier, meanOverTokens } from './models/classifier.js';
export type { ClassifierConfig } from './models/classifier.js';
export { Seq2SeqTransformer } from './models/seq2seq-transformer.js';
export type { Seq2SeqState, Seq2SeqTransformerConfig } from './models/seq2seq-transformer.js';
export { VisionTransformer } from './models/vit.js';
export { BertEmbeddings, BertForMaskedLM, BertForSequenceClassification, BertLayer, BertModel, BertSelfAttention } from './models/bert.js';
export type { BertConfig, BertInputs } from './models/bert.js';
export type { ViTConfig } from './models/vit.js';
export { BahdanauDecoder, GRUEncoder, LuongDecoder, Seq2SeqGRU } from './models/seq2seq-gru.js';
export type { GRUDecodeState, GRUDecoderStep, RNNAttentionKind, Seq2SeqGRUConfig } from './models/seq2seq-gru.js';
