// Seeded inputs, the same in Node and in the browser page.

/** Seeded uniform values in [−0.5, 0.5). */
export function randomArray(n: number, seed = 1): Float32Array {
  let s = seed >>> 0 || 1;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    out[i] = ((s >>> 0) / 4294967296) - 0.5;
  }
  return out;
}
