/**
 * Latent Dirichlet Allocation as Spark's ml.clustering.LDA, LocalLDAModel and
 * DistributedLDAModel: the same params (names, docs, defaults, validation), the same two
 * optimizers, the same model API and Spark's saved layout.
 *
 * Input: `featuresCol` holds one document per row as a term-count vector of length vocabSize
 * (a vector column, dense or sparse, or array<double>/array<float> as Spark 3 accepts); the
 * vocabulary size is the first row's size and every row must have it. Counts must be finite and
 * non-negative and rows non-null (Spark fails later, inside the optimizer, on such rows; kindling
 * names the row). Rows are numbered 0.. over the whole DataFrame in partition order; that number
 * is the document id (Spark uses monotonically_increasing_id, which depends on the
 * partitioning) and keys the document's random draws (lda-optimizer.ts).
 *
 * Optimizers (the math is in lda-optimizer.ts / lda-math.ts):
 *   - 'online' (default): Spark's OnlineLDAOptimizer — λ initialised Gamma(100, 1/100), per
 *     iteration a mini-batch sampled with replacement at `subsamplingRate`, the per-document
 *     E-step (γ ~ Gamma(100, 1/100), tolerance 1e-3, at most 100 inner iterations — Spark has no
 *     cap), the sufficient statistics folded per partition and merged in treeAggregate order,
 *     λ ← (1 − ρ)λ + ρ(·) with ρ = (learningOffset + t)^(−learningDecay), and α optimised by
 *     Spark's damped Newton step when optimizeDocConcentration. Defaults: α = 1/k, η = 1/k.
 *     The result is a LocalLDAModel whose topicsMatrix is λᵀ (vocabSize × k, not normalised).
 *   - 'em': Spark's EMLDAOptimizer on the document–term graph, held in memory (per-partition
 *     N_kj, merged N_wk) instead of GraphX; same updates, synchronous per iteration. Defaults:
 *     α = 50/k + 1, η = 1.1; both must be > 1 (α symmetric). The result is a
 *     DistributedLDAModel (topicsMatrix = N_wk; trainingLogLikelihood, logPrior, toLocal).
 *     checkpointInterval / keepLastCheckpoint are accepted and saved but have no effect:
 *     nothing is checkpointed (kindling has no checkpoint directory), getCheckpointFiles() is [].
 *
 * Partition summaries (STYLE.md §5) run on the driver over `df.partitions()` with Spark's
 * treeAggregate merge order (depth 2), as the evaluators do; they are plain data and can be
 * registered as built-ins to run on workers unchanged.
 *
 * Model outputs: `transform` appends `topicDistributionCol` (dense vector of length k: the
 * normalised γ of each row, zeros for an empty document; every row's γ starts from the model
 * seed, as Spark), `describeTopics(maxTermsPerTopic = 10)` a DataFrame (topic int, termIndices
 * array<int>, termWeights array<double>), `logLikelihood(df)` the variational lower bound and
 * `logPerplexity(df)` = −logLikelihood / token count (each row's γ seeded by (seed, row)).
 *
 * Persistence, Spark's layout:
 *   LDA                  metadata only ('org.apache.spark.ml.clustering.LDA').
 *   LocalLDAModel        metadata + data/: one row (vocabSize int, topicsMatrix MatrixUDT (dense,
 *                        column-major, isTransposed false; Spark itself writes λᵀ as a
 *                        transposed view — both read the same), docConcentration VectorUDT,
 *                        topicConcentration double, gammaShape double).
 *   DistributedLDAModel  metadata + oldModel/ in spark.mllib's DistributedLDAModel format 1.0:
 *                        oldModel/metadata (one JSON line: class, version "1.0", k, vocabSize,
 *                        docConcentration, topicConcentration, iterationTimes, gammaShape),
 *                        oldModel/data/globalTopicTotals (globalTopicTotals Vector),
 *                        oldModel/data/topicCounts (id long, topicWeights Vector: documents at
 *                        id = row, terms at id = −(1 + term)), oldModel/data/tokenCounts (srcId,
 *                        dstId long, tokenCounts double); vectors there carry mllib's VectorUDT,
 *                        as Spark's loader checks.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as arrow from 'apache-arrow';
import { Errors, KindlingError } from '../../src/errors.js';
import { fromValues, isValidAt, makeBatch, makePrimitive, valueAt, type AnyData } from '../../src/dataframe/batch.js';
import { DataFrame, type SessionLike } from '../../src/dataframe/dataframe.js';
import { resolveIndex } from '../../src/dataframe/eval.js';
import type { Plan } from '../../src/dataframe/plan.js';
import { isVectorType, sparkTypeName, Types } from '../../src/dataframe/types.js';
import { partFileName } from '../../src/io/dataset.js';
import { sparkSchemaJson, writeParquetPart } from '../../src/io/parquet/index.js';
import { treeMerge } from '../../src/exec/jobs.js';
import type { Summary } from '../../src/exec/task.js';
import { Session } from '../../src/session.js';
import { denseVectorColumn, isDenseVectorType, isVectorStructType, vectorAt, vectorStructColumn } from '../linalg/columns.js';
import { DenseMatrix, SparseMatrix } from '../linalg/matrices.js';
import { DenseVector } from '../linalg/vectors.js';
import { MLWritable } from '../ml-writable.js';
import type { ParamMap, Params } from '../param/params.js';
import { SPARK_VERSION, parseSparkJson, readData, register, toSparkJson, writeData, writeMetadata, getAndSetParams, JsonDouble, type JsonKind, type Metadata, type ReadContext, type WriteContext } from '../persist.js';
import { Estimator, Model, type FitOptions } from '../stage.js';
import { Rng, topicExpectations, variationalTopicInference } from './lda-math.js';
import { LDAParamsMixin, type LDAParams, type LDAParamsOptions } from './clustering-params.js';
import { LDA_CLASS } from './clustering-params.table.js';
import {
  emLdaSummary,
  ldaBoundSummary,
  learningRate,
  onlineLdaSummary,
  topicTotalsOf,
  topicsBound,
  updateAlpha,
  updateLambda,
  type DocPartition,
  type EmPartition,
} from './lda-optimizer.js';

/** Spark's gammaShape for the random initialisation of γ and λ. */
export const GAMMA_SHAPE = 100;

