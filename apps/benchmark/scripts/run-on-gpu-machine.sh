#!/usr/bin/env bash
# Runs the browser benchmark (GEMM and multi-head attention on cpu, wasm, webgl, webgpu) on a
# machine with a real GPU: Chromium gets the GPU instead of SwiftShader (`--real-gpu`).
#
# Needs: Node ≥ 20, pnpm (corepack), Chromium or Chrome with a working GPU driver, and a display
# or headless GPU access (`--headless=new` uses the GPU on Linux with Vulkan/ANGLE drivers present).
# Usage, from a checkout of the repository:
#   apps/benchmark/scripts/run-on-gpu-machine.sh [--quick] [extra bench:browser options]
# Environment: QKV_CHROMIUM=/path/to/chrome (default /usr/bin/chromium), OUT=results-gpu.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
root="$(cd "$here/../.." && pwd)"
out="${OUT:-$here/results-gpu}"

command -v pnpm >/dev/null || { echo "run-on-gpu-machine: pnpm not found (corepack enable)" >&2; exit 1; }
chrome="${QKV_CHROMIUM:-/usr/bin/chromium}"
[ -x "$chrome" ] || { echo "run-on-gpu-machine: no Chromium at $chrome; set QKV_CHROMIUM" >&2; exit 1; }
export QKV_CHROMIUM="$chrome"

# What the GPU is, for the record next to the numbers.
{ command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,driver_version --format=csv,noheader; } > /tmp/qkv-gpu.txt 2>/dev/null \
  || { command -v lspci >/dev/null && lspci | grep -iE 'vga|3d|display'; } > /tmp/qkv-gpu.txt 2>/dev/null || echo unknown > /tmp/qkv-gpu.txt

cd "$root"
pnpm install --frozen-lockfile
pnpm turbo run build --filter @qkv/benchmark...
cd "$here"
mkdir -p "$out"
cp /tmp/qkv-gpu.txt "$out/gpu.txt"
node dist/browser-run.js --real-gpu --out "$out" --json "$out/browser.json" "$@"
echo "run-on-gpu-machine: GPU $(cat "$out/gpu.txt"); results in $out (browser.md, browser.svg, browser.json)"
