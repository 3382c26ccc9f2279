// Kernel names are constants: the whole vocabulary a backend may implement.

/** Element-wise kernels of one input (output shape = input shape). */
export const unaryKernels = [
  'Neg', 'Exp', 'Log', 'Sqrt', 'Rsqrt', 'Abs', 'Tanh', 'Sigmoid', 'Relu', 'Gelu', 'Silu', 'Erf',
  'Sign', 'Sin', 'Cos', 'Floor', 'LogicalNot', 'Cast', 'IsNan',
] as const;

/** Element-wise kernels of two inputs with NumPy broadcasting. */
export const binaryKernels = [
  'Add', 'Sub', 'Mul', 'Div', 'Pow', 'Maximum', 'Minimum',
  'Equal', 'NotEqual', 'Less', 'LessEqual', 'Greater', 'GreaterEqual', 'LogicalAnd', 'LogicalOr',
] as const;

/** Binary kernels whose output is `bool`. */
export const comparisonKernels = [
  'Equal', 'NotEqual', 'Less', 'LessEqual', 'Greater', 'GreaterEqual', 'LogicalAnd', 'LogicalOr',
] as const;

/** Everything else. */
export const otherKernels = [
  'Where', 'Sum', 'Max', 'Min', 'ArgMax', 'ArgMin', 'Softmax', 'LogSoftmax', 'BatchMatMul',
  'Transpose', 'Reshape', 'BroadcastTo', 'Slice', 'Pad', 'Concat', 'Gather', 'ScatterAdd',
  'IndexSelect', 'IndexAdd', 'LayerNorm',
] as const;

/** Compositions of other kernels run as one, for speed; the cpu kernel is their reference. */
export const fusedKernels = ['FusedAttention', 'FusedAttentionGrad', 'AdamStep'] as const;

export type UnaryKernel = (typeof unaryKernels)[number];
export type BinaryKernel = (typeof binaryKernels)[number];
export type ComparisonKernel = (typeof comparisonKernels)[number];
export type FusedKernel = (typeof fusedKernels)[number];
/** Every kernel name. */
export type KernelName = UnaryKernel | BinaryKernel | (typeof otherKernels)[number] | FusedKernel;

/** Kernels without a gradient: their outputs are integers or booleans, or they are gradients or optimizer steps themselves. */
export type NonDifferentiableKernel = ComparisonKernel | 'ArgMax' | 'ArgMin' | 'Sign' | 'Floor' | 'LogicalNot' | 'IsNan' | 'FusedAttentionGrad' | 'AdamStep';
/** Kernels that must have a gradient (a missing one is a compile error in gradients/index.ts). */
export type DifferentiableKernel = Exclude<KernelName, NonDifferentiableKernel>;

/** All kernel names, for conformance listings. */
export const allKernelNames: readonly KernelName[] = [...unaryKernels, ...binaryKernels, ...otherKernels, ...fusedKernels];
