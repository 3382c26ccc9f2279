// Throughput probes for the benchmark's roofline: independent dependency chains of one SIMD
// operation kind, nothing loop-invariant for the optimizer to hoist. Compiled by bench/peak.ts.

/** n iterations of 10 independent f32x4.relaxed_madd chains (c = c·x + y). */
export function fmaChains(n: i32, p: usize): void {
  const x = v128.load(p), y = v128.load(p, 16);
  let c0 = v128.load(p, 32), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0, c6 = c0, c7 = c0, c8 = c0, c9 = c0;
  for (let i = 0; i < n; i++) {
    c0 = f32x4.relaxed_madd(c0, x, y); c1 = f32x4.relaxed_madd(c1, x, y); c2 = f32x4.relaxed_madd(c2, x, y);
    c3 = f32x4.relaxed_madd(c3, x, y); c4 = f32x4.relaxed_madd(c4, x, y); c5 = f32x4.relaxed_madd(c5, x, y);
    c6 = f32x4.relaxed_madd(c6, x, y); c7 = f32x4.relaxed_madd(c7, x, y); c8 = f32x4.relaxed_madd(c8, x, y);
    c9 = f32x4.relaxed_madd(c9, x, y);
  }
  v128.store(p, f32x4.add(f32x4.add(f32x4.add(c0, c1), f32x4.add(c2, c3)), f32x4.add(f32x4.add(f32x4.add(c4, c5), f32x4.add(c6, c7)), f32x4.add(c8, c9))), 64);
}

/** n iterations of 6 independent f32x4.mul chains (m = m·x) and 6 f32x4.add chains (a = a + y). */
export function mulAddChains(n: i32, p: usize): void {
  const x = v128.load(p), y = v128.load(p, 16);
  let m0 = v128.load(p, 32), m1 = m0, m2 = m0, m3 = m0, m4 = m0, m5 = m0;
  let a0 = m0, a1 = m0, a2 = m0, a3 = m0, a4 = m0, a5 = m0;
  for (let i = 0; i < n; i++) {
    m0 = f32x4.mul(m0, x); a0 = f32x4.add(a0, y); m1 = f32x4.mul(m1, x); a1 = f32x4.add(a1, y);
    m2 = f32x4.mul(m2, x); a2 = f32x4.add(a2, y); m3 = f32x4.mul(m3, x); a3 = f32x4.add(a3, y);
    m4 = f32x4.mul(m4, x); a4 = f32x4.add(a4, y); m5 = f32x4.mul(m5, x); a5 = f32x4.add(a5, y);
  }
  const m = f32x4.add(f32x4.add(f32x4.add(m0, m1), f32x4.add(m2, m3)), f32x4.add(m4, m5));
  const a = f32x4.add(f32x4.add(f32x4.add(a0, a1), f32x4.add(a2, a3)), f32x4.add(a4, a5));
  v128.store(p, f32x4.add(m, a), 64);
}