// ----- params ---------------------------------------------------------------------------------

/** Options of LDA and its models: Spark's LDAParams, docConcentration also as one number. */
export interface LDAOptions extends Omit<LDAParamsOptions, 'docConcentration'> {
  /** Concentration parameter (commonly named "alpha") for the prior placed on documents' distributions over topics ("theta"); one number is a symmetric prior. */
  docConcentration?: number | number[];
}

function normaliseOptions(options: LDAOptions | undefined): Record<string, unknown> | undefined {
  if (options === undefined || options === null || typeof options !== 'object') return options as Record<string, unknown> | undefined;
  const o: Record<string, unknown> = { ...options };
  if (typeof o.docConcentration === 'number') o.docConcentration = [o.docConcentration];
  return o;
}

const JSON_KINDS: Readonly<Record<string, JsonKind>> = {
  k: 'int',
  maxIter: 'int',
  checkpointInterval: 'int',
  seed: 'int',
  docConcentration: 'double',
  topicConcentration: 'double',
  learningOffset: 'double',
  learningDecay: 'double',
  subsamplingRate: 'double',
};

/** What LDA and its models share: the params, their getters and Spark's validateAndTransformSchema. */
type LdaParamsHost = Params & LDAParams;

function optimizerOf(host: LdaParamsHost): 'online' | 'em' {
  return host.getOrDefault(host.optimizer).toLowerCase() as 'online' | 'em';
}

/** The column index of the features, checked as Spark's validateVectorCompatibleColumn. */
function featuresIndex(api: string, schema: arrow.Schema, name: string): number {
  const index = resolveIndex(api, name, schema);
  const t = schema.fields[index]!.type;
  if (isVectorType(t)) return index;
  if (arrow.DataType.isList(t) && arrow.DataType.isFloat(t.children[0]!.type) && (t.children[0]!.type as arrow.Float).precision !== arrow.Precision.HALF) return index;
  throw Errors.schema(`${api}: Column ${name} must be of type vector or array<double> or array<float> but was actually of type ${sparkTypeName(t)}.`);
}

/** Spark's LDAParams.validateAndTransformSchema. */
function validateAndTransformSchema(host: LdaParamsHost, api: string, schema: arrow.Schema, outputSize: number | null): arrow.Schema {
  const optimizer = optimizerOf(host);
  if (host.isSet(host.docConcentration)) {
    const dc = host.getOrDefault(host.docConcentration);
    const k = host.getOrDefault(host.k);
    if (dc.length !== 1 && dc.length !== k) {
      throw Errors.invalidArg(api, 'docConcentration', `an array of length either 1 (scalar) or k = ${k} (num topics): LDA docConcentration was of length ${dc.length}, but k = ${k}`, dc);
    }
    if (optimizer === 'em' && !dc.every((x) => x > 1)) {
      throw Errors.invalidArg(api, 'docConcentration', `values > 1.0 for the EM optimizer (found ${dc.join(',')})`, dc);
    }
    if (optimizer === 'em' && !dc.every((x) => x === dc[0])) {
      throw Errors.invalidArg(api, 'docConcentration', `one value repeated (the EM optimizer supports only a symmetric prior; found ${dc.join(',')})`, dc);
    }
  }
  if (host.isSet(host.topicConcentration) && optimizer === 'em') {
    const tc = host.getOrDefault(host.topicConcentration);
    if (!(tc > 1)) throw Errors.invalidArg(api, 'topicConcentration', 'a value > 1.0 for the EM optimizer', tc);
  }
  featuresIndex(api, schema, host.getOrDefault(host.featuresCol));
  const out = host.getOrDefault(host.topicDistributionCol);
  if (out === '') return schema;
  if (schema.fields.some((f) => f.name.toLowerCase() === out.toLowerCase())) throw Errors.schema(`${api}: Column ${out} already exists.`);
  const type = outputSize !== null ? Types.vector(outputSize) : Types.vectorStruct();
  return new arrow.Schema([...schema.fields, new arrow.Field(out, type, true)]);
}

// ----- reading documents ----------------------------------------------------------------------

interface Corpus {
  parts: DocPartition[];
  rows: number;
  vocabSize: number;
}

/**
 * One partition's documents as CSR (non-zero counts only). `size.value` is the vocabulary size
 * (-1 until the first valid row sets it); every row must match it.
 */
