/**
 * The arithmetic of Spark's mllib IsotonicRegression / IsotonicRegressionModel (3.x), shared by
 * the fit on the driver and the transform task on the executors:
 *   - `uniqueAdd` / `uniqueMerge`: the points made unique per feature value (Spark's makeUnique:
 *     zero-weight points dropped, equal features pooled into one point whose label is the
 *     weighted mean and whose weight is the sum), kept as sorted (feature, Σw·y, Σw) arrays so that
 *     partitions merge by feature;
 *   - `poolAdjacentViolators`: Spark's PAV over the unique points (blocks merged on >=, so adjacent
 *     blocks with equal means merge; a block of several points is output as its first and last
 *     feature, each with half its weight, a block of one point as that point). Spark runs PAV per
 *     range partition and again over the collected result; the output is the same as one PAV
 *     over all unique points (a block's two output points have equal means and merge back), which
 *     is what kindling does, on the driver (see isotonic-regression.ts);
 *   - `isotonicPredict`: Spark's predict — java.util.Arrays.binarySearch over the boundaries
 *     (its rule picks one of equal boundaries), the end predictions outside them, linear
 *     interpolation between them.
 */

/** Points unique per feature value, sorted by feature: sums of weight x label and of weight. */
export interface UniquePoints {
  x: Float64Array;
  wy: Float64Array;
  w: Float64Array;
}

export function uniqueZero(): UniquePoints {
  return { x: new Float64Array(0), wy: new Float64Array(0), w: new Float64Array(0) };
}

/** The n points (label y, feature x, weight w: null = 1) of one partition made unique (Spark's makeUnique, sorted stably by feature). */
export function uniqueOf(x: Float64Array, y: Float64Array, w: Float64Array | null, n: number): UniquePoints {
  const idx: number[] = [];
  for (let i = 0; i < n; i++) if (w === null || w[i]! > 0) idx.push(i);
  idx.sort((a, b) => x[a]! - x[b]! || a - b);
  const ox: number[] = [];
  const owy: number[] = [];
  const ow: number[] = [];
  for (const i of idx) {
    const wi = w === null ? 1 : w[i]!;
    const k = ox.length - 1;
    if (k >= 0 && ox[k] === x[i]) {
      owy[k] = owy[k]! + y[i]! * wi;
      ow[k] = ow[k]! + wi;
    } else {
      ox.push(x[i]!);
      owy.push(y[i]! * wi);
      ow.push(wi);
    }
  }
  return { x: Float64Array.from(ox), wy: Float64Array.from(owy), w: Float64Array.from(ow) };
}

/** Two sets of unique points merged by feature (equal features pooled). */
export function uniqueMerge(a: UniquePoints, b: UniquePoints): UniquePoints {
  if (b.x.length === 0) return a;
  if (a.x.length === 0) return b;
  const cap = a.x.length + b.x.length;
  const x = new Float64Array(cap);
  const wy = new Float64Array(cap);
  const w = new Float64Array(cap);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.x.length || j < b.x.length) {
    const takeA = j >= b.x.length || (i < a.x.length && a.x[i]! <= b.x[j]!);
    const takeB = i >= a.x.length || (j < b.x.length && b.x[j]! <= a.x[i]!);
    x[k] = takeA ? a.x[i]! : b.x[j]!;
    wy[k] = (takeA ? a.wy[i]! : 0) + (takeB ? b.wy[j]! : 0);
    w[k] = (takeA ? a.w[i]! : 0) + (takeB ? b.w[j]! : 0);
    if (takeA) i++;
    if (takeB) j++;
    k++;
  }
  return { x: x.slice(0, k), wy: wy.slice(0, k), w: w.slice(0, k) };
}

/** A fitted isotonic function: boundaries (increasing) and the predictions at them. */
export interface IsotonicFunction {
  boundaries: Float64Array;
  predictions: Float64Array;
}

