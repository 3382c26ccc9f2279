// A fixture folder as browser File objects (Node has File), optionally edited, for the tests.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES } from './helpers.js';

/** The fixture's files by name (expected.json left out), each as bytes. */
export function folderBytes(name: string): Map<string, Uint8Array> {
  const out = new Map<string, Uint8Array>();
  for (const f of readdirSync(join(FIXTURES, name))) if (f !== 'expected.json') out.set(f, new Uint8Array(readFileSync(join(FIXTURES, name, f))));
  return out;
}

/** Bytes by name → File[] as an <input type=file> would give. */
export function asFiles(files: Map<string, Uint8Array>): File[] {
  return [...files].map(([name, bytes]) => new File([bytes as Uint8Array<ArrayBuffer>], name));
}

/** The fixture's config.json with `edit` applied, as files. */
export function withConfig(name: string, edit: (config: Record<string, unknown>) => void): File[] {
  const files = folderBytes(name);
  const config = JSON.parse(new TextDecoder().decode(files.get('config.json'))) as Record<string, unknown>;
  edit(config);
  files.set('config.json', new TextEncoder().encode(JSON.stringify(config)));
  return asFiles(files);
}
