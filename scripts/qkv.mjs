#!/usr/bin/env node
// The README's two commands run through here, so they work on a machine that has only Node ≥ 20
// and npm: it installs the pinned pnpm if needed, installs the workspace, then runs the job.
//   npm run demo   → build and serve the demo
//   npm test       → build, typecheck, lint, publint and every test, then one summary line
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const pinned = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).packageManager.split('@')[1];

function run(cmd, args, options = {}) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', ...options });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

function pnpmVersion() {
  try {
    return execFileSync('pnpm', ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
}

function ensurePnpm() {
  const have = pnpmVersion();
  if (have === pinned) return;
  console.log(`qkv: installing pnpm ${pinned} with npm (found ${have ?? 'none'})`);
  run('npm', ['install', '--global', `pnpm@${pinned}`]);
}

/** Sums the JSON reports vitest wrote under each package's artifacts/ folder. */
function summarise() {
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  for (const group of ['packages', 'apps']) {
    const dir = join(root, group);
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir)) {
      const file = join(dir, name, 'artifacts', 'vitest.json');
      if (!existsSync(file)) continue;
      const report = JSON.parse(readFileSync(file, 'utf8'));
      passed += report.numPassedTests ?? 0;
      failed += report.numFailedTests ?? 0;
      skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
    }
  }
  console.log(`\nqkv: ${passed} passed, ${failed} failed, ${skipped} skipped`);
}

const job = process.argv[2];
ensurePnpm();
run('pnpm', ['install', '--frozen-lockfile']);
if (job === 'test') {
  const r = spawnSync('pnpm', ['turbo', 'run', 'build', 'typecheck', 'lint', 'publint', 'test', '--output-logs=errors-only', '--concurrency=2', '--continue'], { cwd: root, stdio: 'inherit' });
  summarise();
  process.exit(r.status ?? 1);
} else if (job === 'demo') {
  run('pnpm', ['turbo', 'run', 'build', '--output-logs=errors-only']); // builds the demo too
  await import('./serve-demo.mjs'); // in this process, so a signal that stops it stops vite too
} else {
  console.error('usage: node scripts/qkv.mjs <test|demo>');
  process.exit(2);
}
