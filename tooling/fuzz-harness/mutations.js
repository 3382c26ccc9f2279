// The mutations every reader's fuzz test starts from: JSON edits (a value replaced by one of the
// wrong type or an absurd size, numbers JSON cannot hold written as text, prototype keys, deleted,
// renamed or duplicated members), byte edits (truncation, bit flips, overwrites, an absurd
// safetensors header length, inserted junk) and text edits (truncation, odd characters, long runs,
// repeated lines). Each package adds the values, keys and characters of its own formats.
// Plain JavaScript with mutations.d.ts beside it, like index.js.
import fc from 'fast-check';

/** See mutations.d.ts. */
export const PROTOTYPE_KEYS = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__', 'prototype'];

/** See mutations.d.ts. */
export class NumberText {
  constructor(text) {
    this.text = text;
  }
}

const deepArray = (depth) => {
  let v = 0;
  for (let i = 0; i < depth; i++) v = [v];
  return v;
};

/** See mutations.d.ts. */
export function nastyValues(constants, ...extra) {
  return fc.oneof(
    fc.constantFrom(...constants),
    ...extra,
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.string({ maxLength: 12 }),
    fc.jsonValue({ maxDepth: 3 }),
    fc.integer({ min: 50, max: 800 }).map(deepArray),
  );
}

/** See mutations.d.ts. */
export function nastyKeys(names) {
  return fc.oneof(fc.constantFrom(...PROTOTYPE_KEYS, '', ...names), fc.string({ maxLength: 8 }));
}

/** See mutations.d.ts. */
export function jsonEdits(values, keys) {
  return fc.record({ op: fc.constantFrom('replace', 'rename', 'delete', 'add', 'duplicate'), pick: fc.nat(), key: keys, value: values });
}

/** A deep copy with null-prototype objects, so `__proto__` is an ordinary key while mutating. */
function clone(v) {
  if (v instanceof NumberText) return v;
  if (Array.isArray(v)) return v.map(clone);
  if (v !== null && typeof v === 'object') {
    const o = Object.create(null);
    for (const [k, x] of Object.entries(v)) o[k] = clone(x);
    return o;
  }
  return v;
}

function paths(v, at = [], out = []) {
  out.push(at);
  if (v instanceof NumberText) return out;
  if (Array.isArray(v)) v.forEach((x, i) => paths(x, [...at, i], out));
  else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) paths(x, [...at, k], out);
  return out;
}

/** Writes JSON, emitting the member at `dup` twice (a duplicate name) when given. */
function write(v, dup, at = []) {
  if (v instanceof NumberText) return v.text;
  if (Array.isArray(v)) return `[${v.map((x, i) => write(x, dup, [...at, i])).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const members = [];
    for (const [k, x] of Object.entries(v)) {
      const member = `${JSON.stringify(k)}:${write(x, dup, [...at, k])}`;
      members.push(member);
      if (dup && dup.length === at.length + 1 && dup[at.length] === k && at.every((p, i) => p === dup[i])) members.push(member);
    }
    return `{${members.join(',')}}`;
  }
  return JSON.stringify(v);
}

/** See mutations.d.ts. */
export function editJson(value, edit) {
  const root = clone(value);
  const all = paths(root);
  const path = all[edit.pick % all.length];
  if (path.length === 0) return edit.op === 'replace' ? write(clone(edit.value), undefined) : write(root, undefined);
  let parent = root;
  for (const k of path.slice(0, -1)) parent = parent[k];
  const last = path[path.length - 1];
  const nasty = clone(edit.value);
  switch (edit.op) {
    case 'replace':
      parent[last] = nasty;
      break;
    case 'delete':
      if (Array.isArray(parent)) parent.splice(last, 1);
      else delete parent[last];
      break;
    case 'rename':
      if (Array.isArray(parent)) parent[last] = nasty;
      else {
        const x = parent[last];
        delete parent[last];
        parent[edit.key] = x;
      }
      break;
    case 'add': {
      const target = parent[last];
      if (Array.isArray(target)) target.push(nasty);
      else if (target !== null && typeof target === 'object' && !(target instanceof NumberText)) target[edit.key] = nasty;
      else parent[last] = nasty;
      break;
    }
    case 'duplicate':
      return write(root, Array.isArray(parent) ? undefined : path);
    default:
      throw new Error(`editJson: unknown op ${edit.op}`);
  }
  return write(root, undefined);
}

/** See mutations.d.ts. */
export function describeEdit(e) {
  let value;
  try {
    value = e.value instanceof NumberText ? e.value.text : (JSON.stringify(e.value)?.slice(0, 60) ?? 'undefined');
  } catch {
    value = 'a deep value';
  }
  return `${e.op} #${e.pick} key ${JSON.stringify(e.key)} value ${value}`;
}

