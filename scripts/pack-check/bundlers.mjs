// Bundles one entry point of an installed package the way a user's app would, with each bundler's
// plain configuration: esbuild (--bundle --platform=browser), Rollup (node-resolve + commonjs, the
// minimal setup every Rollup user has) and Vite (an index.html app, no config file). A warning that
// means "this will not work in a browser" (an unresolved import, a Node built-in externalised) fails.
import { mkdirSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import commonjs from '@rollup/plugin-commonjs';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import * as esbuild from 'esbuild';
import { rollup } from 'rollup';
import { build as viteBuild, createLogger } from 'vite';

/** Writes `<dir>/<name>.js` that re-exports everything of `specifier` (so nothing is tree-shaken away). */
export function writeEntry(dir, name, specifier) {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name}.js`);
  writeFileSync(file, `export * from '${specifier}';\n`);
  return file;
}

/**
 * esbuild, minified, for `platform` ('browser' or 'node'); returns the output's size in bytes and gzip bytes.
 * @example await bundleEsbuild('/tmp/p/entry.js', 'browser') // { bytes: 58000, gzip: 20000 }
 */
export async function bundleEsbuild(entry, platform) {
  const result = await esbuild.build({
    entryPoints: [entry], bundle: true, minify: true, format: 'esm', platform, write: false, logLevel: 'silent',
    outfile: entry.replace(/\.js$/, '.out.js'),
  });
  const js = result.outputFiles.find((f) => f.path.endsWith('.js'));
  return { bytes: js.contents.length, gzip: gzipSync(js.contents, { level: 9 }).length };
}

/** Rollup warnings that mean the bundle would break in a browser. */
const FATAL_ROLLUP = new Set(['UNRESOLVED_IMPORT', 'MISSING_EXPORT', 'MISSING_GLOBAL_NAME', 'MISSING_NODE_BUILTINS']);

/** Rollup with node-resolve (browser field and condition) and commonjs; throws on a fatal warning or a Node built-in left in. */
export async function bundleRollup(entry) {
  const fatal = [];
  const bundle = await rollup({
    input: entry,
    plugins: [nodeResolve({ browser: true }), commonjs()],
    onwarn(warning) {
      if (FATAL_ROLLUP.has(warning.code)) fatal.push(`${warning.code}: ${warning.message}`);
    },
  });
  try {
    // node-resolve leaves Node built-ins external without a word: a browser bundle must not import one
    const { output } = await bundle.generate({ format: 'es', inlineDynamicImports: true });
    const builtins = output.flatMap((chunk) => [...(chunk.imports ?? []), ...(chunk.dynamicImports ?? [])]).filter((id) => id.startsWith('node:') || builtinModules.includes(id));
    if (builtins.length > 0) fatal.push(`the browser bundle still imports Node built-ins: ${[...new Set(builtins)].join(', ')}`);
  } finally {
    await bundle.close();
  }
  if (fatal.length > 0) throw new Error(`rollup: ${fatal.join('; ')}`);
}

/** Vite warnings that mean the app would break in a browser. */
const FATAL_VITE = /externalized for browser compatibility|could not resolve|failed to resolve|unresolved/i;

/** `vite build` of an app whose index.html loads `entry`; throws on a fatal warning or error. */
export async function bundleVite(dir, entryName) {
  writeFileSync(join(dir, 'index.html'), `<!doctype html><script type="module" src="./${entryName}.js"></script>\n`);
  const fatal = [];
  const logger = createLogger('warn', { allowClearScreen: false });
  const note = (msg) => {
    if (FATAL_VITE.test(msg)) fatal.push(msg.split('\n')[0]);
  };
  logger.warn = note;
  logger.warnOnce = note;
  logger.error = (msg) => fatal.push(msg.split('\n')[0]);
  await viteBuild({
    root: dir, configFile: false, logLevel: 'warn', customLogger: logger,
    build: { outDir: join(dir, 'vite-dist'), emptyOutDir: true, reportCompressedSize: false },
  });
  if (fatal.length > 0) throw new Error(`vite: ${fatal.join('; ')}`);
}
