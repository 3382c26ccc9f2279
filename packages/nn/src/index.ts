/**
 * @qkv/nn — PyTorch's `torch.nn` and `torch.optim` in TypeScript: Module, Parameter, layers,
 * losses, optimizers, learning-rate schedules, init, state dicts and safetensors.
 *
 * Shape legend: B batch · T sequence length · C/E features · H hidden size · V vocabulary ·
 * L layers · D directions (1 or 2).
 */
export { Module } from './module.js';
export type { LoadResult, StateDict } from './module.js';
export { Parameter, isParameter } from './parameter.js';
export { pytorchName } from './names.js';
export * as init from './init.js';
export type { InitOptions, KaimingOptions, Nonlinearity } from './init.js';

export { Linear } from './layers/linear.js';
export { affine } from './layers/affine.js';
export type { LinearOptions } from './layers/linear.js';
export { Embedding } from './layers/embedding.js';
export type { EmbeddingOptions } from './layers/embedding.js';
export { LayerNorm } from './layers/layer-norm.js';
export type { LayerNormOptions } from './layers/layer-norm.js';
export { Dropout } from './layers/dropout.js';
export { GELU, Identity, ReLU, SiLU, Sigmoid, Tanh } from './layers/activation.js';
export { ModuleDict, ModuleList, Sequential } from './layers/containers.js';
export type { TensorModule } from './layers/containers.js';

export { crossEntropy, nllLoss } from './losses/nll.js';
export type { CrossEntropyOptions, NllLossOptions } from './losses/nll.js';
export { mseLoss } from './losses/mse.js';
export { binaryCrossEntropyWithLogits } from './losses/bce.js';
export type { BceWithLogitsOptions } from './losses/bce.js';
export type { Reduction } from './losses/reduction.js';

export { Optimizer } from './optim/optimizer.js';
export type { OptimizerStateDict, ParamGroup, ParamState, ParamsInput } from './optim/optimizer.js';
export { Adam, AdamW } from './optim/adam.js';
export type { AdamOptions } from './optim/adam.js';
export { SGD } from './optim/sgd.js';
export type { SGDOptions } from './optim/sgd.js';
export { clipGradNorm } from './optim/clip.js';
export { weightDecayGroups } from './optim/groups.js';
export { LRScheduler } from './optim/scheduler.js';
export type { SchedulerStateDict } from './optim/scheduler.js';
export { chain, constantSchedule, cosineWithWarmup, linearWarmup, linearWarmupDecay, multiply, noam, stepDecay } from './optim/schedules.js';
export type { Schedule } from './optim/schedules.js';
export { GRUCell, LSTMCell, gruStep, lstmStep } from './layers/rnn-cells.js';
export type { CellOptions } from './layers/rnn-cells.js';
export { GRU, LSTM } from './layers/rnn.js';
export type { RNNForwardOptions, RNNOptions } from './layers/rnn.js';
export { SafetensorsError, load, parseHeader, save } from './io/safetensors.js';
export type { Loaded, SafetensorsHeader, SaveOptions, TensorEntry } from './io/safetensors.js';
export type { SafetensorsDType } from './io/dtypes.js';
export { loadCheckpoint, saveCheckpoint } from './io/checkpoint.js';
export type { CheckpointParts } from './io/checkpoint.js';
