#!/usr/bin/python3
"""Runs ONNX's own checker (onnx.checker.check_model, full_check=True: schema, types and shape
inference) on every .onnx file in a directory, e.g. the models @qkv/onnx's tests export.

    QKV_ONNX_SAVE=/tmp/qkv-onnx pnpm --filter @qkv/onnx test
    /usr/bin/python3 tooling/onnx-check/check.py /tmp/qkv-onnx

Needs Debian's python3-onnx (1.12: opsets up to 17, IR version 8), not part of CI.
Exits 1 if any file fails, 2 if there is nothing to check.
"""
import pathlib
import sys

import onnx


def main() -> int:
    if len(sys.argv) != 2:
        print("usage: check.py DIR", file=sys.stderr)
        return 2
    files = sorted(pathlib.Path(sys.argv[1]).glob("*.onnx"))
    if not files:
        print(f"check.py: no .onnx files in {sys.argv[1]}", file=sys.stderr)
        return 2
    print(f"onnx {onnx.__version__}: default-domain opset up to {onnx.defs.onnx_opset_version()}, IR version {onnx.IR_VERSION}")
    failed = 0
    for path in files:
        model = onnx.load(str(path))
        opset = ",".join(f"{o.domain or 'ai.onnx'}:{o.version}" for o in model.opset_import)
        try:
            onnx.checker.check_model(model, full_check=True)
            print(f"ok    {path.name}  (opset {opset}, IR {model.ir_version}, {len(model.graph.node)} nodes, {len(model.graph.initializer)} initializers)")
        except Exception as e:  # the checker raises ValidationError and shape-inference errors
            failed += 1
            print(f"FAIL  {path.name}: {str(e).splitlines()[0]}")
    print(f"{len(files) - failed} of {len(files)} models pass onnx.checker.check_model")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
