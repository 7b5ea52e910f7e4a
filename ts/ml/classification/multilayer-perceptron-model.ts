/**
 * MultilayerPerceptronClassificationModel (Spark 3.x): `weights` in Spark's layout
 * (multilayer-perceptron-topology.ts), `layers` a param as in Spark 3 (numFeatures = layers[0],
 * numClasses = layers[last]); rawPrediction = the output layer before softmax, probability = its
 * softmax, prediction by Spark's default rules (mlpScoring in multilayer-perceptron-tasks.ts); the
 * training summary (multilayer-perceptron-summary.ts). Persistence is Spark's: metadata with the
 * params (a set initialWeights as Spark's vector JSON) and `data/` one row `weights` (VectorUDT);
 * Spark 2.x's layout (`layers`, `weights` columns) loads too.
 */
import * as arrow from 'apache-arrow';
import { Errors, KindlingError } from '../../src/errors.js';
import { makeBatch, type AnyData } from '../../src/dataframe/batch.js';
import { denseVectorColumn, vectorAt } from '../linalg/columns.js';
import { DenseVector, isVector, SparseVector, Vectors, type Vector } from '../linalg/vectors.js';
import { MLWritable } from '../ml-writable.js';
import type { Params, ParamMap } from '../param/params.js';
import { encodeParamFor, getAndSetParams, readData, register, writeData, writeMetadata, type Metadata, firstRow } from '../persist.js';
import { ProbabilisticClassificationModelMixin } from '../predictor/prediction-models.js';
import { Model } from '../stage.js';
import { trainingSummaryOf } from '../clustering/clustering-summary.js';
import { MultilayerPerceptronParamsMixin, type MultilayerPerceptronParamsOptions } from './multilayer-perceptron-params.js';
import { mlpScoring } from './multilayer-perceptron-tasks.js';
import { mlpWeightSize } from './multilayer-perceptron-topology.js';
import { ClassificationTrainingSummary } from './classification-summary.js';

/** Spark's MultilayerPerceptronClassificationTrainingSummary. */
export class MultilayerPerceptronClassificationTrainingSummary extends ClassificationTrainingSummary {}

export interface MultilayerPerceptronClassificationModelOptions extends MultilayerPerceptronParamsOptions {
  /** The weights, Spark's layout; their number must match layers. */
  weights?: Vector | readonly number[];
}

/** The weights checked against the layers (`api`: who asks; `what`: the param's name). */
export function checkWeights(api: string, what: string, layers: readonly number[], w: ArrayLike<number>): void {
  const size = mlpWeightSize(layers);
  if (w.length !== size) {
    throw Errors.invalidArg(api, what, `a vector of ${size} weights for layers [${layers.join(', ')}] (per layer: the out x in weight matrix column-major, then the out biases)`, `a vector of size ${w.length}`);
  }
  for (let i = 0; i < w.length; i++) if (!Number.isFinite(w[i]!)) throw Errors.invalidArg(api, what, 'finite numbers', `${w[i]} at index ${i}`);
}

export class MultilayerPerceptronClassificationModel extends MLWritable(ProbabilisticClassificationModelMixin(MultilayerPerceptronParamsMixin(Model))) {
  private w: Float64Array = new Float64Array(0);
  private trainingSummary: MultilayerPerceptronClassificationTrainingSummary | null = null;

  constructor(options?: MultilayerPerceptronClassificationModelOptions, uid?: string) {
    super(uid);
    const { weights, ...params } = options ?? {};
    this.setParams(params as Record<string, unknown>);
    if (weights !== undefined) {
      const api = this.stageName;
      if (!this.isDefined(this.layers)) throw Errors.invalidArg(api, 'layers', 'the layers of the network (weights need them)', undefined);
      if (!(isVector(weights) || (Array.isArray(weights) && weights.every((v) => typeof v === 'number')))) throw Errors.invalidArg(api, 'weights', 'a Vector or an array of numbers', weights);
      const w = isVector(weights) ? weights.toArray() : Float64Array.from(weights as number[]);
      checkWeights(api, 'weights', this.getLayers(), w);
      this.w = w;
    }
  }

  /** @internal */
  setWeights(w: Float64Array): this {
    this.w = w;
    return this;
  }

  /** @internal */
  setSummary(s: MultilayerPerceptronClassificationTrainingSummary | null): this {
    this.trainingSummary = s;
    return this;
  }

  /** The weights of the layers, Spark's layout. */
  get weights(): DenseVector {
    return new DenseVector(this.w.slice());
  }

  override get numFeatures(): number {
    return this.w.length === 0 ? 0 : this.getLayers()[0]!;
  }

  override get numClasses(): number {
    return this.w.length === 0 ? 0 : this.getLayers().at(-1)!;
  }

  get hasSummary(): boolean {
    return this.trainingSummary !== null;
  }