function docsOfBatch(api: string, d: AnyData, name: string, rowBase: number, size: { value: number }, fixed: boolean): DocPartition {
  const n = d.length;
  const indptr = new Int32Array(n + 1);
  const idx: number[] = [];
  const cts: number[] = [];
  const t = d.type;
  const checkSize = (r: number, s: number) => {
    if (size.value < 0) size.value = s;
    else if (s !== size.value) {
      throw Errors.badRow(api, `column ${name}`, rowBase + r, `has size ${s}, but ${fixed ? 'the model has vocabSize' : 'the first row has size'} ${size.value}; every document must be a term-count vector of length vocabSize`);
    }
  };
  const push = (r: number, j: number, x: number) => {
    if (x === 0) return;
    if (!(x >= 0) || x === Infinity) {
      throw Errors.badRow(api, `column ${name}`, rowBase + r, `has term count ${x} at index ${j}; LDA needs finite, non-negative term counts`);
    }
    idx.push(j);
    cts.push(x);
  };
  const nullRow = (r: number) => {
    throw Errors.badRow(api, `column ${name}`, rowBase + r, 'is null; LDA needs a term-count vector in every row');
  };
  if (isDenseVectorType(t)) {
    const dim = t.listSize;
    const vs = d.children[0]!.values as Float64Array;
    for (let r = 0; r < n; r++) {
      if (!isValidAt(d, r)) nullRow(r);
      checkSize(r, dim);
      for (let j = 0; j < dim; j++) push(r, j, vs[r * dim + j]!);
      indptr[r + 1] = idx.length;
    }
  } else if (isVectorStructType(t)) {
    const [ty, sz, ix, vl] = d.children as AnyData[];
    const vOff = vl!.valueOffsets as Int32Array;
    const vData = vl!.children[0]!.values as Float64Array;
    const iOff = ix!.valueOffsets as Int32Array;
    const iData = ix!.children[0]?.values as Int32Array | undefined;
    const types = ty!.values as Int8Array;
    const sizes = sz!.values as Int32Array;
    for (let r = 0; r < n; r++) {
      if (!isValidAt(d, r)) nullRow(r);
      if (types[r] === 1) {
        checkSize(r, vOff[r + 1]! - vOff[r]!);
        for (let p = vOff[r]!, j = 0; p < vOff[r + 1]!; p++, j++) push(r, j, vData[p]!);
      } else {
        checkSize(r, sizes[r]!);
        // Sparse rows may list indices in any order; sort each row's entries by index.
        const start = idx.length;
        for (let q = iOff[r]!, p = vOff[r]!; q < iOff[r + 1]!; q++, p++) push(r, iData![q]!, vData[p]!);
        sortRowEntries(idx, cts, start);
      }
      indptr[r + 1] = idx.length;
    }
  } else {
    // array<double> / array<float>
    const off = d.valueOffsets as Int32Array;
    const child = d.children[0]! as AnyData;
    const xs = child.values as Float64Array | Float32Array;
    for (let r = 0; r < n; r++) {
      if (!isValidAt(d, r)) nullRow(r);
      checkSize(r, off[r + 1]! - off[r]!);
      for (let p = off[r]!, j = 0; p < off[r + 1]!; p++, j++) {
        if (child.nullCount > 0 && !isValidAt(child, p)) {
          throw Errors.badRow(api, `column ${name}`, rowBase + r, `has a null term count at index ${j}`);
        }
        push(r, j, xs[p]!);
      }
      indptr[r + 1] = idx.length;
    }
  }
  return { rowBase, rows: n, indptr, indices: Int32Array.from(idx), counts: Float64Array.from(cts) };
}

function sortRowEntries(idx: number[], cts: number[], start: number): void {
  let sorted = true;
  for (let i = start + 1; i < idx.length; i++) if (idx[i]! <= idx[i - 1]!) sorted = false;
  if (sorted) return;
  const pairs = idx.slice(start).map((j, p) => [j, cts[start + p]!] as const);
  pairs.sort((a, b) => a[0] - b[0]);
  // merge duplicate indices (a malformed sparse row) by summing them
  let w = start;
  for (let p = 0; p < pairs.length; p++) {
    if (w > start && idx[w - 1] === pairs[p]![0]) cts[w - 1] += pairs[p]![1];
    else {
      idx[w] = pairs[p]![0];
      cts[w] = pairs[p]![1];
      w++;
    }
  }
  idx.length = w;
  cts.length = w;
}

async function readCorpus(api: string, df: DataFrame, featuresCol: string, vocabSize?: number): Promise<Corpus> {
  const index = featuresIndex(api, df.schema, featuresCol);
  const batches = await df.partitions();
  const size = { value: vocabSize ?? -1 };
  const parts: DocPartition[] = [];
  let rowBase = 0;
  for (const b of batches) {
    const d = b.data.children[index]! as AnyData;
    parts.push(docsOfBatch(api, d, featuresCol, rowBase, size, vocabSize !== undefined));
    rowBase += b.numRows;
  }
  return { parts, rows: rowBase, vocabSize: size.value };
}

/** Folds partitions with a summary and merges the partials in Spark's treeAggregate order (depth 2). */
function fold<S, P, B>(summary: Summary<S, P, B>, partitions: readonly P[], broadcast: B): S {
  const partials = partitions.map((p) => summary.add(summary.zero(broadcast), p, broadcast, undefined as never)); // driver-side fold: moves onto session.treeAggregate
  return treeMerge(partials, (a, b) => summary.merge(a, b), () => summary.zero(broadcast), 2);
}

function progress(options: FitOptions, stage: string, current: number, total: number, message?: string): void {
  options.onProgress?.({ stage, kind: 'iteration', current, total, message });
}

// ----- model state ----------------------------------------------------------------------------

/** What a local model is: λ (k × vocabSize topic-major, i.e. topicsMatrix column-major), α, η, gammaShape. */
export interface LocalLDAState {
  k: number;
  vocabSize: number;
  lambda: Float64Array;
  alpha: Float64Array;
  eta: number;
  gammaShape: number;
}

/** The EM graph: documents with their edges and N_kj, terms' N_wk, N_k. */
export interface EmGraphState {
  k: number;
  vocabSize: number;
  /** Document vertex ids (the row numbers at fit time), one per document with at least one term. */
  docIds: BigInt64Array;
  /** Edges per document (CSR over `docIds`): terms and counts N_wj. */
  indptr: Int32Array;
  terms: Int32Array;
  counts: Float64Array;
  /** N_kj, documents × k row-major. */
  docTopic: Float64Array;
  /** N_wk, vocabSize × k term-major. */
  termTopic: Float64Array;
  /** Whether term w has a vertex (occurs in some document). */
  termPresent: Uint8Array;
  /** N_k. */
  topicTotals: Float64Array;
  /** Symmetric α and η of the fit. */
  alpha: number;
  eta: number;
  gammaShape: number;
  /** Seconds per iteration. */
  iterationTimes: number[];
}

