/**
 * OWL-QN's pieces (breeze/optimize/OWLQN.scala; Andrew & Gao 2007), with an L1 weight per
 * coordinate as Spark passes it (0 for the intercept and unpenalised coordinates):
 *   - `adjust`: value + Σ l1ᵢ|xᵢ| and the pseudo-gradient (at xᵢ = 0: g - l1 if > 0, g + l1 if < 0, else 0;
 *     elsewhere g + sign(xᵢ)·l1);
 *   - `orthantDirection`: keeps the L-BFGS direction's coordinates that descend along the
 *     pseudo-gradient (d·pg < 0), zeroes the others;
 *   - `orthantStep`: x + t·dir projected onto the orthant of x (or of -pg where xᵢ = 0).
 */

export function adjust(x: Float64Array, grad: Float64Array, value: number, l1: Float64Array): { value: number; grad: Float64Array } {
  const pg = new Float64Array(x.length);
  let penalty = 0;
  for (let i = 0; i < x.length; i++) {
    const xi = x[i]!;
    const g = grad[i]!;
    const w = l1[i]!;
    penalty += w * Math.abs(xi);
    if (xi === 0) {
      const minus = g - w;
      const plus = g + w;
      pg[i] = minus > 0 ? minus : plus < 0 ? plus : 0;
    } else {
      pg[i] = g + Math.sign(xi) * w;
    }
  }
  return { value: value + penalty, grad: pg };
}

export function orthantDirection(dir: Float64Array, pseudoGrad: Float64Array): Float64Array {
  for (let i = 0; i < dir.length; i++) if (!(dir[i]! * pseudoGrad[i]! < 0)) dir[i] = 0;
  return dir;
}

export function orthantStep(x: Float64Array, dir: Float64Array, t: number, pseudoGrad: Float64Array): Float64Array {
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const v = x[i]! + t * dir[i]!;
    const orthant = x[i]! !== 0 ? Math.sign(x[i]!) : Math.sign(-pseudoGrad[i]!);
    out[i] = Math.sign(v) === orthant ? v : 0;
  }
  return out;
}
