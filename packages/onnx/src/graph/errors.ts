// The one error type of the exporter: a module, option or input it cannot turn into ONNX.

/** Thrown when a module, option or example input cannot be exported; the message names it. */
export class OnnxExportError extends Error {
  override name = 'OnnxExportError';
}
