/**
 * The network of MultilayerPerceptronClassifier, as Spark's FeedForwardTopology.multiLayerPerceptron
 * (ml/ann/Layer.scala) with softmax on top: for layers [n0, n1, …, nL], affine layers
 * n_{l} → n_{l+1}, a sigmoid after each but the last, and SoftmaxLayerWithCrossEntropyLoss on top.
 *
 *   - weights, Spark's layout: per affine layer the weight matrix W (n_{l+1} x n_l, column-major:
 *     W[o, i] at o + n_{l+1}·i), then the bias b (n_{l+1}); so a Spark model's `weights` vector
 *     loads and predicts;
 *   - random initial weights: Spark's AffineLayerModel.randomWeights, every weight and bias
 *     (u · 4.8 − 2.4) / √n_l with u = nextDouble() of Spark's XORShiftRandom(seed), reproduced bit
 *     for bit (`XORShiftRandom`), so a seed gives Spark's initial weights (PySpark's seeded example
 *     is reproduced: test/ml/classification/multilayer-perceptron.test.ts);
 *   - forward: z = W a + b; a = σ(z) = 1 / (1 + e^{−z}) on hidden layers; the output layer's z is
 *     the raw prediction (Spark 3's predictRaw) and its softmax (max subtracted) the probability;
 *   - loss over a stack of B rows (Spark's DataStacker stacks `blockSize` consecutive rows of a
 *     partition; here of a packed block): −(1/B) Σ_rows log p_label (only the label's term: Spark's
 *     −Σ t·log p, without its NaN when another class's p underflows to 0); back-propagation
 *     δ_L = p − t, δ_{l} = (W_{l+1}ᵀ δ_{l+1}) ∘ a(1 − a), ∇W_l = (1/B) Σ δ_l a_{l−1}ᵀ, ∇b_l = (1/B) Σ δ_l.
 *     The fit's objective is the mean of the stacks' losses (Spark's LBFGS / GradientDescent divide
 *     the sums by the number of stacked examples), its gradient likewise.
 * Activations are row-major (one row per example); inner loops run over a contiguous column of W.
 */
import { Errors } from '../../src/errors.js';
import { softmaxRowsInPlace } from '../predictor/scoring-tasks.js';

/** The number of weights of a topology: Σ n_l n_{l+1} + n_{l+1}. */
export function mlpWeightSize(layers: readonly number[]): number {
  let s = 0;
  for (let l = 0; l + 1 < layers.length; l++) s += layers[l]! * layers[l + 1]! + layers[l + 1]!;
  return s;
}

// Scala's MurmurHash3.bytesHash (scala.util.hashing), on 32-bit ints
function rotl32(x: number, r: number): number {
  return (x << r) | (x >>> (32 - r));
}
function mixLast(h: number, k: number): number {
  k = Math.imul(k, 0xcc9e2d51);
  k = rotl32(k, 15);
  k = Math.imul(k, 0x1b873593);
  return h ^ k;
}
function bytesHash(data: Uint8Array, seed: number): number {
  let h = seed | 0;
  let i = 0;
  let len = data.length;
  while (len >= 4) {
    const k = data[i]! | (data[i + 1]! << 8) | (data[i + 2]! << 16) | (data[i + 3]! << 24);
    h = mixLast(h, k);
    h = rotl32(h, 13);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
    i += 4;
    len -= 4;
  }
  let k = 0;
  if (len === 3) k ^= data[i + 2]! << 16;
  if (len >= 2) k ^= data[i + 1]! << 8;
  if (len >= 1) {
    k ^= data[i]!;
    h = mixLast(h, k);
  }
  h ^= data.length;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h | 0;
}

const M64 = (1n << 64n) - 1n;

/**
 * Spark's org.apache.spark.util.random.XORShiftRandom: the seed hashed by MurmurHash3 of its 8
 * big-endian bytes (arraySeed 0x3c074a61, then the low half as the seed of the high half),
 * next(bits) = the xorshift (21, 35, 4) state's low bits, nextDouble as java.util.Random's.
 */
export class XORShiftRandom {
  private seed: bigint;

