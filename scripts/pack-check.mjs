#!/usr/bin/env node
// The packages as a user gets them. After the build, for every publishable package (packages/*
// without "private"; found by itself, so new packages are checked without registering them):
//   tarball   `pnpm pack`, then LICENSE, README, no sources or tests, no workspace-only export
//             condition, no `workspace:` range, no placeholder repository, keywords, and engines
//             that admit only Node versions where `require()` of ESM works (≥ 20.19)
//   install   `npm install` into an empty ESM project with only its own @qkv dependencies (tarballs)
//   import    every export path imports in ESM and require()s from CommonJS; CommonJS TypeScript
//             with "module": "nodenext" compiles and runs (the README's ESM-only note)
//   types     typecheck an import of every export path with moduleResolution node16 and bundler
//   attw      @arethetypeswrong/cli on the tarball (ESM-only profile), and publint on it
//   bundle    esbuild, Rollup and Vite bundle every browser entry with their plain configuration
//   size      the minified + gzipped esbuild bundle of each entry stays within scripts/size-budgets.json
//   readme    every ```ts block of the package's README (and the root README) typechecks against
//             the installed tarballs and, unless marked `typecheck-only`, runs in Node
// and once: `changeset version` on a copy of the repository writes a CHANGELOG.md per package.
// Prints one line per check and ends with `pack-check: N passed, M failed`; writes
// artifacts/pack-check.json for the `npm test` summary.
//   node scripts/pack-check.mjs [--only tokenizer,viz] [--keep]
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import * as esbuild from 'esbuild';
import { bundleEsbuild, bundleRollup, bundleVite, writeEntry } from './pack-check/bundlers.mjs';
import { checkChangesetVersion } from './pack-check/changesets.mjs';
import { importedPackages, tsBlocks } from './pack-check/readme-blocks.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => join(root, 'node_modules', '.bin', name);
const run = promisify(execFile);
const args = process.argv.slice(2);
const only = args.includes('--only') ? args[args.indexOf('--only') + 1].split(',') : null;
const keep = args.includes('--keep');
/** Oldest Node where `require()` of an ES module works unflagged: what `engines` may admit. */
const MIN_NODE = [20, 19];
/** Seconds a README block may run. */
const BLOCK_TIMEOUT_S = 180;
const started = Date.now();
const work = mkdtempSync(join(tmpdir(), 'qkv-pack-check-'));
const npmFlags = ['--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error', '--no-package-lock'];
const typesNode = readFileSync(join(root, 'pnpm-workspace.yaml'), 'utf8').match(/"@types\/node": (\S+)/)[1];