const utf8 = new TextEncoder();

/** See mutations.d.ts. */
export function splitSafetensors(file) {
  const n = new DataView(file.buffer, file.byteOffset, file.byteLength).getUint32(0, true);
  return { header: JSON.parse(new TextDecoder().decode(file.subarray(8, 8 + n))), data: file.subarray(8 + n) };
}

/** See mutations.d.ts. */
export function joinSafetensors(headerText, data) {
  const json = utf8.encode(headerText);
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setUint32(0, json.length, true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

const absurdLength = fc.constantFrom(0, 1, 2, 7, 2 ** 31, 2 ** 32 - 1, 2 ** 32, 2 ** 40, 2 ** 53 - 1, 2 ** 64 - 1);

/** See mutations.d.ts. */
export function byteMutants(seed, options = {}) {
  const n = seed.length;
  const kinds = [
    fc.nat(n - 1).map((len) => ({ file: seed.slice(0, len), how: `truncated to ${len} bytes` })),
    fc.array(fc.tuple(fc.nat(n - 1), fc.nat(7)), { minLength: 1, maxLength: 8 }).map((flips) => {
      const file = seed.slice();
      for (const [i, bit] of flips) file[i] ^= 1 << bit;
      return { file, how: `bit flips ${JSON.stringify(flips)}` };
    }),
    fc.array(fc.tuple(fc.nat(n - 1), fc.nat(255)), { minLength: 1, maxLength: 8 }).map((writes) => {
      const file = seed.slice();
      for (const [i, b] of writes) file[i] = b;
      return { file, how: `bytes overwritten ${JSON.stringify(writes)}` };
    }),
    fc.tuple(fc.nat(n), fc.uint8Array({ minLength: 1, maxLength: 64 })).map(([at, junk]) => {
      const file = new Uint8Array(n + junk.length);
      file.set(seed.subarray(0, at));
      file.set(junk, at);
      file.set(seed.subarray(at), at + junk.length);
      return { file, how: `${junk.length} bytes inserted at ${at}` };
    }),
  ];
  if (options.headerLength && n >= 8) {
    kinds.push(
      absurdLength.map((len) => {
        const file = seed.slice();
        const view = new DataView(file.buffer);
        view.setUint32(0, len % 2 ** 32, true);
        view.setUint32(4, Math.floor(len / 2 ** 32) % 2 ** 32, true);
        return { file, how: `header length ${len}` };
      }),
    );
  }
  return fc.oneof(...kinds);
}

/** See mutations.d.ts. */
export function textMutants(seed, oddChars, maxRun = 200_000) {
  const n = seed.length;
  const oddChar = fc.constantFrom(...oddChars);
  return fc.oneof(
    fc.nat(n).map((len) => ({ text: seed.slice(0, len), how: `truncated to ${len}` })),
    fc.array(fc.tuple(fc.nat(n), oddChar), { minLength: 1, maxLength: 6 }).map((edits) => {
      let text = seed;
      for (const [at, c] of edits) text = text.slice(0, at) + c + text.slice(at + 1);
      return { text, how: `characters replaced ${JSON.stringify(edits)}` };
    }),
    fc.tuple(fc.nat(n), oddChar, fc.integer({ min: 1000, max: maxRun })).map(([at, c, times]) => ({
      text: seed.slice(0, at) + c.repeat(Math.ceil(times / c.length)) + seed.slice(at),
      how: `${JSON.stringify(c)} × ${times} inserted at ${at}`,
    })),
    fc.tuple(fc.nat(), fc.integer({ min: 2, max: 1000 })).map(([pick, times]) => {
      const lines = seed.split('\n');
      const i = pick % lines.length;
      lines.splice(i, 0, ...new Array(times - 1).fill(lines[i]));
      return { text: lines.join('\n'), how: `line ${i} repeated ${times} times` };
    }),
  );
}