  constructor(seed: number | bigint) {
    const bytes = new Uint8Array(8);
    new DataView(bytes.buffer).setBigInt64(0, BigInt.asIntN(64, BigInt(seed)));
    const lo = bytesHash(bytes, 0x3c074a61);
    const hi = bytesHash(bytes, lo);
    this.seed = ((BigInt(hi) << 32n) | (BigInt(lo) & 0xffffffffn)) & M64;
  }

  next(bits: number): number {
    let s = this.seed;
    s = (s ^ (s << 21n)) & M64;
    s ^= s >> 35n;
    s = (s ^ (s << 4n)) & M64;
    this.seed = s;
    return Number(s & ((1n << BigInt(bits)) - 1n));
  }

  nextDouble(): number {
    return (this.next(26) * 134217728 + this.next(27)) / 9007199254740992;
  }
}

/** Spark's random initial weights: XORShiftRandom(seed), (u · 4.8 − 2.4) / √n_in for every weight and bias of each affine layer. */
export function mlpRandomWeights(layers: readonly number[], seed: number): Float64Array {
  const w = new Float64Array(mlpWeightSize(layers));
  const rnd = new XORShiftRandom(seed);
  let off = 0;
  for (let l = 0; l + 1 < layers.length; l++) {
    const nIn = layers[l]!;
    const size = nIn * layers[l + 1]! + layers[l + 1]!;
    const sqrtIn = Math.sqrt(nIn);
    for (let i = 0; i < size; i++) w[off + i] = (rnd.nextDouble() * 4.8 - 2.4) / sqrtIn;
    off += size;
  }
  return w;
}

/** Spark's SigmoidFunction. */
function sigmoidInPlace(a: Float64Array, len: number): void {
  for (let i = 0; i < len; i++) a[i] = 1.0 / (1 + Math.exp(-a[i]!));
}

/** z (B x nOut) = a (B x nIn) Wᵀ + b, W column-major nOut x nIn at `off` in `w`, b after it. */
function affine(w: Float64Array, off: number, nIn: number, nOut: number, a: Float64Array, aOff: number, B: number, z: Float64Array): void {
  const bOff = off + nIn * nOut;
  for (let s = 0; s < B; s++) {
    const zo = s * nOut;
    for (let o = 0; o < nOut; o++) z[zo + o] = w[bOff + o]!;
    const ao = aOff + s * nIn;
    for (let i = 0; i < nIn; i++) {
      const v = a[ao + i]!;
      if (v === 0) continue;
      const col = off + nOut * i;
      for (let o = 0; o < nOut; o++) z[zo + o] = z[zo + o]! + w[col + o]! * v;
    }
  }
}

/** Per-topology scratch buffers for B rows (reused across stacks). */
export class MlpWorkspace {
  /** a[l] = activations of layer l (a[0] unused: the input rows), B x n_l. */
  readonly acts: Float64Array[];
  readonly deltas: Float64Array[];
  constructor(readonly layers: readonly number[], readonly B: number) {
    this.acts = layers.map((n) => new Float64Array(B * n));
    this.deltas = layers.map((n) => new Float64Array(B * n));
  }
}

/**
 * The forward pass of `B` rows of x (row-major, from row offset xOff·d): fills ws.acts[1..L]
 * (sigmoid outputs of hidden layers; the output layer's raw z, softmaxed when `softmax`).
 */
export function mlpForward(layers: readonly number[], w: Float64Array, x: Float64Array, xOff: number, B: number, ws: MlpWorkspace, softmax: boolean): Float64Array {
  const L = layers.length - 1;
  let off = 0;
  let a = x;
  let aOff = xOff;
  for (let l = 0; l < L; l++) {
    const nIn = layers[l]!;
    const nOut = layers[l + 1]!;
    const z = ws.acts[l + 1]!;
    affine(w, off, nIn, nOut, a, aOff, B, z);
    if (l < L - 1) sigmoidInPlace(z, B * nOut);
    else if (softmax) softmaxRowsInPlace(z, B, nOut);
    off += nIn * nOut + nOut;
    a = z;
    aOff = 0;
  }
  return ws.acts[L]!;
}

