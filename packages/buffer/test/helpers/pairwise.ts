/** NumPy's pairwise_sum (loops_utils.h.src), written out plainly: the model of the sum and dot kernels. */
export function numpyPairwise(x: number[]): number {
  const n = x.length;
  if (n < 8) {
    let r = 0;
    for (const v of x) r += v;
    return r;
  }
  if (n <= 128) {
    const r = x.slice(0, 8);
    let i = 8;
    for (; i < n - (n % 8); i += 8) for (let j = 0; j < 8; j++) r[j]! += x[i + j]!;
    let res = r[0]! + r[1]! + (r[2]! + r[3]!) + (r[4]! + r[5]! + (r[6]! + r[7]!));
    for (; i < n; i++) res += x[i]!;
    return res;
  }
  let n2 = Math.floor(n / 2);
  n2 -= n2 % 8;
  return numpyPairwise(x.slice(0, n2)) + numpyPairwise(x.slice(n2));
}
