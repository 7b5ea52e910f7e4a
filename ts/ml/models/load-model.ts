/**
 * loadModel: an MLflow model directory (saveModel's, a custom model's, or a Spark-flavor model)
 * named by a model URI (model-uri.ts) as one object: `predict(rows | MLflow input | DataFrame)`,
 * `metadata` (the MLmodel file), `signature`, `asUdf()`.
 *
 * predict takes one of two paths. Row path (row-path.ts): a model with a per-row form (the
 * clustering models' `predict(features)`, or a PipelineModel of VectorAssembler,
 * StandardScalerModel and such a model) scores the rows in place, with no DataFrame, which is
 * what keeps serving fast. DataFrame path, for every other model: the
 * rows become a DataFrame typed by the signature (signature.ts `arrowTypeOf`) and go through the
 * model's transform on the executors. Both return one value per row when the signature has one
 * output (the column the model appends, as mlflow.spark's pyfunc returns its prediction column).
 */
import { join } from 'node:path';
import * as arrow from 'apache-arrow';
import { Errors } from '../../src/errors.js';
import { registerModelUdfLoader } from '../../src/model-udf.js';
import { DataFrame } from '../../src/dataframe/dataframe.js';
import { Session } from '../../src/session.js';
import { Types } from '../../src/dataframe/types.js';
import { isVector, type Vector } from '../linalg/vectors.js';
import { loadStage } from '../persist.js';
import { PipelineModel } from '../pipeline.js';
import { Transformer } from '../stage.js';
import { loadCustomModel, type CustomModelHandle } from './custom-model.js';
import { loadableFlavor, readMLmodel } from './mlmodel.js';
import { resolveModelUri } from './model-uri.js';
import { rowPredictor } from './row-path.js';
import { enforceSignature, parseScoringInput, type TableInput } from './scoring-input.js';
import { arrowTypeOf, type ModelSignature } from './signature.js';

export interface LoadModelOptions {
  /** The session DataFrame scoring runs on (default: the active session, or a new `local` one). */
  session?: Session;
}

/** A dense vector column when every row is a list of one length (what VectorAssembler's 'keep' needs), else Spark's vector struct. */
function vectorTypeOf(values: unknown[]): arrow.DataType {
  const d = Array.isArray(values[0]) ? values[0].length : -1;
  return d > 0 && values.every((v) => Array.isArray(v) && v.length === d) ? Types.vector(d) : arrowTypeOf({ type: 'sparkml_vector' });
}

export class LoadedModel {
  private readonly rows: ((t: TableInput) => unknown[]) | null;
  /**
   * The signature requests are parsed and checked with: the saved one, or for a row-path model
   * saved without one, its features column as a vector (so `instances: [[…], …]` still works).
   */
  readonly inputSignature: ModelSignature | null;

  constructor(
    /** The model directory. */
    readonly path: string,
    /** The MLmodel file as read. */
    readonly metadata: Record<string, unknown>,
    readonly signature: ModelSignature | null,
    readonly flavor: string,
    /** The kindling model (kindling and spark flavors). */
    readonly model: Transformer | null,
    private readonly custom: CustomModelHandle | null,
    private readonly session: Session | undefined,
  ) {
    this.rows = model ? rowPredictor(model) : null;
    const featuresCol = (model as { getFeaturesCol?: () => string } | null)?.getFeaturesCol;
    this.inputSignature = signature ?? (this.rows && !(model instanceof PipelineModel) && typeof featuresCol === 'function'
      ? { inputs: [{ type: 'sparkml_vector', name: featuresCol.call(model), required: true }], outputs: [] }
      : null);
  }

  /** Whether predictTable scores rows without a DataFrame (see the module comment). */
  get hasRowPath(): boolean {
    return this.rows !== null || this.custom !== null;
  }

  /** The predictions of rows given as records, an MLflow input object, or a DataFrame. */
  async predict(input: ReadonlyArray<Record<string, unknown>> | Record<string, unknown> | DataFrame): Promise<unknown[]> {
    if (input instanceof DataFrame) return this.predictFrame(input);
    const body = Array.isArray(input) ? { dataframe_records: input } : input;
    return this.predictTable(enforceSignature(parseScoringInput(body, this.inputSignature), this.inputSignature));
  }

