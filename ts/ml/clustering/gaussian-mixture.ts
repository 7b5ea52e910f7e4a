/**
 * GaussianMixture (Spark's ml.clustering.GaussianMixture, docs/formats/SPARK_DEFINITIONS.md
 * §11): full-covariance Gaussian mixtures fitted by expectation-maximisation, over training data
 * prepared once on the executors (docs/ARCHITECTURE.md, "Training data stays where it lives").
 *
 * Training:
 *   - `prepareInstances` reads and checks the features (a vector column or an array of numbers)
 *     and weights where the partitions are (nulls, non-finite values, vector sizes, Spark's weight
 *     rules, an empty DataFrame; errors name the column and the row over the whole DataFrame). As
 *     Spark, at most 46340 features (the covariances are quadratic in the number of features).
 *     kindling also refuses k larger than the number of distinct points of positive weight (Spark
 *     would fit components on repeated samples of the same points);
 *   - the start: Spark's initRandom with a partition-independent takeSample (gmm-init.ts), or
 *     `initialModel` (a GaussianMixtureModel, or { weights, means, covariances }): a warm start
 *     beyond Spark's API;
 *   - EM, as Spark: while iter < maxIter and |logLik - prevLogLik| > tol, with logLik the total
 *     weighted log-likelihood of the E-step and the first comparison Double.MinValue vs 0 (so at
 *     least one iteration when maxIter > 0). Each iteration ships the components and gets back
 *     one `session.treeAggregate` (depth = aggregationDepth) of the summary `gmmStats`
 *     (gmm-tasks.ts; the native E-step of kernels/gmm.ts: Spark's EPSILON + w pdf
 *     responsibilities in log space, weighted sums and packed outer products), then the M-step on
 *     the driver (gmm-gaussian.ts, Spark's updateWeightsAndGaussians). One progress event per
 *     iteration. One difference in rounding only: the kernel sums x - o, with o the data's
 *     weighted mean, and the M-step adds o back; Spark's raw sums Σr x xᵀ lose the digits of the
 *     covariance when |mean| >> spread (iris + 1e5 keeps ~5 of 16), around o they keep them;
 *   - densities and degenerate components (gmm-gaussian.ts): Cholesky for a positive-definite
 *     covariance; a singular covariance of a live component is regularised (λ = 1e-6 x scale x
 *     10^m on the diagonal, listed in `summary.regularizations`, one warning 'KINDLING_GMM_
 *     SINGULAR_COVARIANCE' per fit); a component that collapses — its total responsibility below
 *     1e-6 of an average row's weight — does not stop the fit: as Spark, EM goes on with its
 *     M-step (a component whose responsibility is exactly 0 keeps its previous mean and
 *     covariance, weight 0) and, when its covariance is singular, Spark's degenerate Gaussian
 *     (pseudo-inverse, pseudo-determinant; `summary.pseudoInverses`). Listed in
 *     `summary.collapsed`, one warning 'KINDLING_GMM_COLLAPSED_COMPONENT' per fit;
 *   - rows whose every w_c pdf_c is at most Spark's EPSILON (2.2e-16) in the last E-step get
 *     uniform responsibilities whatever the model (densities shrink like (2 pi sigma^2)^(-d/2): the
 *     usual case on high-dimensional data). Above 10% of the weight a warning
 *     'KINDLING_GMM_EPSILON_FLOOR'; above half, as Spark, the model is still returned, with a
 *     warning that EM could not separate the components (`summary.flooredFraction`);
 *   - what cannot go on fails with ERR_KINDLING_CONVERGENCE (never an argument error): a
 *     log-likelihood that is not finite, a weight, mean or covariance that is not (the mixture
 *     diverged), a row with no finite density;
 *   - the summary's cluster sizes: one more pass (`gmmSizes`), argmax of each row's posteriors.
 *
 * The model, its transform and summary: gaussian-mixture-model.ts. Persistence is Spark's:
 * GaussianMixture → org.apache.spark.ml.clustering.GaussianMixture (metadata; `initialModel` is
 * not a Spark param and is not saved); GaussianMixtureModel → org.apache.spark.ml.clustering.
 * GaussianMixtureModel with `data/` in Spark's layout (gmm-persistence.ts).
 */
