/**
 * The loss-and-gradient pass every linear model's fit runs once per objective evaluation
 * (Spark's RDDLossFunction: a treeAggregate of the loss aggregator over the instances): the
 * summary `glmLossGradSummary` folds each training block (ml/data/instances-tasks.ts PackedRows,
 * rows checked and labels packed when prepared) through kernels/glm.ts `glmLossGradRaw` with the
 * broadcast coefficients, and partials merge by adding, in treeAggregate order (SPARK_DEFINITIONS.md
 * §14: equal to a sequential fold up to reassociation). `glmLossGradPass` runs it over an
 * Instances from the driver; only the coefficients travel, never rows. The optimiser that calls
 * it per evaluation is minimize.ts (L-BFGS, or OWL-QN with an L1 part: §13).
 */
import { Errors } from '../../src/errors.js';
import { defineSummary } from '../../src/exec/task.js';
import { glmLossGradRaw, type GlmLossKind, type GlmLossResult } from '../../src/kernels/glm.js';
import type { PackedRows } from '../data/instances-tasks.js';
import type { Instances } from '../data/instances.js';

export interface GlmLossBroadcast {
  kind: GlmLossKind;
  k: number;
  d: number;
  /** k x d row-major effective coefficients. */
  coef: Float64Array;
  intercept: Float64Array;
}

export const glmLossGradSummary = defineSummary<GlmLossResult, PackedRows, GlmLossBroadcast>('ml.glmLossGrad', {
  zero: (b) => ({ loss: 0, grad: new Float64Array(b.k * b.d + b.k), weightSum: 0 }),
  add: (s, p, b) => {
    if (!p.y) throw Errors.invalidArg('glmLossGrad', 'training block', 'a block packed with labels (prepareInstances with labelCol)', 'a block without labels');
    const r = glmLossGradRaw({ kind: b.kind, x: p.x, y: p.y, w: p.w, n: p.n, d: b.d, k: b.k, coef: b.coef, intercept: b.intercept }, s.grad);
    s.loss += r.loss;
    s.weightSum += r.weightSum;
    return s;
  },
  merge: (a, b) => {
    for (let i = 0; i < a.grad.length; i++) a.grad[i] = a.grad[i]! + b.grad[i]!;
    a.loss += b.loss;
    a.weightSum += b.weightSum;
    return a;
  },
});

/** One distributed pass: Σ w loss, its gradient and Σ w over all blocks of `data` (ts/ml/data/instances.ts Instances). */
export async function glmLossGradPass(data: Instances, kind: GlmLossKind, k: number, coef: Float64Array, intercept: Float64Array, depth?: number): Promise<GlmLossResult> {
  const d = data.d;
  if (coef.length !== k * d) throw Errors.invalidArg('glmLossGradPass', 'coef', `k x d = ${k * d} coefficients`, `${coef.length}`);
  if (intercept.length !== k) throw Errors.invalidArg('glmLossGradPass', 'intercept', `k = ${k} intercepts`, `${intercept.length}`);
  const b: GlmLossBroadcast = { kind, k, d, coef, intercept };
  return data.session.treeAggregate(glmLossGradSummary, data, b, depth === undefined ? undefined : { depth });
}
