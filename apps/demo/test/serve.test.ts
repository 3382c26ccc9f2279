// `npm run demo` ends in scripts/serve-demo.mjs: stopping it must stop vite too, or the port stays
// taken by an orphaned server (it did when vite preview ran under npm → pnpm → sh).
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const script = resolve(import.meta.dirname, '../../../scripts/serve-demo.mjs');

function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const probe = createServer();
    probe.once('error', fail);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => ok(port));
    });
  });
}

async function answers(url: string): Promise<boolean> {
  try {
    return (await fetch(url)).ok;
  } catch {
    return false;
  }
}

async function until(cond: () => Promise<boolean>, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await cond()) return true;
    await new Promise((r) => setTimeout(r, 200));
  }
  return false;
}

describe('serve-demo', () => {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`takes vite preview down with it on ${signal}`, async () => {
      const port = await freePort();
      const url = `http://127.0.0.1:${port}/`;
      const child = spawn(process.execPath, [script, '--port', String(port), '--host', '127.0.0.1'], { stdio: 'ignore' });
      const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
      try {
        expect(await until(() => answers(url), 60_000)).toBe(true);
        child.kill(signal);
        await exited;
        expect(await until(async () => !(await answers(url)), 10_000)).toBe(true); // nothing listens any more
      } finally {
        child.kill('SIGKILL');
      }
    }, 90_000);
  }
});