import type * as arrow from 'apache-arrow';
import { Errors, KindlingError } from '../../src/errors.js';
import type { DataFrame } from '../../src/dataframe/dataframe.js';
import { GMM_EPSILON, packedSize, type GmmComponents, type GmmStepStats } from '../../src/kernels/gmm.js';
import { prepareInstances, type Instances } from '../data/instances.js';
import { MLWritable } from '../ml-writable.js';
import type { Param } from '../param/params.js';
import { encodeParams, getAndSetParams, readData, register, writeMetadata } from '../persist.js';
import { Estimator, type FitOptions } from '../stage.js';
import { GaussianMixtureModel, GaussianMixtureSummary, outputSchema, validateInitialModel, type GmmCollapse } from './gaussian-mixture-model.js';
import { GaussianMixtureParamsMixin, type GaussianMixtureParamsOptions } from './clustering-params.js';
import { REG_BASE, REG_STEPS, gmmMStep, mixtureComponents, mixtureOf, preparedComponents, type ComponentsLog, type GaussianMixtureInit, type MixtureState } from './gmm-gaussian.js';
import { dataScale, initRandom } from './gmm-init.js';
import { mixtureFromTable, writeMixtureData } from './gmm-persistence.js';
import { gmmSizes, gmmStats, type GmmStepBroadcast } from './gmm-tasks.js';

export { GaussianMixtureModel, GaussianMixtureSummary, type GaussianMixtureModelOptions, type GmmCollapse } from './gaussian-mixture-model.js';
export { MultivariateGaussian, gmmMStep, mixtureComponents, type GaussianMixtureInit, type GmmPseudoInverse, type GmmRegularization, type MixtureState } from './gmm-gaussian.js';
export { initRandom, sampleFraction, takeSampleWithReplacement } from './gmm-init.js';
export { gaussianMixtureTable, mixtureFromTable } from './gmm-persistence.js';
export type { GaussianMixtureParamsOptions };

/** Spark's GaussianMixture.MAX_NUM_FEATURES = sqrt(Int.MaxValue). */
export const GMM_MAX_NUM_FEATURES = 46340;
/** A component whose total responsibility is below this fraction of an average row's weight collapsed. */
const COLLAPSE = 1e-6;

export interface GaussianMixtureOptions extends GaussianMixtureParamsOptions {
  /** Warm start (beyond Spark's ml API): EM starts from this mixture; its size must equal k. */
  initialModel?: GaussianMixtureModel | GaussianMixtureInit;
}

/** Where the M-step of a component whose responsibility is exactly 0 is undefined (0 / 0), it keeps its previous mean and covariance. */
function keepUndefined(next: MixtureState, prev: MixtureState, j: number): void {
  const { d } = next;
  const tri = packedSize(d);
  const mean = next.means.subarray(j * d, (j + 1) * d);
  const cov = next.covs.subarray(j * tri, (j + 1) * tri);
  if (mean.every(Number.isFinite) && cov.every(Number.isFinite)) return;
  mean.set(prev.means.subarray(j * d, (j + 1) * d));
  cov.set(prev.covs.subarray(j * tri, (j + 1) * tri));
}

export class GaussianMixture extends MLWritable(GaussianMixtureParamsMixin(Estimator<GaussianMixtureModel>)) {
  /** kindling: the mixture to start EM from (a GaussianMixtureModel or { weights, means, covariances } with k components) instead of the random init. Not a Spark param: not saved. */
  readonly initialModel: Param<GaussianMixtureModel | GaussianMixtureInit> = this.param<GaussianMixtureModel | GaussianMixtureInit>(
    'initialModel',
    'kindling: the mixture to start EM from (a GaussianMixtureModel or { weights, means, covariances } with k components) instead of the random init. Not a Spark param: not saved.',
    { validate: validateInitialModel },
  );

  constructor(options?: GaussianMixtureOptions, uid?: string) {
    super(uid);
    this.setParams(options as Record<string, unknown> | undefined);
  }

  getInitialModel(): GaussianMixtureModel | GaussianMixtureInit | undefined {
    return this.get(this.initialModel);
  }

  setInitialModel(value: GaussianMixtureModel | GaussianMixtureInit): this {
    return this.set(this.initialModel, value);
  }

  transformSchema(schema: arrow.Schema): arrow.Schema {
    const api = this.stageName;
    const w = this.getWeightCol();
    if (w !== undefined && w.length > 0) {
      const idx = schema.fields.findIndex((f) => f.name.toLowerCase() === w.toLowerCase());
      if (idx < 0) throw Errors.unknownColumn(api, w, schema.fields.map((f) => f.name));
    }
    return outputSchema(api, schema, this.getFeaturesCol(), this.getPredictionCol(), this.getProbabilityCol(), this.getK());
  }

  protected async fitImpl(df: DataFrame, options: FitOptions): Promise<GaussianMixtureModel> {
    const data = await prepareInstances(this.stageName, df, {
      featuresCol: this.getFeaturesCol(),
      weightCol: this.getWeightCol(),
      checks: { finiteNorm: true },
      emptyMessage: 'clustering needs at least one point',
    });
    try {
      return await this.em(df, data, options);
    } finally {
      data.release();
    }
  }

