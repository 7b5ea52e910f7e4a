/**
 * Latent Dirichlet Allocation as Spark's ml.clustering.LDA, LocalLDAModel and
 * DistributedLDAModel: the same params (names, docs, defaults, validation), the same two
 * optimizers, the same model API and Spark's saved layout. This module is the estimator and the
 * public face of the family; the pieces, one job each:
 *   lda-common.ts             options, Spark's validateAndTransformSchema, the model states
 *   lda-docs.ts, lda-corpus.ts  documents read as CSR, the corpus packed once on the executors
 *   lda-tasks.ts              the executor tasks and summaries (registered in ts/worker.ts)
 *   lda-online.ts, lda-em.ts  the two optimizers' driver loops and updates
 *   lda-math.ts               special functions, seeded streams, the per-document E-step
 *   lda-model.ts, lda-distributed-model.ts  LDAModel / LocalLDAModel, DistributedLDAModel
 *   lda-persist.ts            Spark's saved layout (docs/formats/SPARK_MODEL_FORMAT.md)
 *
 * Input: `featuresCol` holds one document per row as a term-count vector of length vocabSize
 * (a vector column, dense or sparse, or array<double>/array<float> as Spark 3 accepts); the
 * vocabulary size is the first row's size and every row must have it. Counts must be finite and
 * non-negative and rows non-null (Spark fails later, inside the optimizer, on such rows; kindling
 * names the row). Rows are numbered 0.. over the whole DataFrame in partition order; that number
 * is the document id (Spark uses monotonically_increasing_id, which depends on the
 * partitioning) and keys the document's random draws (lda-tasks.ts).
 *
 * A fit packs the corpus once on the executors (lda-corpus.ts); each iteration ships broadcast
 * state and gets a summary back, merged in Spark's treeAggregate order (depth 2,
 * docs/formats/SPARK_DEFINITIONS.md §14):
 *   - 'online' (default): Spark's OnlineLDAOptimizer (lda-online.ts) — λ initialised
 *     Gamma(100, 1/100), per iteration a mini-batch sampled with replacement at
 *     `subsamplingRate`, the per-document E-step (γ ~ Gamma(100, 1/100), tolerance 1e-3, at most
 *     100 inner iterations — Spark has no cap), λ ← (1 − ρ)λ + ρ(·) with
 *     ρ = (learningOffset + t)^(−learningDecay), and α optimised by Spark's damped Newton step
 *     when optimizeDocConcentration. Defaults: α = 1/k, η = 1/k. The result is a LocalLDAModel
 *     whose topicsMatrix is λᵀ (vocabSize × k, not normalised).
 *   - 'em': Spark's EMLDAOptimizer (lda-em.ts) on the document–term graph: N_kj kept beside the
 *     document blocks on the executors, N_wk merged by the summary; same updates, synchronous
 *     per iteration. Defaults: α = 50/k + 1, η = 1.1; both must be > 1 (α symmetric). The
 *     result is a DistributedLDAModel (topicsMatrix = N_wk; trainingLogLikelihood, logPrior,
 *     toLocal).
 */
import type * as arrow from 'apache-arrow';
import { Errors } from '../../src/errors.js';
import type { DataFrame } from '../../src/dataframe/dataframe.js';
import { MLWritable } from '../ml-writable.js';
import type { ParamMap } from '../param/params.js';
import { register } from '../persist.js';
import { Estimator, type FitOptions } from '../stage.js';
import { normaliseOptions, optimizerOf, validateAndTransformSchema, type LDAOptions } from './lda-common.js';
import { prepareDocs } from './lda-corpus.js';
import { DistributedLDAModel } from './lda-distributed-model.js';
import { fitEm } from './lda-em.js';
import { LDAModel, LocalLDAModel } from './lda-model.js';
import { fitOnline } from './lda-online.js';
import { LDAParamsMixin } from './clustering-params.js';
import { LDA_CLASS } from './clustering-params.table.js';
import { JSON_KINDS, loadDistributed, loadLocal, saveDistributed, saveLocal } from './lda-persist.js';

export { GAMMA_SHAPE, type LDAOptions, type LocalLDAState, type EmGraphState } from './lda-common.js';
export { LDAModel, LocalLDAModel } from './lda-model.js';
export { DistributedLDAModel } from './lda-distributed-model.js';

export class LDA extends MLWritable(LDAParamsMixin(Estimator<LDAModel>)) {
  constructor(options?: LDAOptions, uid?: string) {
    super(uid);
    this.setParams(normaliseOptions(options));
  }

  override fit(df: DataFrame, extra?: ParamMap, options?: FitOptions): Promise<LDAModel> {
    return super.fit(df, extra, options);
  }

  /** docConcentration, also as one number (a symmetric prior). */
  override setDocConcentration(v: number | number[]): this { return super.setDocConcentration(typeof v === 'number' ? [v] : v); }

  transformSchema(schema: arrow.Schema): arrow.Schema {
    return validateAndTransformSchema(this, 'LDA', schema, this.getK());
  }

  protected async fitImpl(df: DataFrame, options: FitOptions): Promise<LDAModel> {
    const api = 'LDA.fit';
    const docs = await prepareDocs(api, df, this.getFeaturesCol());
    try {
      if (docs.n === 0 || docs.d < 0) throw Errors.invalidArg(api, 'dataset', 'at least one document (row)', docs.n);
      if (docs.d === 0) throw Errors.invalidArg(api, 'vocabSize', 'term-count vectors of size >= 1', 0);
      const k = this.getK();
      const maxIter = this.getMaxIter();
      const progress = (it: number, message: string) => options.onProgress?.({ stage: this.uid, kind: 'iteration', current: it, total: maxIter, message });
      let model: LDAModel;
      if (optimizerOf(this) === 'online') {
        const alpha = new Float64Array(k);
        const dc = this.isSet(this.docConcentration) ? this.getDocConcentration() : [1 / k];
        if (dc.length === 1) alpha.fill(dc[0]!);
        else alpha.set(dc);
        const settings = {
          k,
          alpha,
          eta: this.isSet(this.topicConcentration) ? this.getTopicConcentration() : 1 / k,
          seed: this.getSeed(),
          learningOffset: this.getLearningOffset(),
          learningDecay: this.getLearningDecay(),
          subsamplingRate: this.getSubsamplingRate(),
          optimizeDocConcentration: this.getOptimizeDocConcentration(),
          maxIter,
        };
        model = new LocalLDAModel(undefined, this.uid, await fitOnline(df.session, docs, settings, progress));
      } else {
        const alpha = this.isSet(this.docConcentration) ? this.getDocConcentration()[0]! : 50 / k + 1;
        const eta = this.isSet(this.topicConcentration) ? this.getTopicConcentration() : 1.1;
        model = new DistributedLDAModel(undefined, this.uid, await fitEm(df.session, docs, { k, alpha, eta, seed: this.getSeed(), maxIter }, (it) => progress(it, 'EM LDA')));
      }
      model.session = df.session;
      this.copyValues(model);
      model.setParent(this);
      return model;
    } finally {
      docs.release();
    }
  }
}

register(LDA_CLASS, LDA, { jsonKinds: JSON_KINDS });
register('org.apache.spark.ml.clustering.LocalLDAModel', LocalLDAModel, { jsonKinds: JSON_KINDS, save: saveLocal, load: loadLocal });
register('org.apache.spark.ml.clustering.DistributedLDAModel', DistributedLDAModel, { jsonKinds: JSON_KINDS, save: saveDistributed, load: loadDistributed });
