// `qkv export-onnx` end to end (dist/cli.js): a shipped model becomes an ONNX file whose
// initializers are the shipped weights under their state-dict names; a bad --model is a usage error.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { load } from '@qkv/nn';
import { decodeModel, readInitializers } from '@qkv/onnx';
import { describe, expect, it } from 'vitest';

const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const run = promisify(execFile);

describe('qkv export-onnx', () => {
  it('writes char-gpt as opset 17 with the shipped weights as initializers', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'qkv-onnx-')), 'char-gpt.onnx');
    const { stdout } = await run(process.execPath, [cli, 'export-onnx', '--model', 'char-gpt', '--out', out, '--kv-cache']);
    expect(stdout).toMatch(/wrote .*char-gpt\.onnx .*opset 17/);
    const bytes = new Uint8Array(readFileSync(out));
    const model = decodeModel(bytes);
    expect(model.opsetImport[0]!.version).toBe(17);
    expect(model.graph.input.map((i) => i.name)).toContain('past_key_values.0.key');
    const shipped = load(new Uint8Array(readFileSync(fileURLToPath(new URL('../models/char-gpt/model.safetensors', import.meta.url))))).tensors;
    const inits = readInitializers(bytes);
    const name = 'transformer.h.0.attn.c_attn.weight';
    expect(Array.from(inits.get(name)!.data as Float32Array)).toEqual(Array.from(shipped[name]!.dataSync()));
  }, 120_000);

  it('names the accepted models when --model is neither a shipped name nor a folder', async () => {
    await expect(run(process.execPath, [cli, 'export-onnx', '--model', 'nope', '--out', 'x.onnx'])).rejects.toMatchObject({ code: 2, stderr: expect.stringMatching(/--model must be a shipped model \(g2p-transformer, g2p-gru, vit-mnist, spam-classifier, char-gpt\) or a folder, got 'nope'/) });
  }, 60_000);
});