  /** The start mixture: the initialModel (checked against k and the data), else Spark's initRandom. */
  private async start(data: Instances): Promise<MixtureState> {
    const api = this.stageName;
    const k = this.getK();
    const init = this.getInitialModel();
    if (init === undefined) return initRandom(api, data, k, this.getSeed());
    const s = init instanceof GaussianMixtureModel ? init.mixtureState() : mixtureOf(api, 'initialModel', init);
    if (s.k !== k) throw Errors.invalidArg(api, 'initialModel', `a mixture of k = ${k} components (set k to ${s.k} or pass ${k} components)`, `${s.k} components`);
    if (s.d !== data.d) throw Errors.invalidArg(api, 'initialModel', `components with ${data.d} features (the size of column ${this.getFeaturesCol()})`, `${s.d} features`);
    return { ...s, weights: s.weights.slice(), means: s.means.slice(), covs: s.covs.slice() };
  }

  /** Spark's EM loop over the prepared data (see the module comment), then the model and its summary. */
  private async em(df: DataFrame, data: Instances, options: FitOptions): Promise<GaussianMixtureModel> {
    const api = this.stageName;
    const k = this.getK();
    const maxIter = this.getMaxIter();
    const tol = this.getTol();
    const depth = this.getAggregationDepth();
    const d = data.d;
    if (d >= GMM_MAX_NUM_FEATURES) {
      throw Errors.outOfRange(api, 'the number of features', `fewer than ${GMM_MAX_NUM_FEATURES} (GaussianMixture cannot handle more than ${GMM_MAX_NUM_FEATURES} features because the size of the covariance matrix is quadratic in the number of features)`, d);
    }
    const { scale, distinct, weight, mean } = await dataScale(data, k, depth);
    if (!(weight > 0)) throw Errors.schema(`${api}: every row has weight 0; a mixture needs points of positive weight`);
    if (distinct < k) {
      throw new KindlingError(
        'ERR_KINDLING_INVALID_ARG',
        `${api}: k = ${k} exceeds the number of distinct points of positive weight (${distinct}); a mixture of k Gaussians needs at least k distinct points: lower k`,
      );
    }
    let state = await this.start(data);
    const step = (comps: GmmComponents): GmmStepBroadcast => ({ comps, rowBases: data.rowBases, api, featuresCol: this.getFeaturesCol() });

    const log: ComponentsLog = { regularizations: [], pseudoInverses: [] };
    const collapsed: GmmCollapse[] = [];
    const meanRowWeight = weight / data.n;
    let logLikelihood = -Number.MAX_VALUE; // Scala's Double.MinValue
    let prev = 0;
    let iter = 0;
    let last: GmmStepStats | null = null;
    let comps = mixtureComponents(api, state, { scale, iteration: 0, log, shift: mean });
    while (iter < maxIter && Math.abs(logLikelihood - prev) > tol) {
      const stats = await df.session.treeAggregate(gmmStats, data, step(comps), { depth });
      iter++;
      if (!Number.isFinite(stats.logLik)) {
        throw new KindlingError(
          'ERR_KINDLING_CONVERGENCE',
          `${api}: EM did not converge: the log-likelihood became ${stats.logLik} in iteration ${iter} (d = ${d} features, k = ${k}); rescale the features or lower k`,
        );
      }
      const next = gmmMStep(stats);
      const gone = new Set<number>();
      for (let j = 0; j < k; j++) {
        if (stats.respSum[j]! >= COLLAPSE * meanRowWeight) continue;
        gone.add(j);
        collapsed.push({ iteration: iter, component: j, responsibility: stats.respSum[j]! });
        keepUndefined(next, state, j);
      }
      state = next;
      prev = logLikelihood;
      logLikelihood = stats.logLik;
      last = stats;
      comps = mixtureComponents(api, state, { scale, iteration: iter, log, shift: mean, collapsed: gone });
      options.onProgress?.({ stage: this.uid, kind: 'iteration', current: iter, total: maxIter, message: `logLikelihood ${logLikelihood}` });
    }
    const flooredFraction = this.warn({ last, iter, d, k, scale, meanRowWeight, log, collapsed });

    const model = this.copyValues(new GaussianMixtureModel(undefined, this.uid));
    model.setMixture(state, comps);
    model.setParent(this);
    const predictions = model.transform(df);
    const sizes = Array.from(await df.session.treeAggregate(gmmSizes, data, step(comps), { depth }));
    model.setSummary(
      new GaussianMixtureSummary(predictions, model.getPredictionCol(), model.getProbabilityCol(), model.getFeaturesCol(), k, logLikelihood, iter, sizes, log.regularizations, log.pseudoInverses, collapsed, flooredFraction),
    );
    return model;
  }