/** The raw predictions (n x numClasses, the output layer before softmax: Spark 3's predictRaw) of n rows. */
export function mlpPredictRaw(layers: readonly number[], w: Float64Array, x: Float64Array, n: number): Float64Array {
  const k = layers[layers.length - 1]!;
  const out = new Float64Array(n * k);
  const B = Math.min(n, 256);
  const ws = new MlpWorkspace(layers, Math.max(B, 1));
  for (let s = 0; s < n; s += B) {
    const b = Math.min(B, n - s);
    const raw = mlpForward(layers, w, x, s * layers[0]!, b, ws, false);
    out.set(raw.subarray(0, b * k), s * k);
  }
  return out;
}

/**
 * One stack's cross-entropy loss (mean over its B rows) and gradient (mean over its rows, added
 * to `grad`), labels y (class indices) from row `row0`; ws must hold >= B rows.
 */
export function mlpStackLossGrad(layers: readonly number[], w: Float64Array, x: Float64Array, y: Float64Array, row0: number, B: number, ws: MlpWorkspace, grad: Float64Array): number {
  const L = layers.length - 1;
  const d = layers[0]!;
  const k = layers[L]!;
  const p = mlpForward(layers, w, x, row0 * d, B, ws, true);
  // output delta p − t and the loss −Σ log p_label / B
  const dL = ws.deltas[L]!;
  let loss = 0;
  for (let s = 0; s < B; s++) {
    const o = s * k;
    const label = y[row0 + s]!;
    for (let c = 0; c < k; c++) dL[o + c] = p[o + c]!;
    dL[o + label] = dL[o + label]! - 1;
    loss -= Math.log(p[o + label]!);
  }
  loss /= B;
  // weight offsets per layer
  const offs: number[] = [];
  let off = 0;
  for (let l = 0; l < L; l++) {
    offs.push(off);
    off += layers[l]! * layers[l + 1]! + layers[l + 1]!;
  }
  const invB = 1.0 / B;
  for (let l = L - 1; l >= 0; l--) {
    const nIn = layers[l]!;
    const nOut = layers[l + 1]!;
    const wOff = offs[l]!;
    const bOff = wOff + nIn * nOut;
    const delta = ws.deltas[l + 1]!;
    const input = l === 0 ? x : ws.acts[l]!;
    const inOff = l === 0 ? row0 * d : 0;
    // ∇W += (1/B) δ inputᵀ, ∇b += (1/B) Σ δ
    for (let s = 0; s < B; s++) {
      const dOff = s * nOut;
      for (let o = 0; o < nOut; o++) grad[bOff + o] = grad[bOff + o]! + delta[dOff + o]! * invB;
      const ao = inOff + s * nIn;
      for (let i = 0; i < nIn; i++) {
        const v = input[ao + i]!;
        if (v === 0) continue;
        const sv = v * invB;
        const col = wOff + nOut * i;
        for (let o = 0; o < nOut; o++) grad[col + o] = grad[col + o]! + delta[dOff + o]! * sv;
      }
    }
    if (l === 0) break;
    // δ_prev = (Wᵀ δ) ∘ a(1 − a), a the sigmoid output feeding this layer
    const prev = ws.deltas[l]!;
    for (let s = 0; s < B; s++) {
      const dOff = s * nOut;
      const po = s * nIn;
      for (let i = 0; i < nIn; i++) {
        const col = wOff + nOut * i;
        let acc = 0;
        for (let o = 0; o < nOut; o++) acc += w[col + o]! * delta[dOff + o]!;
        const z = input[po + i]!;
        prev[po + i] = acc * ((1 - z) * z);
      }
    }
  }
  return loss;
}

/** Checks a topology against the data and the initial weights (Spark's errors are array-index failures; these name the params). */
export function checkTopology(api: string, layers: readonly number[], numFeatures: number, featuresCol: string): void {
  if (layers[0] !== numFeatures) {
    throw Errors.schema(`${api}: layers[0] = ${layers[0]} must equal the number of features, but column ${featuresCol} has vectors of size ${numFeatures} (layers = [${layers.join(', ')}])`);
  }
}