  /** The predictions of a checked table (scoring-input.ts): the row path when there is one. */
  async predictTable(t: TableInput): Promise<unknown[]> {
    const fast = this.predictRowsSync(t);
    if (fast !== null) return fast;
    if (this.custom) return this.custom.predict(t.data.map((row) => Object.fromEntries(t.columns.map((c, j) => [c, row[j]]))));
    const spark = this.session ?? (await Session.builder().appName('kindling-models').master('local').getOrCreate());
    const schema = new arrow.Schema(t.columns.map((c, j) => {
      const spec = this.signature?.inputs.find((s) => s.name === c);
      if (!spec) throw Errors.schema(`${this.api}: column ${c} has no type: the model has no signature, so rows can only be scored by a model with a per-row predict; pass a DataFrame`);
      return new arrow.Field(c, spec.type === 'sparkml_vector' ? vectorTypeOf(t.data.map((row) => row[j])) : arrowTypeOf(spec), true);
    }));
    return this.predictFrame(spark.createDataFrame(t.data, schema));
  }

  /** The row path (null when the model has none): one prediction per row, computed on this thread. */
  predictRowsSync(t: TableInput): unknown[] | null {
    return this.rows === null ? null : this.rows(t);
  }

  private get api(): string {
    return `loadModel(${this.path}).predict`;
  }

  private outputName(df: DataFrame, out: DataFrame): string {
    const before = df.schema.names as string[];
    const added = (out.schema.names as string[]).filter((n) => !before.includes(n));
    return added[added.length - 1]!;
  }

  private async predictFrame(df: DataFrame): Promise<unknown[]> {
    const out = this.asUdf()(df);
    const name = this.outputName(df, out);
    return (await out.select(name).collect()).map((r) => (isVector(r[name]) ? Array.from((r[name] as Vector).toArray()) : r[name]));
  }

  /**
   * A function from a DataFrame to the same DataFrame plus the model's output column, computed on
   * the executors: a kindling model's transform runs its own tasks; a custom model runs the
   * built-in task models.score, which loads the model in each executor thread by its path.
   */
  asUdf(): (df: DataFrame) => DataFrame {
    return (df: DataFrame) => {
      if (!(df instanceof DataFrame)) throw Errors.invalidArg(`${this.api} (asUdf)`, 'df', 'a DataFrame', df);
      if (this.custom) return this.custom.udf(df, this.path, this.signature);
      const out = this.model!.transform(df);
      return out.select(...(df.schema.names as string[]), this.outputName(df, out));
    };
  }
}

/** Loads the model a URI names: a path, a `file:` URL, or a scheme a store registered (runs:/, models:/). */
export async function loadModel(uri: string, options: LoadModelOptions = {}): Promise<LoadedModel> {
  const api = 'loadModel';
  const dir = await resolveModelUri(uri);
  const m = await readMLmodel(dir, api);
  const flavor = loadableFlavor(dir, m, api);
  if (flavor === 'node_function' && m.flavors.node_function!.model_module !== undefined) {
    return new LoadedModel(dir, m.raw, m.signature, flavor, null, await loadCustomModel(dir, m.flavors.node_function!), options.session);
  }
  const f = m.flavors[flavor]!;
  const data = flavor === 'node_function' ? f.data : f.model_data;
  if (typeof data !== 'string' || data === '') throw Errors.load(`${api}: ${join(dir, 'MLmodel')}: flavor ${flavor} names no model data (${flavor === 'node_function' ? 'data' : 'model_data'})`);
  const stage = await loadStage(join(dir, data), { api, session: options.session ?? null });
  if (!(stage instanceof Transformer)) throw Errors.load(`${api}: ${join(dir, data)} holds ${stage.constructor.name}, not a fitted model`);
  return new LoadedModel(dir, m.raw, m.signature, flavor, stage, null, options.session);
}

// spark.udf.fromModel(uri) (ts/src/model-udf.ts) loads through loadModel once kindling/ml is imported
registerModelUdfLoader(async (uri) => (await loadModel(uri)).asUdf());