/**
 * Spark's poolAdjacentViolators over unique points sorted by feature, with labels y = Σw·y / Σw
 * (negated for an antitonic fit, as Spark's run does, and the predictions negated back).
 */
export function poolAdjacentViolators(points: UniquePoints, isotonic: boolean): IsotonicFunction {
  const n = points.x.length;
  const sign = isotonic ? 1 : -1;
  // Spark's makeUnique outputs the mean label and the weight; PAV then sums weight x label
  const weight = new Float64Array(n);
  const weighted = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const w = points.w[i]!;
    const y = (sign * points.wy[i]!) / w;
    weight[i] = w;
    weighted[i] = w * y;
  }
  // bounds[start] = end and bounds[end] = start of each block [start, end]
  const bounds = Int32Array.from({ length: n }, (_, i) => i);
  const average = (start: number) => weighted[start]! / weight[start]!;
  const nextBlock = (start: number) => bounds[start]! + 1;
  const prevBlock = (start: number) => bounds[start - 1]!;
  const merge = (b1: number, b2: number): number => {
    const end2 = bounds[b2]!;
    bounds[b1] = end2;
    bounds[end2] = b1;
    weight[b1] = weight[b1]! + weight[b2]!;
    weighted[b1] = weighted[b1]! + weighted[b2]!;
    return b1;
  };
  let i = 0;
  while (nextBlock(i) < n) {
    if (average(i) >= average(nextBlock(i))) {
      merge(i, nextBlock(i));
      while (i > 0 && average(prevBlock(i)) >= average(i)) i = merge(prevBlock(i), i);
    } else {
      i = nextBlock(i);
    }
  }
  const boundaries: number[] = [];
  const predictions: number[] = [];
  for (i = 0; i < n; i = nextBlock(i)) {
    const avg = sign * average(i);
    boundaries.push(points.x[i]!);
    predictions.push(avg);
    if (points.x[bounds[i]!]! > points.x[i]!) {
      boundaries.push(points.x[bounds[i]!]!);
      predictions.push(avg);
    }
  }
  return { boundaries: Float64Array.from(boundaries), predictions: Float64Array.from(predictions) };
}

const bits = new Float64Array(1);
const bitsView = new BigInt64Array(bits.buffer);
/** Java's Double.doubleToLongBits (one NaN). */
function doubleToLongBits(v: number): bigint {
  if (Number.isNaN(v)) return 0x7ff8000000000000n;
  bits[0] = v;
  return bitsView[0]!;
}

/** java.util.Arrays.binarySearch(double[], key): the index of a match, else -(insertion point) - 1. */
export function javaBinarySearch(a: Float64Array, key: number): number {
  let low = 0;
  let high = a.length - 1;
  while (low <= high) {
    const mid = (low + high) >>> 1;
    const midVal = a[mid]!;
    if (midVal < key) low = mid + 1;
    else if (midVal > key) high = mid - 1;
    else {
      const mb = doubleToLongBits(midVal);
      const kb = doubleToLongBits(key);
      if (mb === kb) return mid;
      if (mb < kb) low = mid + 1;
      else high = mid - 1;
    }
  }
  return -(low + 1);
}

/** Spark's IsotonicRegressionModel.predict of one feature value. */
export function isotonicPredict(f: IsotonicFunction, x: number): number {
  const { boundaries, predictions } = f;
  const found = javaBinarySearch(boundaries, x);
  const insert = -found - 1;
  if (insert === 0) return predictions[0]!;
  if (insert === boundaries.length) return predictions[predictions.length - 1]!;
  if (found < 0) {
    const x1 = boundaries[insert - 1]!;
    const y1 = predictions[insert - 1]!;
    const x2 = boundaries[insert]!;
    const y2 = predictions[insert]!;
    return y1 + ((y2 - y1) * (x - x1)) / (x2 - x1);
  }
  return predictions[found]!;
}
