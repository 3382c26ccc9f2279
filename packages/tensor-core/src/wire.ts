// Connects the parts that must not import each other, so tensor-core's imports form no loop:
// `Tensor`'s methods reach the ops and `backward` through `setOpHandler` (TensorFlow.js's idea),
// and the engine records kernel calls for autograd through the hook the tape provides. index.ts
// imports this file once; it is one of the package's side effects.
import { backward, recordNode } from './autograd/tape.js';
import { setRecordHook } from './engine.js';
import * as ops from './ops/index.js';
import { setOpHandler } from './tensor.js';

setOpHandler({ ...ops, backward });
setRecordHook(recordNode);
