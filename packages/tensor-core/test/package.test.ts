// The published package installs on its own: pack it, install the tarball into an empty project,
// import it as ESM and type-check a consumer against its declarations.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const pkgDir = resolve(import.meta.dirname, '..');
const work = mkdtempSync(join(tmpdir(), 'qkv-pack-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('packed @qkv/tensor-core', () => {
  it('installs from its tarball, imports as ESM and its types resolve', () => {
    expect(existsSync(join(pkgDir, 'dist/index.js')), 'dist/ is missing: run `pnpm build` first (turbo does this before test)').toBe(true);
    execFileSync('pnpm', ['pack', '--pack-destination', work], { cwd: pkgDir, stdio: 'pipe' });
    const tarball = readdirSync(work).find((f) => f.endsWith('.tgz'));
    expect(tarball).toBeDefined();
    const app = join(work, 'app');
    execFileSync('mkdir', ['-p', app]);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--offline', join(work, tarball!)], { cwd: app, stdio: 'pipe' });
    const out = execFileSync(
      'node',
      ['--input-type=module', '-e', "import { tensor, matmul } from '@qkv/tensor-core'; import { expectClose } from '@qkv/tensor-core/testing'; const y = matmul(tensor([[1,2]]), tensor([[3],[4]])); expectClose(y, [[11]]); console.log(y.item());"],
      { cwd: app, encoding: 'utf8' },
    );
    expect(out.trim()).toBe('11');
    writeFileSync(
      join(app, 'check.ts'),
      "import { tensor, type Tensor } from '@qkv/tensor-core';\nconst t: Tensor = tensor([1, 2]);\nconst n: number = t.size;\nexport { n };\n",
    );
    writeFileSync(join(app, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext', strict: true, noEmit: true, skipLibCheck: false, lib: ['es2022', 'dom'], types: [] }, files: ['check.ts'] }));
    const tsc = resolve(pkgDir, 'node_modules/typescript/bin/tsc');
    execFileSync('node', [tsc, '-p', app], { cwd: app, stdio: 'pipe' });
  });
});