function localFromEm(g: EmGraphState): LocalLDAState {
  const { k, vocabSize } = g;
  const lambda = new Float64Array(k * vocabSize);
  for (let w = 0; w < vocabSize; w++) {
    if (!g.termPresent[w]) continue;
    for (let t = 0; t < k; t++) lambda[t * vocabSize + w] = g.termTopic[w * k + t]!;
  }
  return { k, vocabSize, lambda, alpha: new Float64Array(k).fill(g.alpha), eta: g.eta, gammaShape: g.gammaShape };
}

// ----- LDA ------------------------------------------------------------------------------------

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
    const corpus = await readCorpus(api, df, this.getFeaturesCol());
    if (corpus.rows === 0 || corpus.vocabSize < 0) throw Errors.invalidArg(api, 'dataset', 'at least one document (row)', corpus.rows);
    if (corpus.vocabSize === 0) throw Errors.invalidArg(api, 'vocabSize', 'term-count vectors of size >= 1', 0);
    const model =
      optimizerOf(this) === 'online'
        ? new LocalLDAModel(undefined, this.uid, this.fitOnline(corpus, options))
        : new DistributedLDAModel(undefined, this.uid, this.fitEm(corpus, options));
    model.session = df.session;
    this.copyValues(model);
    model.setParent(this);
    return model;
  }

  /** Spark's OnlineLDAOptimizer (initialize, then maxIter × next()). */
  private fitOnline(corpus: Corpus, options: FitOptions): LocalLDAState {
    const k = this.getK();
    const V = corpus.vocabSize;
    const D = corpus.rows;
    const alpha = new Float64Array(k);
    if (!this.isSet(this.docConcentration)) alpha.fill(1 / k);
    else {
      const dc = this.getDocConcentration();
      if (dc.length === 1) alpha.fill(dc[0]!);
      else alpha.set(dc);
    }
    const eta = this.isSet(this.topicConcentration) ? this.getTopicConcentration() : 1 / k;
    const rng = new Rng(this.getSeed());
    // λ (k × V) ~ Gamma(100, 1/100)
    let lambda = new Rng(rng.nextSeed()).gammaVector(k * V, GAMMA_SHAPE);
    const tau0 = this.getLearningOffset();
    const kappa = this.getLearningDecay();
    const fraction = this.getSubsamplingRate();
    const optimizeAlpha = this.getOptimizeDocConcentration();
    const maxIter = this.getMaxIter();
    let iteration = 0;
    for (let it = 1; it <= maxIter; it++) {
      const sampleSeed = rng.nextSeed();
      const inferSeed = rng.nextSeed();
      const expElogbeta = topicExpectations(lambda, k, V);
      const stats = fold(onlineLdaSummary, corpus.parts, {
        k,
        vocabSize: V,
        expElogbeta,
        alpha,
        gammaShape: GAMMA_SHAPE,
        sampleSeed,
        inferSeed,
        subsamplingRate: fraction,
        withReplacement: true,
        optimizeDocConcentration: optimizeAlpha,
      });
      if (stats.sampledDocs > 0) {
        iteration++;
        if (stats.nonEmptyDocs > 0) {
          const rho = learningRate(tau0, kappa, iteration);
          const batchSize = Math.ceil(fraction * D);
          updateLambda(lambda, stats.stat, expElogbeta, k, V, rho, D, batchSize, eta);
          if (optimizeAlpha) {
            const n = stats.nonEmptyDocs;
            for (let t = 0; t < k; t++) stats.logphat[t] = stats.logphat[t]! / n;
            const next = updateAlpha(alpha, stats.logphat, n, rho);
            if (next) alpha.set(next);
          }
        }
      }
      progress(options, this.uid, it, maxIter, `online LDA: ${stats.sampledDocs} documents in the mini-batch`);
    }
    lambda = lambda.slice();
    return { k, vocabSize: V, lambda, alpha: alpha.slice(), eta, gammaShape: GAMMA_SHAPE };
  }

  /** Spark's EMLDAOptimizer (initialize, then maxIter × next()), on in-memory partitions. */
  private fitEm(corpus: Corpus, options: FitOptions): EmGraphState {
    const k = this.getK();
    const V = corpus.vocabSize;
    const alpha = this.isSet(this.docConcentration) ? this.getDocConcentration()[0]! : 50 / k + 1;
    const eta = this.isSet(this.topicConcentration) ? this.getTopicConcentration() : 1.1;
    const parts: EmPartition[] = corpus.parts.map((docs, part) => ({ part, docs, docTopic: new Float64Array(docs.rows * k) }));
    const install = (s: { termTopic: Float64Array; docTopics: Array<{ part: number; values: Float64Array }> }) => {
      for (const d of s.docTopics) parts[d.part]!.docTopic = d.values;
      return s.termTopic;
    };
    const broadcast = (termTopic: Float64Array, topicTotals: Float64Array, initSeed: number | null) => ({ k, vocabSize: V, eta, alpha, topicTotals, termTopic, initSeed });
    let termTopic = install(fold(emLdaSummary, parts, broadcast(new Float64Array(0), new Float64Array(k), this.getSeed())));
    let topicTotals = topicTotalsOf(termTopic, k, V);
    const maxIter = this.getMaxIter();
    const iterationTimes: number[] = [];
    for (let it = 1; it <= maxIter; it++) {
      const start = performance.now();
      termTopic = install(fold(emLdaSummary, parts, broadcast(termTopic, topicTotals, null)));
      topicTotals = topicTotalsOf(termTopic, k, V);
      iterationTimes.push((performance.now() - start) / 1000);
      progress(options, this.uid, it, maxIter, 'EM LDA');
    }
    return emGraphOf(parts, k, V, termTopic, topicTotals, alpha, eta, iterationTimes);
  }
}

