// Gather/scatter-add and index_select/index_add over x viewed as [outer, size, inner]. Every index is
// checked against [0, size) before it is used: a kernel returns the flat position of the first bad
// index (the caller throws) or −1, and never reads or writes outside its blocks.

// @ts-ignore: decorator
@inline const F32 = 0;

/** Position of the first of `n` int32 indices outside [0, size), or −1. */
export function firstBadIndex(index: usize, n: i32, size: i32): i32 {
  for (let i = 0; i < n; i++) {
    const v = load<i32>(index + (<usize>i << 2));
    if (<u32>v >= <u32>size) return i;
  }
  return -1;
}

/** out[o, j, i] = x[o, index[o, j, i], i] for an index of shape [outer, J, inner]; elements of `el` bytes. */
export function gather(el: i32, x: usize, index: usize, out: usize, outer: i32, size: i32, J: i32, inner: i32): i32 {
  const bad = firstBadIndex(index, outer * J * inner, size);
  if (bad >= 0) return bad;
  let f: usize = 0;
  for (let o = 0; o < outer; o++) {
    const base = <usize>o * <usize>size * <usize>inner;
    for (let j = 0; j < J; j++) {
      for (let i = 0; i < inner; i++) {
        const from = base + <usize>load<i32>(index + (f << 2)) * <usize>inner + <usize>i;
        if (el == 4) store<u32>(out + (f << 2), load<u32>(x + (from << 2)));
        else store<u8>(out + f, load<u8>(x + from));
        f++;
      }
    }
  }
  return -1;
}

/** out[o, index[o, j, i], i] += src[o, j, i] (out already holds x); float32 (kind 0) or int32 sums. */
export function scatterAdd(kind: i32, out: usize, index: usize, src: usize, outer: i32, size: i32, J: i32, inner: i32): i32 {
  const bad = firstBadIndex(index, outer * J * inner, size);
  if (bad >= 0) return bad;
  let f: usize = 0;
  for (let o = 0; o < outer; o++) {
    const base = <usize>o * <usize>size * <usize>inner;
    for (let j = 0; j < J; j++) {
      for (let i = 0; i < inner; i++) {
        const p = out + ((base + <usize>load<i32>(index + (f << 2)) * <usize>inner + <usize>i) << 2);
        if (kind == F32) store<f32>(p, load<f32>(p) + load<f32>(src + (f << 2)));
        else store<i32>(p, load<i32>(p) + load<i32>(src + (f << 2)));
        f++;
      }
    }
  }
  return -1;
}

/** out[o, k, :] = x[o, index[k], :] for k < K; each slice is `rowBytes` bytes. */
export function indexSelect(x: usize, index: usize, K: i32, out: usize, outer: i32, size: i32, rowBytes: i32): i32 {
  const bad = firstBadIndex(index, K, size);
  if (bad >= 0) return bad;
  const row = <usize>rowBytes;
  let dst = out;
  for (let o = 0; o < outer; o++) {
    const base = x + <usize>o * <usize>size * row;
    for (let k = 0; k < K; k++) {
      memory.copy(dst, base + <usize>load<i32>(index + (<usize>k << 2)) * row, row);
      dst += row;
    }
  }
  return -1;
}

/** out[o, index[k], :] += src[o, k, :] (out already holds x), float32 (kind 0) or int32 slices of `inner`. */
export function indexAdd(kind: i32, out: usize, index: usize, K: i32, src: usize, outer: i32, size: i32, inner: i32): i32 {
  const bad = firstBadIndex(index, K, size);
  if (bad >= 0) return bad;
  const row = <usize>inner << 2;
  let from = src;
  for (let o = 0; o < outer; o++) {
    const base = out + <usize>o * <usize>size * row;
    for (let k = 0; k < K; k++) {
      const to = base + <usize>load<i32>(index + (<usize>k << 2)) * row;
      let i = 0;
      for (; i + 4 <= inner; i += 4) {
        const off = <usize>i << 2;
        const sum = kind == F32 ? f32x4.add(v128.load(to + off), v128.load(from + off)) : i32x4.add(v128.load(to + off), v128.load(from + off));
        v128.store(to + off, sum);
      }
      for (; i < inner; i++) {
        const off = <usize>i << 2;
        if (kind == F32) store<f32>(to + off, load<f32>(to + off) + load<f32>(from + off));
        else store<i32>(to + off, load<i32>(to + off) + load<i32>(from + off));
      }
      from += row;
    }
  }
  return -1;
}