  get summary(): MultilayerPerceptronClassificationTrainingSummary {
    return trainingSummaryOf(this, this.trainingSummary);
  }

  override scoringOf() {
    return { scoring: mlpScoring, state: { layers: this.getLayers(), weights: this.w } };
  }

  override copy(extra?: ParamMap): this {
    const Ctor = this.constructor as new (o?: unknown, uid?: string) => this;
    const that = this.copyValues(new Ctor(undefined, this.uid), extra);
    that.setWeights(this.w).setSummary(this.trainingSummary);
    return that.setParent(this.parent);
  }

  override toString(): string {
    return `MultilayerPerceptronClassificationModel: uid=${this.uid}, numLayers=${this.isDefined(this.layers) ? this.getLayers().length : 0}, numClasses=${this.numClasses}, numFeatures=${this.numFeatures}`;
  }
}

// ----- persistence ---------------------------------------------------------------------------------

/** Spark's JSON of a Vector param value ({"type":1,"values":[…]} / {"type":0,"size":…,"indices":…,"values":…}). */
function vectorParamJson(v: Vector): unknown {
  if (v instanceof SparseVector) return { type: 0, size: v.size, indices: Int32Array.from(v.indices), values: Float64Array.from(v.values) };
  return { type: 1, values: Float64Array.from(v.toArray()) };
}

/** Metadata with initialWeights written as Spark's vector JSON. */
export async function writeMlpMetadata(stage: Params, path: string, api: string): Promise<void> {
  const { paramMap, defaultParamMap } = stage.paramValues();
  const enc = (m: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(m).map(([k, v]) => [k, k === 'initialWeights' ? vectorParamJson(v as Vector) : encodeParamFor(api, stage, stage.getParam(k), v)]));
  await writeMetadata(stage, path, { api }, { paramMap: enc(paramMap), defaultParamMap: enc(defaultParamMap) });
}

/** Params from metadata, initialWeights parsed from Spark's vector JSON. */
export function setMlpParams(stage: Params & { set(p: unknown, v: unknown): unknown }, md: Metadata, api: string): void {
  getAndSetParams(stage, md, { api, skipParams: ['initialWeights'] });
  const raw = md.paramMap.initialWeights;
  if (raw === undefined) return;
  let v: Vector;
  try {
    v = Vectors.fromJson(typeof raw === 'string' ? raw : JSON.stringify(raw, (_k, x) => (typeof x === 'bigint' ? Number(x) : x)));
  } catch {
    throw Errors.load(`${api}: cannot set param initialWeights of ${md.uid} from ${md.path}: expected a vector JSON value, got ${JSON.stringify(raw)}`);
  }
  stage.set(stage.getParam('initialWeights'), v);
}

register('org.apache.spark.ml.classification.MultilayerPerceptronClassificationModel', MultilayerPerceptronClassificationModel, {
  save: async (m, path, ctx) => {
    if (m.numFeatures === 0) throw new KindlingError('ERR_KINDLING_NOT_FITTED', `${ctx.api}: ${m.uid} has no weights to save`);
    await writeMlpMetadata(m, path, ctx.api);
    const w = m.weights.toArray();
    const col = denseVectorColumn(w, w.length);
    const schema = new arrow.Schema([new arrow.Field('weights', col.type, true)]);
    await writeData(path, { schema, batches: [makeBatch(schema, [col], 1)] });
  },
  load: async (path, md, ctx) => {
    const m = new MultilayerPerceptronClassificationModel(undefined, md.uid);
    setMlpParams(m, md, ctx.api);
    const table = await readData(path, 'data', ctx.api);
    const row = firstRow(table, ctx.api, path, 'model');
    const col = (n: string) => {
      const i = row.schema.fields.findIndex((f) => f.name === n);
      return i < 0 ? null : (row.data.children[i] as AnyData);
    };
    const wc = col('weights');
    const w = wc ? vectorAt(wc, 0) : null;
    if (!w) throw Errors.load(`${ctx.api}: the model data at ${path} has no weights`);
    // Spark 2.x kept layers in data/
    const lc = col('layers');
    if (md.version[0] < 3 && lc) {
      const lv = lc.children[0]!;
      const off = (lc.valueOffsets as Int32Array)[0]!;
      const end = (lc.valueOffsets as Int32Array)[1]!;
      m.setLayers(Array.from((lv.values as Int32Array).subarray(lv.offset + off, lv.offset + end)));
    }
    if (!m.isDefined(m.layers)) throw Errors.load(`${ctx.api}: the model at ${path} has no layers`);
    const weights = w.toArray();
    try {
      checkWeights(ctx.api, 'weights', m.getLayers(), weights);
    } catch (err) {
      throw Errors.load(`${ctx.api}: the model at ${path}: ${(err as Error).message}`);
    }
    return m.setWeights(weights);
  },
});