function emGraphOf(parts: EmPartition[], k: number, V: number, termTopic: Float64Array, topicTotals: Float64Array, alpha: number, eta: number, iterationTimes: number[]): EmGraphState {
  const ids: bigint[] = [];
  const indptr: number[] = [0];
  const terms: number[] = [];
  const counts: number[] = [];
  const docTopic: number[] = [];
  const termPresent = new Uint8Array(V);
  for (const p of parts) {
    const d = p.docs;
    for (let r = 0; r < d.rows; r++) {
      const lo = d.indptr[r]!;
      const hi = d.indptr[r + 1]!;
      if (hi === lo) continue;
      ids.push(BigInt(d.rowBase + r));
      for (let e = lo; e < hi; e++) {
        terms.push(d.indices[e]!);
        counts.push(d.counts[e]!);
        termPresent[d.indices[e]!] = 1;
      }
      indptr.push(terms.length);
      for (let t = 0; t < k; t++) docTopic.push(p.docTopic[r * k + t]!);
    }
  }
  return {
    k,
    vocabSize: V,
    docIds: BigInt64Array.from(ids),
    indptr: Int32Array.from(indptr),
    terms: Int32Array.from(terms),
    counts: Float64Array.from(counts),
    docTopic: Float64Array.from(docTopic),
    termTopic,
    termPresent,
    topicTotals,
    alpha,
    eta,
    gammaShape: GAMMA_SHAPE,
    iterationTimes,
  };
}

