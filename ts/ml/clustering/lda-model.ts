/**
 * Spark's abstract LDAModel and LocalLDAModel: the topics (λ, α, η), `describeTopics`,
 * `transform` (appends topicDistributionCol: the normalised γ of each row, a dense vector of
 * length k, zeros for an empty document; every row's γ starts from the model seed, as Spark),
 * and the variational bound over a DataFrame — `logLikelihood` (Equation 16 of Hoffman et al.
 * 2010) and `logPerplexity` = −logLikelihood / token count — computed by a summary on the
 * executors over the documents packed there (each row's γ seeded by (seed, row)).
 */
import * as arrow from 'apache-arrow';
import { Errors, KindlingError } from '../../src/errors.js';
import { fromValues, makeBatch, makePrimitive, type AnyData } from '../../src/dataframe/batch.js';
import { DataFrame, type SessionLike } from '../../src/dataframe/dataframe.js';
import { Types } from '../../src/dataframe/types.js';
import { Session } from '../../src/session.js';
import { DenseMatrix } from '../linalg/matrices.js';
import { DenseVector } from '../linalg/vectors.js';
import { MLWritable } from '../ml-writable.js';
import type { ParamMap } from '../param/params.js';
import { Model } from '../stage.js';
import { featuresIndex, normaliseOptions, validateAndTransformSchema, type LDAOptions, type LocalLDAState } from './lda-common.js';
import { prepareDocs } from './lda-corpus.js';
import { topicExpectations, topicsBound } from './lda-math.js';
import { LDAParamsMixin } from './clustering-params.js';
import { ldaBoundStats, ldaTransform, type BoundBroadcast, type LdaTransformBroadcast } from './lda-tasks.js';

const DESCRIBE_SCHEMA = new arrow.Schema([
  new arrow.Field('topic', Types.int(), false),
  new arrow.Field('termIndices', Types.array(Types.int(), false), true),
  new arrow.Field('termWeights', Types.array(Types.double(), false), true),
]);

/** Shared API of LocalLDAModel and DistributedLDAModel (Spark's abstract LDAModel). */
export abstract class LDAModel extends MLWritable(LDAParamsMixin(Model)) {
  /** The session describeTopics builds its DataFrame in (the fit's, or the active one). */
  session: SessionLike | null = null;
  private expectations: { expElogbeta: Float64Array; Elogbeta: Float64Array } | null = null;

  protected constructor(options?: LDAOptions, uid?: string) {
    super(uid);
    this.setParams(normaliseOptions(options));
  }

  /** The local representation (λ, α, η, gammaShape) inference runs on. */
  protected abstract localState(): LocalLDAState;

  abstract isDistributed(): boolean;

  /** Topics by their top-weighted terms as [termIndices, termWeights] per topic (Spark's spark.mllib describeTopics). */
  protected abstract topTerms(maxTermsPerTopic: number): Array<[number[], number[]]>;

  /** Number of terms in the vocabulary. */
  vocabSize(): number {
    return this.localState().vocabSize;
  }

  /** Inferred topics as a vocabSize × k matrix, one topic per column (not normalised). */
  topicsMatrix(): DenseMatrix {
    const s = this.localState();
    return new DenseMatrix(s.vocabSize, s.k, s.lambda.slice());
  }

  /** The docConcentration the model uses: estimated by online LDA when optimizeDocConcentration, else the given (or default) one. */
  estimatedDocConcentration(): DenseVector {
    return new DenseVector(this.localState().alpha.slice());
  }

  private cachedExpectations(): { expElogbeta: Float64Array; Elogbeta: Float64Array } {
    if (!this.expectations) {
      const s = this.localState();
      const Elogbeta = topicExpectations(s.lambda, s.k, s.vocabSize, true);
      const expElogbeta = new Float64Array(Elogbeta.length);
      for (let i = 0; i < Elogbeta.length; i++) expElogbeta[i] = Math.exp(Elogbeta[i]!);
      this.expectations = { expElogbeta, Elogbeta };
    }
    return this.expectations;
  }

  transformSchema(schema: arrow.Schema): arrow.Schema {
    return validateAndTransformSchema(this, `${this.constructor.name}.transform`, schema, this.localState().k);
  }

  protected transformImpl(df: DataFrame): DataFrame {
    const api = `${this.constructor.name}.transform`;
    const out = this.getTopicDistributionCol();
    if (out === '') return df;
    const outSchema = this.transformSchema(df.schema);
    const s = this.localState();
    const { expElogbeta } = this.cachedExpectations();
    const seed = this.getSeed();
    const featuresCol = this.getFeaturesCol();
    featuresIndex(api, df.schema, featuresCol);
    const b: LdaTransformBroadcast = { api, featuresCol, outputCol: out, k: s.k, vocabSize: s.vocabSize, expElogbeta, alpha: s.alpha, gammaShape: s.gammaShape, seed };
    return df.mapInArrow(ldaTransform, outSchema, b);
  }

