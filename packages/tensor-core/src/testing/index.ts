/**
 * @qkv/tensor-core/testing — numeric assertions, finite-difference gradient checks, and the
 * conformance suite that every backend package runs against `cpu`.
 */
export { expectClose } from './close.js';
export type { Comparable, Tolerance } from './close.js';
export { gradCheck } from './grad-check.js';
export type { GradCheckOptions } from './grad-check.js';
export { conformanceCases, evaluateCase, expectConformance } from './conformance.js';
export type { CaseResult, ConformanceCase, InputSpec } from './conformance.js';