// ----- models ---------------------------------------------------------------------------------

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
    const index = featuresIndex(api, df.schema, featuresCol);
    const compute = async (): Promise<arrow.RecordBatch[]> => {
      const parts = await df.partitions();
      const result: arrow.RecordBatch[] = [];
      let rowBase = 0;
      for (const b of parts) {
        const docs = docsOfBatch(api, b.data.children[index]! as AnyData, featuresCol, rowBase, { value: s.vocabSize }, true);
        const values = new Float64Array(b.numRows * s.k);
        for (let r = 0; r < b.numRows; r++) {
          const lo = docs.indptr[r]!;
          const hi = docs.indptr[r + 1]!;
          if (hi === lo) continue;
          const inf = variationalTopicInference(docs.indices.subarray(lo, hi), docs.counts.subarray(lo, hi), expElogbeta, s.alpha, s.gammaShape, s.k, new Rng(seed, 0));
          let sum = 0;
          for (let t = 0; t < s.k; t++) sum += inf.gamma[t]!;
          for (let t = 0; t < s.k; t++) values[r * s.k + t] = inf.gamma[t]! / sum;
        }
        const cols = b.schema.fields.map((_, j) => b.data.children[j]! as AnyData);
        result.push(makeBatch(outSchema, [...cols, denseVectorColumn(values, s.k)], b.numRows));
        rowBase += b.numRows;
      }
      return result;
    };
    const plan: Plan = { op: 'cache', child: { op: 'memory', schema: outSchema, partitions: [] }, state: { compute } };
    return new DataFrame(df.session, plan);
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

  private async bound(api: string, df: DataFrame): Promise<{ logLikelihood: number; tokens: number }> {
    if (!(df instanceof DataFrame)) throw Errors.invalidArg(api, 'dataset', 'a DataFrame', df);
    const s = this.localState();
    const corpus = await readCorpus(api, df, this.getFeaturesCol(), s.vocabSize);
    const { expElogbeta, Elogbeta } = this.cachedExpectations();
    const stats = fold(ldaBoundSummary, corpus.parts, { k: s.k, vocabSize: s.vocabSize, Elogbeta, expElogbeta, alpha: s.alpha, gammaShape: s.gammaShape, seed: this.getSeed() });
    return { logLikelihood: stats.corpusPart + topicsBound(s.lambda, Elogbeta, s.k, s.vocabSize, s.eta), tokens: stats.tokens };
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

/** Distributed model fitted by LDA with the EM optimizer: the topics plus the training documents' topic counts. */
export class DistributedLDAModel extends LDAModel {
  private readonly graph: EmGraphState | null;
  private local: LocalLDAState | null = null;
  private checkpointFiles: string[] = [];

  constructor(options?: LDAOptions, uid?: string, graph?: EmGraphState) {
    super(options, uid);
    this.graph = graph ?? null;
  }

  /** The EM graph state (documents, edges, N_kj, N_wk, N_k). */
  getGraph(): EmGraphState {
    if (!this.graph) throw new KindlingError('ERR_KINDLING_NOT_FITTED', `DistributedLDAModel ${this.uid}: has no graph (create it with LDA.fit or DistributedLDAModel.load)`);
    return this.graph;
  }

  protected localState(): LocalLDAState {
    if (!this.local) this.local = localFromEm(this.getGraph());
    return this.local;
  }

  isDistributed(): boolean {
    return true;
  }

  /** A LocalLDAModel with the same topics (N_wk), α, η and params; drops the training documents. */
  toLocal(): LocalLDAModel {
    const m = new LocalLDAModel(undefined, this.uid, this.localState());
    m.session = this.session;
    this.copyValues(m);
    m.setParent(this.parent);
    return m;
  }

  /**
   * Log likelihood of the training tokens given the fitted N_kj, N_wk (excludes the prior):
   * Σ_(j,w) N_wj log Σ_k φ_wk θ_kj, φ_wk = (N_wk + η − 1) / (N_k + W(η − 1)),
   * θ_·j = normalise(N_·j + α − 1).
   */
  trainingLogLikelihood(): number {
    const g = this.getGraph();
    const { k, vocabSize: W, alpha, eta } = g;
    const smoothedNk = g.topicTotals.map((x) => x + W * (eta - 1));
    const theta = new Float64Array(k);
    let ll = 0;
    for (let j = 0; j < g.docIds.length; j++) {
      let sum = 0;
      for (let t = 0; t < k; t++) {
        theta[t] = g.docTopic[j * k + t]! + alpha - 1;
        sum += theta[t]!;
      }
      for (let e = g.indptr[j]!; e < g.indptr[j + 1]!; e++) {
        const w = g.terms[e]!;
        let dot = 0;
        for (let t = 0; t < k; t++) dot += ((g.termTopic[w * k + t]! + eta - 1) / smoothedNk[t]!) * (theta[t]! / sum);
        ll += g.counts[e]! * Math.log(dot);
      }
    }
    return ll;
  }

  /** log P(topics, topic distributions for docs | α, η) of the fitted estimates. */
  logPrior(): number {
    const g = this.getGraph();
    const { k, vocabSize: W, alpha, eta } = g;
    const smoothedNk = g.topicTotals.map((x) => x + W * (eta - 1));
    let prior = 0;
    for (let w = 0; w < W; w++) {
      if (!g.termPresent[w]) continue;
      let s = 0;
      for (let t = 0; t < k; t++) s += Math.log((g.termTopic[w * k + t]! + eta - 1) / smoothedNk[t]!);
      prior += (eta - 1) * s;
    }
    for (let j = 0; j < g.docIds.length; j++) {
      let sum = 0;
      for (let t = 0; t < k; t++) sum += g.docTopic[j * k + t]! + alpha - 1;
      let s = 0;
      for (let t = 0; t < k; t++) s += Math.log((g.docTopic[j * k + t]! + alpha - 1) / sum);
      prior += (alpha - 1) * s;
    }
    return prior;
  }

  /** Checkpoint files of training: always empty (kindling does not checkpoint). */
  getCheckpointFiles(): string[] {
    return [...this.checkpointFiles];
  }

  deleteCheckpointFiles(): void {
    this.checkpointFiles = [];
  }

  protected topTerms(maxTermsPerTopic: number): Array<[number[], number[]]> {
    const g = this.getGraph();
    const out: Array<[number[], number[]]> = [];
    const present: number[] = [];
    for (let w = 0; w < g.vocabSize; w++) if (g.termPresent[w]) present.push(w);
    for (let t = 0; t < g.k; t++) {
      const weight = (w: number) => g.termTopic[w * g.k + t]! / g.topicTotals[t]!;
      const order = present.slice().sort((a, b) => weight(b) - weight(a) || a - b);
      const top = order.slice(0, maxTermsPerTopic);
      out.push([top, top.map(weight)]);
    }
    return out;
  }

  protected blank(): LDAModel {
    const m = new DistributedLDAModel(undefined, this.uid, this.graph ?? undefined);
    m.local = this.local;
    m.checkpointFiles = this.checkpointFiles;
    return m;
  }
}

// ----- persistence ----------------------------------------------------------------------------

const MATRIX_TYPE = new arrow.Struct([
  new arrow.Field('type', new arrow.Int8(), false),
  new arrow.Field('numRows', new arrow.Int32(), false),
  new arrow.Field('numCols', new arrow.Int32(), false),
  new arrow.Field('colPtrs', new arrow.List(new arrow.Field('element', new arrow.Int32(), false)), true),
  new arrow.Field('rowIndices', new arrow.List(new arrow.Field('element', new arrow.Int32(), false)), true),
  new arrow.Field('values', new arrow.List(new arrow.Field('element', new arrow.Float64(), false)), true),
  new arrow.Field('isTransposed', new arrow.Bool(), false),
]);

function columnOf(api: string, table: arrow.Table, name: string, path: string): AnyData {
  const i = table.schema.fields.findIndex((f) => f.name === name);
  const batch = table.batches.find((b) => b.numRows > 0);
  if (i < 0 || !batch) throw Errors.load(`${api}: the model data at ${path} has no ${batch ? `column ${name}` : 'rows'}`);
  return batch.data.children[i]! as AnyData;
}

/** A saved MatrixUDT value as column-major values. */
function matrixValues(api: string, raw: unknown, path: string): { numRows: number; numCols: number; values: Float64Array } {
  const m = raw as { type: number; numRows: number; numCols: number; colPtrs: number[] | null; rowIndices: number[] | null; values: number[]; isTransposed: boolean } | null;
  if (!m || typeof m !== 'object') throw Errors.load(`${api}: topicsMatrix at ${path} is null`);
  const mat =
    Number(m.type) === 1
      ? new DenseMatrix(m.numRows, m.numCols, m.values, m.isTransposed)
      : new SparseMatrix(m.numRows, m.numCols, m.colPtrs ?? [], m.rowIndices ?? [], m.values, m.isTransposed);
  return { numRows: m.numRows, numCols: m.numCols, values: mat.toArray() };
}

async function saveLocal(model: LocalLDAModel, path: string, ctx: WriteContext): Promise<void> {
  await writeMetadata(model, path, ctx);
  const s = model.getState();
  const schema = new arrow.Schema([
    new arrow.Field('vocabSize', Types.int(), false),
    new arrow.Field('topicsMatrix', MATRIX_TYPE, true),
    new arrow.Field('docConcentration', Types.vectorStruct(), true),
    new arrow.Field('topicConcentration', Types.double(), false),
    new arrow.Field('gammaShape', Types.double(), false),
  ]);
  const matrix = fromValues(MATRIX_TYPE, [{ type: 1, numRows: s.vocabSize, numCols: s.k, colPtrs: null, rowIndices: null, values: Array.from(s.lambda), isTransposed: false }]);
  const batch = makeBatch(schema, [
    makePrimitive(Types.int(), Int32Array.of(s.vocabSize), null) as AnyData,
    matrix,
    vectorStructColumn([new DenseVector(s.alpha)]),
    makePrimitive(Types.double(), Float64Array.of(s.eta), null) as AnyData,
    makePrimitive(Types.double(), Float64Array.of(s.gammaShape), null) as AnyData,
  ]);
  await writeData(path, { schema, batches: [batch] });
}

function modelSession(ctx: ReadContext): SessionLike | null {
  return ctx.session ?? Session.active;
}

async function loadLocal(path: string, md: Metadata, ctx: ReadContext): Promise<LocalLDAModel> {
  const api = ctx.api;
  const table = await readData(path, 'data', api);
  const vocabSize = Number(valueAt(columnOf(api, table, 'vocabSize', path), 0));
  const m = matrixValues(api, valueAt(columnOf(api, table, 'topicsMatrix', path), 0), path);
  const alpha = vectorAt(columnOf(api, table, 'docConcentration', path), 0);
  const eta = Number(valueAt(columnOf(api, table, 'topicConcentration', path), 0));
  const gammaShape = Number(valueAt(columnOf(api, table, 'gammaShape', path), 0));
  if (m.numRows !== vocabSize) throw Errors.load(`${api}: topicsMatrix at ${path} has ${m.numRows} rows, but vocabSize is ${vocabSize}`);
  if (!alpha || alpha.size !== m.numCols) throw Errors.load(`${api}: docConcentration at ${path} has ${alpha?.size ?? 0} entries, but topicsMatrix has ${m.numCols} topics`);
  const model = new LocalLDAModel(undefined, md.uid, { k: m.numCols, vocabSize, lambda: m.values, alpha: alpha.toArray(), eta, gammaShape });
  getAndSetParams(model, md, { api });
  model.session = modelSession(ctx);
  return model;
}

const MLLIB_VECTOR_UDT = { class: 'org.apache.spark.mllib.linalg.VectorUDT', pyClass: 'pyspark.mllib.linalg.VectorUDT' };

/** Writes `<dir>/part-00000-….snappy.parquet` + _SUCCESS with mllib's VectorUDT in Spark's row metadata. */
async function writeMllibData(dir: string, schema: arrow.Schema, batch: arrow.RecordBatch): Promise<void> {
  await mkdir(dir, { recursive: true });
  const rowMetadata = sparkSchemaJson(schema).replaceAll('"org.apache.spark.ml.linalg.VectorUDT"', JSON.stringify(MLLIB_VECTOR_UDT.class)).replaceAll('"pyspark.ml.linalg.VectorUDT"', JSON.stringify(MLLIB_VECTOR_UDT.pyClass));
  await writeParquetPart(join(dir, partFileName(0, randomUUID(), '.snappy.parquet')), schema, batch.numRows > 0 ? [batch] : [], {
    kvMetadata: { 'org.apache.spark.sql.parquet.row.metadata': rowMetadata, 'org.apache.spark.version': SPARK_VERSION },
  });
  await writeFile(join(dir, '_SUCCESS'), '');
}

const MLLIB_DISTRIBUTED = 'org.apache.spark.mllib.clustering.DistributedLDAModel';

async function saveDistributed(model: DistributedLDAModel, path: string, ctx: WriteContext): Promise<void> {
  await writeMetadata(model, path, ctx);
  const g = model.getGraph();
  const { k, vocabSize } = g;
  const old = join(path, 'oldModel');
  await mkdir(join(old, 'metadata'), { recursive: true });
  const meta = toSparkJson({
    class: MLLIB_DISTRIBUTED,
    version: '1.0',
    k,
    vocabSize,
    docConcentration: Array.from({ length: k }, () => new JsonDouble(g.alpha)),
    topicConcentration: new JsonDouble(g.eta),
    iterationTimes: g.iterationTimes.map((x) => new JsonDouble(x)),
    gammaShape: new JsonDouble(g.gammaShape),
  });
  await writeFile(join(old, 'metadata', 'part-00000'), `${meta}\n`);
  await writeFile(join(old, 'metadata', '_SUCCESS'), '');
  const data = join(old, 'data');
  // globalTopicTotals
  const gSchema = new arrow.Schema([new arrow.Field('globalTopicTotals', Types.vectorStruct(), true)]);
  await writeMllibData(join(data, 'globalTopicTotals'), gSchema, makeBatch(gSchema, [vectorStructColumn([new DenseVector(g.topicTotals)])]));
  // topicCounts: document vertices (id = row), then term vertices (id = −(1 + term))
  const ids: bigint[] = [];
  const vectors: DenseVector[] = [];
  for (let j = 0; j < g.docIds.length; j++) {
    ids.push(g.docIds[j]!);
    vectors.push(new DenseVector(g.docTopic.subarray(j * k, (j + 1) * k)));
  }
  for (let w = 0; w < vocabSize; w++) {
    if (!g.termPresent[w]) continue;
    ids.push(-BigInt(w + 1));
    vectors.push(new DenseVector(g.termTopic.subarray(w * k, (w + 1) * k)));
  }
  const vSchema = new arrow.Schema([new arrow.Field('id', Types.bigint(), false), new arrow.Field('topicWeights', Types.vectorStruct(), true)]);
  await writeMllibData(join(data, 'topicCounts'), vSchema, makeBatch(vSchema, [makePrimitive(Types.bigint(), BigInt64Array.from(ids), null) as AnyData, vectorStructColumn(vectors)], ids.length));
  // tokenCounts: one edge per (document, term)
  const m = g.terms.length;
  const src = new BigInt64Array(m);
  const dst = new BigInt64Array(m);
  for (let j = 0; j < g.docIds.length; j++) {
    for (let e = g.indptr[j]!; e < g.indptr[j + 1]!; e++) {
      src[e] = g.docIds[j]!;
      dst[e] = -BigInt(g.terms[e]! + 1);
    }
  }
  const eSchema = new arrow.Schema([new arrow.Field('srcId', Types.bigint(), false), new arrow.Field('dstId', Types.bigint(), false), new arrow.Field('tokenCounts', Types.double(), false)]);
  await writeMllibData(
    join(data, 'tokenCounts'),
    eSchema,
    makeBatch(eSchema, [makePrimitive(Types.bigint(), src, null) as AnyData, makePrimitive(Types.bigint(), dst, null) as AnyData, makePrimitive(Types.double(), g.counts.slice(), null) as AnyData], m),
  );
}

function rowsOf(table: arrow.Table): arrow.RecordBatch[] {
  return table.batches.filter((b) => b.numRows > 0);
}

function bigintAt(d: AnyData, i: number): bigint {
  const v = valueAt(d, i);
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number' && Number.isInteger(v)) return BigInt(v);
  throw Errors.load(`expected an integer id, got ${String(v)}`);
}

async function loadDistributed(path: string, md: Metadata, ctx: ReadContext): Promise<DistributedLDAModel> {
  const api = ctx.api;
  const old = join(path, 'oldModel');
  let names: string[];
  try {
    names = (await readdir(join(old, 'metadata'))).filter((n) => !n.startsWith('_') && !n.startsWith('.')).sort();
  } catch (e) {
    throw Errors.load(`${api}: the saved DistributedLDAModel at ${path} has no oldModel/metadata`, e);
  }
  if (names.length === 0) throw Errors.load(`${api}: no metadata file in ${join(old, 'metadata')}`);
  const line = (await readFile(join(old, 'metadata', names[0]!), 'utf8')).split(/\r?\n/).find((l) => l.trim() !== '') ?? '';
  const meta = parseSparkJson(line) as Record<string, unknown>;
  if (meta.class !== MLLIB_DISTRIBUTED || meta.version !== '1.0') {
    throw Errors.load(`${api}: DistributedLDAModel.load did not recognize model with (className, format version):(${String(meta.class)}, ${String(meta.version)}).  Supported: (${MLLIB_DISTRIBUTED}, 1.0)`);
  }
  const num = (v: unknown) => (typeof v === 'bigint' ? Number(v) : typeof v === 'string' && v === 'NaN' ? NaN : Number(v));
  const k = num(meta.k);
  const vocabSize = num(meta.vocabSize);
  const dc = (meta.docConcentration as unknown[]).map(num);
  const eta = num(meta.topicConcentration);
  const iterationTimes = ((meta.iterationTimes as unknown[]) ?? []).map(num);
  const gammaShape = meta.gammaShape === undefined ? GAMMA_SHAPE : num(meta.gammaShape);
  const data = join(old, 'data');
  const totalsTable = await readData(data, 'globalTopicTotals', api);
  const totals = vectorAt(columnOf(api, totalsTable, 'globalTopicTotals', path), 0);
  if (!totals || totals.size !== k) throw Errors.load(`${api}: globalTopicTotals at ${path} has ${totals?.size ?? 0} topics, the metadata says k = ${k}`);
  // vertices
  const docRows = new Map<bigint, Float64Array>();
  const termTopic = new Float64Array(vocabSize * k);
  const termPresent = new Uint8Array(vocabSize);
  for (const b of rowsOf(await readData(data, 'topicCounts', api))) {
    const idCol = b.data.children[b.schema.fields.findIndex((f) => f.name === 'id')]! as AnyData;
    const wCol = b.data.children[b.schema.fields.findIndex((f) => f.name === 'topicWeights')]! as AnyData;
    for (let i = 0; i < b.numRows; i++) {
      const id = bigintAt(idCol, i);
      const v = vectorAt(wCol, i)!.toArray();
      if (id >= 0n) docRows.set(id, v);
      else {
        const w = Number(-id - 1n);
        if (w >= vocabSize) throw Errors.load(`${api}: term vertex ${id} at ${path} is outside vocabSize ${vocabSize}`);
        termTopic.set(v, w * k);
        termPresent[w] = 1;
      }
    }
  }
  // edges, grouped by document id
  const edges = new Map<bigint, Array<[number, number]>>();
  for (const b of rowsOf(await readData(data, 'tokenCounts', api))) {
    const col = (n: string) => b.data.children[b.schema.fields.findIndex((f) => f.name === n)]! as AnyData;
    const s = col('srcId');
    const d = col('dstId');
    const c = col('tokenCounts');
    for (let i = 0; i < b.numRows; i++) {
      const id = bigintAt(s, i);
      const list = edges.get(id) ?? [];
      list.push([Number(-bigintAt(d, i) - 1n), Number(valueAt(c, i))]);
      edges.set(id, list);
    }
  }
  const docIds = [...docRows.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const indptr = new Int32Array(docIds.length + 1);
  const terms: number[] = [];
  const counts: number[] = [];
  const docTopic = new Float64Array(docIds.length * k);
  docIds.forEach((id, j) => {
    docTopic.set(docRows.get(id)!, j * k);
    for (const [w, n] of (edges.get(id) ?? []).sort((a, b) => a[0] - b[0])) {
      terms.push(w);
      counts.push(n);
    }
    indptr[j + 1] = terms.length;
  });
  const graph: EmGraphState = {
    k,
    vocabSize,
    docIds: BigInt64Array.from(docIds),
    indptr,
    terms: Int32Array.from(terms),
    counts: Float64Array.from(counts),
    docTopic,
    termTopic,
    termPresent,
    topicTotals: totals.toArray(),
    alpha: dc[0] ?? 50 / k + 1,
    eta,
    gammaShape,
    iterationTimes,
  };
  const model = new DistributedLDAModel(undefined, md.uid, graph);
  getAndSetParams(model, md, { api });
  model.session = modelSession(ctx);
  return model;
}

register(LDA_CLASS, LDA, { jsonKinds: JSON_KINDS });
register('org.apache.spark.ml.clustering.LocalLDAModel', LocalLDAModel, { jsonKinds: JSON_KINDS, save: saveLocal, load: loadLocal });
register('org.apache.spark.ml.clustering.DistributedLDAModel', DistributedLDAModel, { jsonKinds: JSON_KINDS, save: saveDistributed, load: loadDistributed });