  /**
   * Lower bound on the log likelihood of the documents of `df` (Equation 16 of Hoffman et al.
   * 2010): the per-document part (γ inferred per row, seeded by (seed, row)) plus the topic part.
   */
  async logLikelihood(df: DataFrame): Promise<number> {
    return (await this.bound(`${this.constructor.name}.logLikelihood`, df)).logLikelihood;
  }

  /** Upper bound on the log perplexity per token: −logLikelihood(df) / (total term count). */
  async logPerplexity(df: DataFrame): Promise<number> {
    const b = await this.bound(`${this.constructor.name}.logPerplexity`, df);
    return -b.logLikelihood / b.tokens;
  }

  /** The bound's two parts: the documents' (a summary over the corpus packed on the executors), and the topics'. */
  private async bound(api: string, df: DataFrame): Promise<{ logLikelihood: number; tokens: number }> {
    if (!(df instanceof DataFrame)) throw Errors.invalidArg(api, 'dataset', 'a DataFrame', df);
    const s = this.localState();
    const docs = await prepareDocs(api, df, this.getFeaturesCol(), s.vocabSize);
    try {
      const { expElogbeta, Elogbeta } = this.cachedExpectations();
      const b: BoundBroadcast = { k: s.k, vocabSize: s.vocabSize, Elogbeta, expElogbeta, alpha: s.alpha, gammaShape: s.gammaShape, seed: this.getSeed(), rowBases: docs.rowBases };
      const stats = await df.session.treeAggregate(ldaBoundStats, docs, b);
      return { logLikelihood: stats.corpusPart + topicsBound(s.lambda, Elogbeta, s.k, s.vocabSize, s.eta), tokens: stats.tokens };
    } finally {
      docs.release();
    }
  }

  /**
   * The topics by their top-weighted terms: a DataFrame (topic int, termIndices array<int>,
   * termWeights array<double>), terms in decreasing weight (ties by term index).
   */
  describeTopics(maxTermsPerTopic = 10): DataFrame {
    const api = `${this.constructor.name}.describeTopics`;
    if (!Number.isInteger(maxTermsPerTopic) || maxTermsPerTopic < 0) throw Errors.invalidArg(api, 'maxTermsPerTopic', 'an integer >= 0', maxTermsPerTopic);
    const session = this.session ?? Session.active;
    if (!session) throw new KindlingError('ERR_KINDLING_INVALID_ARG', `${api}: needs a session to build its DataFrame; start one with Session.builder().getOrCreate()`);
    const topics = this.topTerms(maxTermsPerTopic);
    const n = topics.length;
    const batch = makeBatch(
      DESCRIBE_SCHEMA,
      [
        makePrimitive(Types.int(), Int32Array.from({ length: n }, (_, i) => i), null) as AnyData,
        fromValues(DESCRIBE_SCHEMA.fields[1]!.type, topics.map((x) => x[0])),
        fromValues(DESCRIBE_SCHEMA.fields[2]!.type, topics.map((x) => x[1])),
      ],
      n,
    );
    return new DataFrame(session, { op: 'memory', schema: DESCRIBE_SCHEMA, partitions: [batch] });
  }

  /** Copies this model's state into a fresh instance with the same uid (Spark's copy). */
  protected abstract blank(): LDAModel;

  override copy(extra?: ParamMap): this {
    const that = this.blank();
    that.session = this.session;
    this.copyValues(that, extra);
    that.setParent(this.parent);
    return that as this;
  }
}

/** Local (non-distributed) model fitted by LDA: the inferred topics only. */
export class LocalLDAModel extends LDAModel {
  private readonly state: LocalLDAState | null;

  constructor(options?: LDAOptions, uid?: string, state?: LocalLDAState) {
    super(options, uid);
    this.state = state ?? null;
  }

  protected localState(): LocalLDAState {
    if (!this.state) throw new KindlingError('ERR_KINDLING_NOT_FITTED', `LocalLDAModel ${this.uid}: has no topics (create it with LDA.fit or LocalLDAModel.load)`);
    return this.state;
  }

  /** The model's state (λ topic-major, α, η, gammaShape). */
  getState(): LocalLDAState {
    return this.localState();
  }

  isDistributed(): boolean {
    return false;
  }

  protected topTerms(maxTermsPerTopic: number): Array<[number[], number[]]> {
    const s = this.localState();
    const out: Array<[number[], number[]]> = [];
    for (let t = 0; t < s.k; t++) {
      const base = t * s.vocabSize;
      let sum = 0;
      for (let w = 0; w < s.vocabSize; w++) sum += Math.abs(s.lambda[base + w]!);
      const order = Array.from({ length: s.vocabSize }, (_, w) => w);
      const weight = (w: number) => (sum === 0 ? s.lambda[base + w]! : s.lambda[base + w]! / sum);
      order.sort((a, b) => weight(b) - weight(a) || a - b);
      const top = order.slice(0, maxTermsPerTopic);
      out.push([top, top.map(weight)]);
    }
    return out;
  }

  protected blank(): LDAModel {
    return new LocalLDAModel(undefined, this.uid, this.state ?? undefined);
  }
}