const results = [];
function record(name, ok, detail = '') {
  results.push({ name, ok, detail });
  console.log(`${ok ? '✓' : '✗'} ${name}${detail ? `: ${detail}` : ''}`);
}
async function check(name, fn) {
  try {
    const detail = await fn();
    record(name, true, typeof detail === 'string' ? detail : '');
  } catch (error) {
    const why = error.killed ? `killed after its time limit (${error.signal})` : String(error.stderr || error.stdout || error.message || error);
    record(name, false, why.trim().split('\n').slice(0, 25).join('\n    '));
  }
}
const sh = (cmd, argv, cwd, timeout = 300_000) => run(cmd, argv, { cwd, timeout, maxBuffer: 64 << 20, env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' } });

/** Publishable workspace packages: packages/* without "private". */
function publishable() {
  return readdirSync(join(root, 'packages'))
    .filter((d) => existsSync(join(root, 'packages', d, 'package.json')))
    .map((d) => ({ dir: join(root, 'packages', d), short: d, pkg: JSON.parse(readFileSync(join(root, 'packages', d, 'package.json'), 'utf8')) }))
    .filter(({ pkg }) => !pkg.private);
}

/** Export paths of a packed manifest, `./package.json` left out: ['.', './node']. */
const exportPaths = (manifest) => Object.keys(manifest.exports ?? { '.': null }).filter((p) => p !== './package.json' && !p.includes('*'));
const specifierOf = (name, path) => (path === '.' ? name : `${name}/${path.slice(2)}`);
/** Node-only entry points (named so): bundled for platform node, not for browsers. */
const nodeOnly = (path) => /(^|\/)node$/.test(path);

/** Every string leaf of an exports map with the conditions on its path. */
function* exportTargets(value, conditions = []) {
  if (typeof value === 'string') yield { conditions, target: value };
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) yield* exportTargets(v, [...conditions, k]);
}

/** The oldest version an `engines.node` range admits, as [major, minor] (>=, ^ or ~ ranges). */
function minimumNode(range) {
  const m = /^\s*(?:>=|\^|~)?\s*v?(\d+)(?:\.(\d+))?/.exec(range ?? '');
  return m ? [Number(m[1]), Number(m[2] ?? 0)] : null;
}

async function packAll(packages) {
  const dest = join(work, 'tarballs');
  mkdirSync(dest, { recursive: true });
  const tarballs = new Map();
  for (const { dir, pkg } of packages) {
    await check(`${pkg.name} pack`, async () => {
      if (!existsSync(join(dir, 'dist'))) throw new Error(`no dist/: build it first (pnpm --filter ${pkg.name} build)`);
      const { stdout } = await sh('pnpm', ['pack', '--pack-destination', dest], dir);
      const file = stdout.trim().split('\n').filter((l) => l.endsWith('.tgz')).pop();
      if (!file || !existsSync(file)) throw new Error(`pnpm pack printed no tarball: ${stdout}`);
      tarballs.set(pkg.name, file);
    });
  }
  return tarballs;
}

/** Contents and manifest of a tarball; returns the packed package.json. */
async function inspectTarball(name, tarball) {
  const { stdout } = await sh('tar', ['tzf', tarball], root);
  const files = stdout.split('\n').filter(Boolean).map((f) => f.replace(/^package\//, ''));
  const manifest = JSON.parse((await sh('tar', ['xzOf', tarball, 'package/package.json'], root)).stdout);
  const problems = [];
  for (const must of ['LICENSE', 'README.md', 'package.json']) if (!files.includes(must)) problems.push(`no ${must} in the tarball`);
  const unwanted = files.filter((f) => /^(src|test|tests|assembly|bench|fixtures)\//.test(f) || /\.(test|spec)\.[cm]?[jt]s$/.test(f));
  if (unwanted.length > 0) problems.push(`ships sources or tests: ${unwanted.slice(0, 5).join(', ')}${unwanted.length > 5 ? ', …' : ''}`);
  for (const { conditions, target } of exportTargets(manifest.exports)) {
    if (conditions.some((c) => c.startsWith('@qkv/'))) problems.push(`exports carry the workspace-only condition ${conditions.join(' → ')} (add publishConfig.exports without it)`);
    else if (!files.includes(target.replace(/^\.\//, ''))) problems.push(`exports point at ${target}, which is not in the tarball`);
  }
  for (const field of ['dependencies', 'peerDependencies', 'optionalDependencies']) {
    for (const [dep, range] of Object.entries(manifest[field] ?? {})) if (/^(workspace|catalog|link|file):/.test(range)) problems.push(`${field}.${dep} is ${range}`);
  }
  const repo = typeof manifest.repository === 'string' ? manifest.repository : manifest.repository?.url;
  if (repo !== undefined && /example\.(invalid|com|org)|placeholder|TODO/i.test(repo)) problems.push(`repository is a placeholder: ${repo}`);
  if (manifest.license !== 'MIT' || !/^MIT License/.test((await sh('tar', ['xzOf', tarball, 'package/LICENSE'], root).catch(() => ({ stdout: '' }))).stdout)) {
    problems.push(`license ${manifest.license} does not match an MIT LICENSE file`);
  }
  if (!Array.isArray(manifest.keywords) || manifest.keywords.length === 0) problems.push('no keywords');
  if (manifest.type !== 'module') problems.push(`type is ${manifest.type}, expected module (the builds are ESM-only)`);
  const min = minimumNode(manifest.engines?.node);
  if (!min || min[0] < MIN_NODE[0] || (min[0] === MIN_NODE[0] && min[1] < MIN_NODE[1])) {
    problems.push(`engines.node is ${JSON.stringify(manifest.engines?.node)}: an ESM-only package can be require()d only from Node ${MIN_NODE.join('.')}, so admit nothing older`);
  }
  if (problems.length > 0) throw new Error(problems.join('; '));
  return manifest;
}

/** @qkv dependencies of `name`, transitively, from the packed manifests. */
function qkvClosure(name, manifests, seen = new Set()) {
  for (const dep of Object.keys(manifests.get(name)?.dependencies ?? {})) {
    if (!dep.startsWith('@qkv/') || seen.has(dep)) continue;
    seen.add(dep);
    qkvClosure(dep, manifests, seen);
  }
  return seen;
}

function tsconfig(dir, file, resolution, include) {
  const options = resolution === 'node16' ? { module: 'node16', moduleResolution: 'node16' } : { module: 'esnext', moduleResolution: 'bundler' };
  writeFileSync(join(dir, file), JSON.stringify({
    compilerOptions: { ...options, target: 'es2022', lib: ['es2023', 'dom'], types: ['node'], strict: true, noEmit: true, skipLibCheck: false, noUncheckedIndexedAccess: true },
    include,
  }, null, 2));
}

/** tsc's errors grouped by file (relative to `dir`). */
async function typecheck(dir, project) {
  try {
    await sh(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', project, '--pretty', 'false'], dir);
    return new Map();
  } catch (error) {
    if (!error.stdout) throw error;
    const byFile = new Map();
    for (const line of error.stdout.split('\n').filter(Boolean)) {
      const file = /^([^(]+)\(/.exec(line)?.[1] ?? '';
      byFile.set(file, [...(byFile.get(file) ?? []), line]);
    }
    return byFile;
  }
}

async function checkPackage({ pkg, short }, tarballs, manifests, budgets) {
  const name = pkg.name;
  const manifest = manifests.get(name);
  const dir = join(work, 'alone', short);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: `try-${short}`, private: true, type: 'module' }, null, 2));
  const paths = exportPaths(manifest);
  const own = [name, ...qkvClosure(name, manifests)];
  let installed = false;
  await check(`${name} install alone (${own.length - 1} @qkv dependencies)`, async () => {
    const missing = own.filter((n) => !tarballs.has(n));
    if (missing.length > 0) throw new Error(`no tarball for ${missing.join(', ')}`);
    await sh('npm', ['install', ...npmFlags, ...own.map((n) => tarballs.get(n)), `@types/node@${typesNode}`], dir);
    installed = true;
  });
  if (!installed) return;

  await check(`${name} import (ESM) and require() (CommonJS) of ${paths.join(', ')}`, async () => {
    const specs = paths.map((p) => specifierOf(name, p));
    writeFileSync(join(dir, 'import.mjs'), specs.map((s, i) => `import * as m${i} from '${s}';\nif (Object.keys(m${i}).length === 0) throw new Error('${s}: no exports');`).join('\n') + '\n');
    writeFileSync(join(dir, 'require.cjs'), specs.map((s) => `if (Object.keys(require('${s}')).length === 0) throw new Error('${s}: no exports');`).join('\n') + '\n');
    await sh(process.execPath, ['import.mjs'], dir);
    await sh(process.execPath, ['require.cjs'], dir);
  });

  await check(`${name} from CommonJS TypeScript ("module": "nodenext"): compiles and runs`, async () => {
    writeFileSync(join(dir, 'cjs.cts'), `import * as m from '${name}';\nif (Object.keys(m).length === 0) throw new Error('${name}: no exports');\n`);
    const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
    await sh(process.execPath, [tsc, '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022', '--types', 'node', '--strict', '--outDir', 'cjs-out', 'cjs.cts'], dir);
    await sh(process.execPath, [join('cjs-out', 'cjs.cjs')], dir);
  });

  writeFileSync(join(dir, 'check.ts'), paths.map((p, i) => `import * as m${i} from '${specifierOf(name, p)}';\nexport const e${i}: object = m${i};`).join('\n') + '\n');
  for (const resolution of ['node16', 'bundler']) {
    await check(`${name} types (moduleResolution ${resolution})`, async () => {
      tsconfig(dir, `tsconfig.${resolution}.json`, resolution, ['check.ts']);
      const errors = await typecheck(dir, `tsconfig.${resolution}.json`);
      if (errors.size > 0) throw new Error([...errors.values()].flat().join('\n'));
    });
  }
  await check(`${name} attw (esm-only profile)`, () => sh(bin('attw'), [tarballs.get(name), '--profile', 'esm-only', '--format', 'ascii', '--no-color', '--no-emoji'], dir));
  await check(`${name} publint --strict`, async () => {
    const { stdout } = await sh(bin('publint'), ['run', tarballs.get(name), '--strict'], dir);
    if (/warning|error/i.test(stdout.replace(/All good!/, ''))) throw new Error(stdout);
  });

  for (const [i, path] of paths.entries()) {
    const spec = specifierOf(name, path);
    const bundleDir = join(dir, `bundle-${i}`);
    const entry = writeEntry(bundleDir, 'entry', spec);
    const platform = nodeOnly(path) ? 'node' : 'browser';
    let size = null;
    await check(`${spec} bundles with esbuild (platform ${platform})`, async () => {
      size = await bundleEsbuild(entry, platform);
      return `${(size.bytes / 1000).toFixed(1)} kB minified, ${(size.gzip / 1000).toFixed(1)} kB gzip`;
    });
    if (platform === 'browser') {
      await check(`${spec} bundles with Rollup (node-resolve + commonjs)`, () => bundleRollup(entry));
      await check(`${spec} bundles with Vite`, () => bundleVite(bundleDir, 'entry'));
    }
    await check(`${spec} size budget`, () => {
      if (!size) throw new Error('no esbuild bundle to measure');
      const budget = budgets[name]?.[path];
      if (budget === undefined) throw new Error(`no budget in scripts/size-budgets.json for "${name}" "${path}" (now ${size.gzip} bytes gzip)`);
      if (size.gzip > budget) throw new Error(`${size.gzip} bytes gzip, over its budget of ${budget}: shrink it, or raise the budget in scripts/size-budgets.json with a reason`);
      return `${size.gzip} ≤ ${budget} bytes gzip`;
    });
  }
  await readmeTests(`${name} README`, join(dir, 'node_modules', ...name.split('/'), 'README.md'), dir, tarballs, manifests);
}

/**
 * Doc-tests the ```ts blocks of `readme` in project `dir`: installs the other @qkv packages they
 * import (tarballs) and any other package from the registry, typechecks every block, runs the rest.
 */
async function readmeTests(label, readme, dir, tarballs, manifests) {
  let blocks;
  try {
    blocks = tsBlocks(readFileSync(readme, 'utf8'));
  } catch (error) {
    record(`${label} code blocks`, false, error.message);
    return;
  }
  if (blocks.length === 0) return;
  const imported = new Set(blocks.flatMap((b) => importedPackages(b.code)));
  const have = new Set(Object.keys(JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).dependencies ?? {}));
  const needQkv = new Set();
  for (const n of imported) if (n.startsWith('@qkv/')) for (const m of [n, ...qkvClosure(n, manifests)]) if (!have.has(m)) needQkv.add(m);
  const needOther = [...imported].filter((n) => !n.startsWith('@qkv/') && !have.has(n));
  const unknown = [...needQkv].filter((n) => !tarballs.has(n));
  if (unknown.length > 0) {
    record(`${label} code blocks`, false, `import packages that are not in this repository: ${unknown.join(', ')}`);
    return;
  }
  if (needQkv.size + needOther.length > 0) {
    try {
      await sh('npm', ['install', ...npmFlags, ...[...needQkv].map((n) => tarballs.get(n)), ...needOther], dir);
    } catch (error) {
      record(`${label} install what the examples import`, false, String(error.stderr || error.message));
      return;
    }
  }
  const docDir = join(dir, 'doc');
  mkdirSync(docDir, { recursive: true });
  const files = blocks.map((b, i) => {
    const file = `block-${i + 1}.ts`;
    writeFileSync(join(docDir, file), `${b.code}\nexport {};\n`); // a module: top-level await works
    return file;
  });
  tsconfig(docDir, 'tsconfig.json', 'bundler', ['*.ts']);
  const errors = await typecheck(docDir, 'tsconfig.json');
  for (const [i, b] of blocks.entries()) {
    const where = `${label} block ${i + 1} (line ${b.line}${b.typecheckOnly ? ', typecheck-only' : ''})`;
    const own = errors.get(files[i]);
    if (own) {
      record(where, false, own.join('\n    '));
      continue;
    }
    if (b.typecheckOnly) {
      record(where, true, 'typechecks');
      continue;
    }
    await check(where, async () => {
      const { code } = await esbuild.transform(readFileSync(join(docDir, files[i]), 'utf8'), { loader: 'ts', format: 'esm', target: 'es2022' });
      const js = join(docDir, files[i].replace(/\.ts$/, '.mjs'));
      writeFileSync(js, code);
      const t0 = Date.now();
      await sh(process.execPath, [js], docDir, BLOCK_TIMEOUT_S * 1000);
      return `typechecks and runs (${((Date.now() - t0) / 1000).toFixed(1)} s)`;
    });
  }
  const stray = [...errors.keys()].filter((f) => !files.includes(f));
  if (stray.length > 0) record(`${label} typecheck`, false, stray.map((f) => errors.get(f).join('\n')).join('\n'));
}

async function main() {
  const all = publishable();
  const packages = only ? all.filter((p) => only.includes(p.short)) : all;
  console.log(`pack-check: ${packages.map((p) => p.pkg.name).join(', ')} in ${work}`);
  if (!only) {
    await check('changeset version writes a CHANGELOG.md for every published package and versions no private one', () => {
      const { problems, privateOnly } = checkChangesetVersion(root, join(work, 'changesets'));
      if (problems.length > 0) throw new Error(problems.join('; '));
      return privateOnly.length > 0 ? `(${privateOnly.length} changesets name only private apps and stay pending)` : '';
    });
  }
  const tarballs = await packAll(all); // all: a README may import any package
  const manifests = new Map();
  for (const { pkg } of all) {
    if (!tarballs.has(pkg.name)) continue;
    const inspect = async () => manifests.set(pkg.name, await inspectTarball(pkg.name, tarballs.get(pkg.name)));
    if (packages.some((p) => p.pkg.name === pkg.name)) await check(`${pkg.name} tarball`, inspect);
    else await inspect().catch(() => {});
  }
  const budgets = JSON.parse(readFileSync(join(root, 'scripts', 'size-budgets.json'), 'utf8'));
  for (const p of packages) if (manifests.has(p.pkg.name)) await checkPackage(p, tarballs, manifests, budgets);
  if (!only) {
    const dir = join(work, 'alone', 'root-readme');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'try-root-readme', private: true, type: 'module' }, null, 2));
    await sh('npm', ['install', ...npmFlags, `@types/node@${typesNode}`], dir).catch(() => {});
    await readmeTests('README.md (root)', join(root, 'README.md'), dir, tarballs, manifests);
  }
}

await main().catch((error) => record('pack-check', false, error.stack));
const passed = results.filter((r) => r.ok).length;
const failed = results.length - passed;
mkdirSync(join(root, 'artifacts'), { recursive: true });
writeFileSync(join(root, 'artifacts', 'pack-check.json'), JSON.stringify({
  numPassedTests: passed, numFailedTests: failed, seconds: Math.round((Date.now() - started) / 1000),
  failures: results.filter((r) => !r.ok),
}, null, 2));
if (!keep) rmSync(work, { recursive: true, force: true });
console.log(`\npack-check: ${passed} passed, ${failed} failed (${Math.round((Date.now() - started) / 1000)} s)`);
process.exit(failed > 0 ? 1 : 0);