  /** The fit's warnings (one per kind, see the module comment); returns the floored share of the weight in the last E-step. */
  private warn(f: { last: GmmStepStats | null; iter: number; d: number; k: number; scale: number; meanRowWeight: number; log: ComponentsLog; collapsed: GmmCollapse[] }): number {
    const api = this.stageName;
    const { d, k, log, collapsed } = f;
    const emit = (message: string, code: string) => process.emitWarning(`${api} (${this.uid}): ${message}`, { type: 'KindlingWarning', code });
    let frac = 0;
    if (f.last !== null) {
      let total = 0;
      for (let j = 0; j < k; j++) total += f.last.respSum[j]!;
      frac = f.last.flooredWeight / total;
      const what =
        `on ${(100 * frac).toFixed(1)}% of the weight, every component's weight x density was at most Spark's EPSILON (${GMM_EPSILON}) in the last E-step (iteration ${f.iter}), ` +
        `so those rows got uniform responsibilities whatever the model`;
      if (frac > 0.5) {
        emit(
          `${what}, and EM could not separate the ${k} components: as Spark, the model is returned, but it says little about the data. Densities shrink like (2 pi variance)^(-d/2) with d = ${d} features: ` +
            'standardise or rescale the features, reduce the dimension (e.g. PCA), or use fewer features',
          'KINDLING_GMM_EPSILON_FLOOR',
        );
      } else if (frac > 0.1) {
        emit(`${what}; with d = ${d} features the fit may be poor (rescale the features or reduce the dimension)`, 'KINDLING_GMM_EPSILON_FLOOR');
      }
    }
    const regs = log.regularizations;
    const wasCollapsed = (it: number, j: number) => collapsed.some((c) => c.iteration === it && c.component === j);
    const stuck = log.pseudoInverses.filter((p) => !wasCollapsed(p.iteration, p.component));
    const singular: string[] = [];
    if (regs.length > 0) {
      const comps0 = [...new Set(regs.map((r) => r.component))].sort((a, b) => a - b);
      const maxLambda = Math.max(...regs.map((r) => r.lambda));
      singular.push(
        `${regs.length} singular covariance(s) (components ${comps0.join(', ')}; first at iteration ${regs[0]!.iteration}) were regularised by adding up to ${maxLambda} to the diagonal ` +
          `(1e-6 x 10^m x the mean feature variance ${f.scale}); a component on fewer than d + 1 = ${d + 1} distinct points, or a feature constant within a component, makes its covariance singular. See summary.regularizations`,
      );
    }
    if (stuck.length > 0) {
      singular.push(
        `${stuck.length} covariance(s) (components ${[...new Set(stuck.map((p) => p.component))].join(', ')}) stayed singular with ${REG_BASE * 10 ** REG_STEPS} x the mean feature variance added and were evaluated as Spark's degenerate Gaussian ` +
          '(pseudo-inverse and pseudo-determinant). See summary.pseudoInverses',
      );
    }
    if (singular.length > 0) emit(singular.join('; '), 'KINDLING_GMM_SINGULAR_COVARIANCE');
    if (collapsed.length > 0) {
      const which = [...new Set(collapsed.map((c) => c.component))].sort((a, b) => a - b);
      emit(
        `component(s) ${which.join(', ')} collapsed (first in iteration ${collapsed[0]!.iteration}): a total responsibility below ${COLLAPSE} x an average row's weight (${f.meanRowWeight}), ` +
          "so the component's weight is ~0 and its mean and covariance rest on EPSILON-level responsibilities. As Spark, EM went on and the model keeps the component " +
          '(a singular covariance of a collapsed component is evaluated through its pseudo-inverse and pseudo-determinant); lower k or change the seed. See summary.collapsed',
        'KINDLING_GMM_COLLAPSED_COMPONENT',
      );
    }
    return frac;
  }
}

register('org.apache.spark.ml.clustering.GaussianMixture', GaussianMixture, {
  save: async (stage, path, ctx) => {
    const plain = stage.copy();
    plain.clear(plain.initialModel);
    const { paramMap, defaultParamMap } = encodeParams(plain, ctx.api);
    await writeMetadata(stage, path, ctx, { paramMap, defaultParamMap });
  },
});

register('org.apache.spark.ml.clustering.GaussianMixtureModel', GaussianMixtureModel, {
  save: async (m, path, ctx) => {
    if (m.numFeatures === 0) throw new KindlingError('ERR_KINDLING_NOT_FITTED', `${ctx.api}: ${m.uid} has no mixture to save`);
    await writeMetadata(m, path, ctx);
    await writeMixtureData(path, m.mixtureState());
  },
  load: async (path, md, ctx) => {
    const s = mixtureFromTable(ctx.api, await readData(path, 'data', ctx.api), path);
    const m = new GaussianMixtureModel(undefined, md.uid);
    getAndSetParams(m, md, { api: ctx.api });
    return m.setMixture(s, preparedComponents(ctx.api, md.uid, s));
  },
});
