// Runs `changeset version` on a throwaway copy of the repository (its tracked and new files, not
// node_modules) and checks what a release would do: every published package gets a CHANGELOG.md
// and a version, and no private package (apps, tooling) is versioned. The repository itself is
// never touched, so the pending changesets stay pending.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** package.json of every workspace package under `dir`: packages/*, apps/*, tooling/*. */
function workspacePackages(dir) {
  const out = [];
  for (const group of ['packages', 'apps', 'tooling']) {
    const base = join(dir, group);
    if (!existsSync(base)) continue;
    for (const name of readdirSync(base)) {
      const file = join(base, name, 'package.json');
      if (existsSync(file)) out.push({ dir: join(group, name), pkg: JSON.parse(readFileSync(file, 'utf8')) });
    }
  }
  return out;
}

/**
 * Copies the repository at `root` into `copy` and runs `changeset version` there.
 * @returns {{ problems: string[], privateOnly: string[] }} problems (none when the release would be
 *   right) and the changesets left pending because they name only private packages
 * @example checkChangesetVersion('/repo', '/tmp/x') // { problems: [], privateOnly: ['cli-average.md'] }
 */
export function checkChangesetVersion(root, copy) {
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: root, encoding: 'utf8' })
    .split('\0')
    .filter((f) => f && existsSync(join(root, f)));
  for (const f of files) {
    mkdirSync(dirname(join(copy, f)), { recursive: true });
    copyFileSync(join(root, f), join(copy, f));
  }
  const before = new Map(workspacePackages(copy).map(({ dir, pkg }) => [dir, pkg.version]));
  const cli = join(root, 'node_modules', '@changesets', 'cli', 'bin.js');
  execFileSync(process.execPath, [cli, 'version'], { cwd: copy, stdio: ['ignore', 'pipe', 'pipe'] });
  const problems = [];
  for (const { dir, pkg } of workspacePackages(copy)) {
    if (pkg.private) {
      if (pkg.version !== before.get(dir)) problems.push(`${pkg.name} is private but changeset version set its version to ${pkg.version}`);
      if (existsSync(join(copy, dir, 'CHANGELOG.md')) && !existsSync(join(root, dir, 'CHANGELOG.md'))) problems.push(`${pkg.name} is private but got a CHANGELOG.md`);
      continue;
    }
    if (!existsSync(join(copy, dir, 'CHANGELOG.md'))) problems.push(`${pkg.name} got no CHANGELOG.md (add a changeset for it)`);
    else if (pkg.version === before.get(dir)) problems.push(`${pkg.name} kept version ${pkg.version}`);
  }
  // a changeset that names only private packages stays pending (they are not versioned): a note, not a fault
  const left = readdirSync(join(copy, '.changeset')).filter((f) => f.endsWith('.md') && f !== 'README.md');
  const published = new Set(workspacePackages(copy).filter(({ pkg }) => !pkg.private).map(({ pkg }) => pkg.name));
  const stuck = left.filter((f) => [...published].some((name) => readFileSync(join(copy, '.changeset', f), 'utf8').includes(`"${name}"`)));
  if (stuck.length > 0) problems.push(`changesets naming published packages were not consumed: ${stuck.join(', ')}`);
  return { problems, privateOnly: left.filter((f) => !stuck.includes(f)) };
}
