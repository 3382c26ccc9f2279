// Blocked GEMM for BatchMatMul: pack op(A) and op(B) contiguously, then a 4-row register-blocked
// i-k-j loop over cache-sized column and depth blocks.
import type { KernelFunc } from '../../backend.js';
import { dims } from '../../shape.js';
import { f32, out } from './backend.js';

const KC = 256; // depth block: a 4×KC slice of A and a KC×NC panel of B stay in cache
const NC = 256; // column block

/** Copies the `rows × cols` matrix at `src[off]` transposed into `dst` (cols × rows). */
function transposeInto(src: Float32Array, off: number, rows: number, cols: number, dst: Float32Array): void {
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) dst[j * rows + i] = src[off + i * cols + j]!;
}

/** C[M,N] += A[M,K]·B[K,N], all row-major and contiguous at the given offsets. */
export function gemm(a: Float32Array, ao: number, b: Float32Array, bo: number, c: Float32Array, co: number, m: number, k: number, n: number): void {
  for (let k0 = 0; k0 < k; k0 += KC) {
    const k1 = Math.min(k, k0 + KC);
    for (let j0 = 0; j0 < n; j0 += NC) {
      const j1 = Math.min(n, j0 + NC);
      let i = 0;
      for (; i + 4 <= m; i += 4) {
        const c0 = co + i * n;
        const c1 = c0 + n;
        const c2 = c1 + n;
        const c3 = c2 + n;
        const a0 = ao + i * k;
        for (let p = k0; p < k1; p++) {
          const x0 = a[a0 + p]!;
          const x1 = a[a0 + k + p]!;
          const x2 = a[a0 + 2 * k + p]!;
          const x3 = a[a0 + 3 * k + p]!;
          const br = bo + p * n;
          for (let j = j0; j < j1; j++) {
            const y = b[br + j]!;
            c[c0 + j]! += x0 * y;
            c[c1 + j]! += x1 * y;
            c[c2 + j]! += x2 * y;
            c[c3 + j]! += x3 * y;
          }
        }
      }
      for (; i < m; i++) {
        const ci = co + i * n;
        for (let p = k0; p < k1; p++) {
          const x = a[ao + i * k + p]!;
          const br = bo + p * n;
          for (let j = j0; j < j1; j++) c[ci + j]! += x * b[br + j]!;
        }
      }
    }
  }
}

/** [Ba, M, K]·[Bb, K, N] → [max(Ba,Bb), M, N], operands optionally transposed, batch 1 broadcast. */
export const batchMatMulKernel: KernelFunc<'BatchMatMul'> = ({ inputs: [a, b], attrs: { transposeA: tA, transposeB: tB } }) => {
  const [ba, a1, a2] = dims(a!, 3, 'batchMatMul', 'B, M, K');
  const [bb, b1, b2] = dims(b!, 3, 'batchMatMul', 'B, K, N');
  const [m, k] = tA ? [a2, a1] : [a1, a2];
  const n = tB ? b1 : b2;
  const batch = Math.max(ba, bb);
  const av = f32(a!);
  const bv = f32(b!);
  const c = new Float32Array(batch * m * n);
  const aPack = tA ? new Float32Array(m * k) : null;
  const bPack = tB ? new Float32Array(k * n) : null;
  let lastA = -1;
  let lastB = -1;
  for (let t = 0; t < batch; t++) {
    const ia = ba === 1 ? 0 : t;
    const ib = bb === 1 ? 0 : t;
    let aSrc = av;
    let aOff = ia * m * k;
    if (aPack) {
      if (ia !== lastA) transposeInto(av, ia * m * k, k, m, aPack);
      [aSrc, aOff, lastA] = [aPack, 0, ia];
    }
    let bSrc = bv;
    let bOff = ib * k * n;
    if (bPack) {
      if (ib !== lastB) transposeInto(bv, ib * k * n, n, k, bPack);
      [bSrc, bOff, lastB] = [bPack, 0, ib];
    }
    gemm(aSrc, aOff, bSrc, bOff, c, t * m * n, m, k, n);
  }
  return out(c, [batch, m, n], 'float32');
};
