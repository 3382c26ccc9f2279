// The PyTorch peer: the peer a user would pick instead of qkv on a CPU. A Python process
// (python/torch_peer.py) computes the gemm, mha and encoder suites' maths in PyTorch from the suite's
// own inputs and weights and times it there; the suites check its answers like every other peer's.
// Skipped, with the reason and the install line, when no python3 with torch is found.
import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { BenchContext } from '../harness.js';

/** The install line the skip message and the README give (Debian). */
export const TORCH_INSTALL = 'apt-get install python3-torch python3-numpy libopenblas0-pthread';

/** One answer's timing, as the harness's `time` reports it. */
export interface TorchTiming {
  medianMs: number;
  minMs: number;
  maxMs: number;
  runs: number;
}

/** A running peer: send a request, get its answer (arrays as base64 float32). */
export interface TorchPeer {
  readonly version: string;
  call<T extends object>(request: Record<string, unknown>): Promise<T & TorchTiming>;
  close(): void;
}

/** Float32 or Int32 values as the base64 the peer reads. */
export function toBase64(values: Float32Array | Int32Array): string {
  return Buffer.from(values.buffer, values.byteOffset, values.byteLength).toString('base64');
}

/** The peer's base64 float32 back to values. */
export function fromBase64(text: string): Float32Array {
  const bytes = Buffer.from(text, 'base64');
  return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}

/** The Python script, beside src/ (vitest) or dist/ (the built bench). */
function scriptPath(): string {
  for (const rel of ['../../python/torch_peer.py', '../python/torch_peer.py']) {
    const p = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(p)) return p;
  }
  throw new Error('torch peer: python/torch_peer.py is missing from apps/benchmark');
}

/** `QKV_PYTHON`, else Debian's /usr/bin/python3 (where python3-torch installs), else `python3` on PATH. */
function pythonPath(): string {
  return process.env.QKV_PYTHON ?? (existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3');
}

/**
 * Starts the peer and checks that torch imports; returns null (after logging why and how to install
 * it) when it does not. OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE are unset for this process only: they
 * hold OpenBLAS to a slower kernel than the CPU has.
 */
export async function startTorchPeer(ctx: BenchContext): Promise<TorchPeer | null> {
  const env: NodeJS.ProcessEnv = { ...process.env, PYTHONUNBUFFERED: '1' };
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  const python = pythonPath();
  let child: ChildProcessWithoutNullStreams;
  try {
    child = spawn(python, [scriptPath()], { env, stdio: ['pipe', 'pipe', 'pipe'] });
  } catch (err) {
    ctx.log(`torch peer skipped: ${python} could not start (${(err as Error).message}); install with \`${TORCH_INSTALL}\``);
    return null;
  }
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  // a python that exits at once (no torch) closes its stdin: the exit is reported below, not as EPIPE
  child.stdin.on('error', () => {});
  let buffer = '';
  const waiting: ((line: string) => void)[] = [];
  child.stdout.on('data', (d: Buffer) => {
    buffer += d.toString();
    let nl: number;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      waiting.shift()?.(line);
    }
  });
  const exited = new Promise<string>((resolve) => {
    child.on('error', (err) => resolve(err.message));
    child.on('exit', (code) => resolve(`exited with code ${code}: ${stderr.trim().split('\n').at(-1) ?? ''}`));
  });
  const call = async <T extends object>(request: Record<string, unknown>): Promise<T & TorchTiming> => {
    const answer = new Promise<string>((resolve) => waiting.push(resolve));
    child.stdin.write(`${JSON.stringify({ quick: ctx.quick, ...request })}\n`);
    const line = await Promise.race([answer, exited.then((why) => Promise.reject(new Error(`torch peer ${why}`)))]);
    const parsed = JSON.parse(line) as T & TorchTiming & { error?: string };
    if (parsed.error) throw new Error(`torch peer: ${String(request.op)}: ${parsed.error}`);
    return parsed;
  };
  try {
    const probe = await Promise.race([call<{ torch: string }>({ op: 'probe' }), new Promise<never>((_, reject) => setTimeout(() => reject(new Error('no answer within 60 s')), 60_000))]);
    ctx.log(`torch peer: PyTorch ${probe.torch} (${python})`);
    return { version: probe.torch, call, close: () => child.kill() };
  } catch (err) {
    child.kill();
    ctx.log(`torch peer skipped: ${python} has no working torch (${(err as Error).message.split('\n')[0]}); install with \`${TORCH_INSTALL}\``);
    return null;
  }
}

/** Display name of the peer at a thread count: `pytorch`, `pytorch×2`. */
export function torchName(threads: number): string {
  return `pytorch${threads > 1 ? `×${threads}` : ''}`;
}
