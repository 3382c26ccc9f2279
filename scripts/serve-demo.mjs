#!/usr/bin/env node
// Serves the built demo with vite preview as this process's own child, and takes it down with this
// process: SIGINT, SIGTERM and SIGHUP are passed on, so stopping `npm run demo` (or this script)
// never leaves a vite server behind holding the port.
//   node scripts/serve-demo.mjs [--port 4173] [--host 127.0.0.1]
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const demo = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'apps', 'demo');
const vite = join(dirname(createRequire(join(demo, 'package.json')).resolve('vite/package.json')), 'bin', 'vite.js');
const args = process.argv.slice(2);
const port = args.includes('--port') ? args[args.indexOf('--port') + 1] : '4173';
const host = args.includes('--host') ? ['--host', args[args.indexOf('--host') + 1]] : [];
const child = spawn(process.execPath, [vite, 'preview', '--port', port, '--strictPort', ...host], { cwd: demo, stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? 128 + (constants.signals[signal] ?? 1)));
