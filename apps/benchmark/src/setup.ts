// Backend registration for the benchmark process: importing this registers qkv's `wasm`.
import '@qkv/wasm-kernels';
export { setThreads, getThreads } from '@qkv/wasm-kernels';
export { setBackend, getBackend } from '@qkv/tensor-core';
