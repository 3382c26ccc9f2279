// All ops, re-exported for the Tensor methods and the package entry point.
export * from './util.js';
export * from './creation.js';
export * from './random.js';
export * from './unary.js';
export * from './binary.js';
export * from './reduce.js';
export * from './softmax.js';
export * from './matmul.js';
export * from './shape-ops.js';
export * from './index-ops.js';
export * from './norm.js';
export * from './attention.js';
export * from './optim.js';
