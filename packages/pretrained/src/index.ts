/**
 * @qkv/pretrained — Hugging Face Hub-layout folders ↔ qkv models: GPT-2, BERT (base, masked LM,
 * sequence classification) and ViT (base, image classification), safetensors F32/F16/BF16, sharded,
 * with their tokenizer or image processor. Node directories: `@qkv/pretrained/node`.
 *
 * Shape legend: B batch · T tokens · V vocabulary · H heads · E width · C, H, W image channels and sides.
 */
export { fromPretrained, toSource, loadedConfig, FAMILIES } from './load.js';
export type { FromPretrainedOptions, Pretrained, PretrainedModel, SourceInput } from './load.js';
export { adapterNameMap, pretrainedFiles, savePretrained } from './save.js';
export type { SavePretrainedOptions } from './save.js';
export { filesSource, urlSource } from './source.js';
export type { FileLike, PretrainedSink, PretrainedSource, Progress, UrlSourceOptions } from './source.js';
export { HubConfig, LIMITS, PretrainedError } from './config.js';
export { ImageProcessor, resizeBilinear } from './image-processor.js';
export type { ImageInput } from './image-processor.js';
export { expandRules, fromHub, toHub } from './names.js';
export type { NameMap, NameRule } from './names.js';
export type { Built, Described, Family } from './family.js';
export { readHeader, readTensor } from './safetensors.js';
export type { StoredTensor } from './safetensors.js';
