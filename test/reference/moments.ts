/** High-accuracy moments: Kahan-compensated two-pass over the valid values (test oracle). */
export function kahanMoments(values: ArrayLike<number>, valid?: boolean[]): { count: number; sum: number; mean: number; m2: number } {
  let count = 0;
  let sum = 0;
  let c = 0;
  for (let i = 0; i < values.length; i++) {
    if (valid && !valid[i]) continue;
    count++;
    const y = values[i]! - c;
    const t = sum + y;
    c = t - sum - y;
    sum = t;
  }
  const mean = count ? sum / count : 0;
  let m2 = 0;
  c = 0;
  for (let i = 0; i < values.length; i++) {
    if (valid && !valid[i]) continue;
    const dv = values[i]! - mean;
    const y = dv * dv - c;
    const t = m2 + y;
    c = t - m2 - y;
    m2 = t;
  }
  return { count, sum, mean, m2 };
}
