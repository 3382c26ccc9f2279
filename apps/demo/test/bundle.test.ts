// The bundle-size budget: what a visitor downloads before any model weights.
import { readdirSync, statSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const assets = resolve(import.meta.dirname, '../dist/assets');
/** Budget for all JavaScript and CSS after gzip (models excluded); the build is about 0.30 MB today. */
const BUDGET_GZIP_BYTES = 500 * 1024;

describe('bundle size', () => {
  it(`stays within ${BUDGET_GZIP_BYTES / 1024} KiB gzipped (JS + CSS, models excluded)`, () => {
    const files = readdirSync(assets).filter((f) => /\.(js|css)$/.test(f));
    expect(files.length).toBeGreaterThan(0);
    let raw = 0;
    let gz = 0;
    for (const f of files) {
      const bytes = readFileSync(join(assets, f));
      raw += statSync(join(assets, f)).size;
      gz += gzipSync(bytes).byteLength;
    }
    console.log(`demo bundle: ${(raw / 1024).toFixed(0)} KiB raw, ${(gz / 1024).toFixed(0)} KiB gzipped in ${files.length} files`);
    expect(gz).toBeLessThan(BUDGET_GZIP_BYTES);
  });
});
