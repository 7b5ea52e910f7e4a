/**
 * VectorIndexer (Spark's ml.feature.VectorIndexer): decides which features of a vector column
 * are categorical and maps their values to category indices.
 *
 *   - fit: the distinct values of each feature, capped at maxCategories + 1 (a summary on the
 *     executors); a feature with at most maxCategories (default 20) distinct values is
 *     categorical. Its values are indexed in ascending order, except that 0.0, when present,
 *     always gets index 0 (Spark keeps sparsity so). NaN is not a category (at transform it is an
 *     invalid value). A null vector, or vectors of different sizes, fail naming the row.
 *   - transform: categorical features' values → their index; continuous features unchanged;
 *     dense stays dense, sparse stays sparse (only stored entries are mapped, as Spark).
 *     handleInvalid (a value not seen at fit, NaN, or a null vector): 'error' (default) fails
 *     naming the row, the value and the feature index; 'skip' drops the row; 'keep' gives the
 *     value the index categoryMap.size (a null vector stays null).
 *   - output metadata (Spark's prepOutputField): an AttributeGroup; a categorical feature is a
 *     NominalAttribute (isOrdinal false, values = its raw values as Java's Double.toString, plus
 *     "__unknown" under 'keep') or a BinaryAttribute when it has exactly two values (and not
 *     'keep'); continuous features are numeric. Names of the input's attributes carry over.
 *   - persistence: org.apache.spark.ml.feature.VectorIndexer / VectorIndexerModel; model data
 *     `numFeatures` (int), `categoryMaps` (map<int, map<double, int>>).
 */
import * as arrow from 'apache-arrow';
import { Errors } from '../../../src/errors.js';
import { fromValues, makeBatch, valueAt } from '../../../src/dataframe/batch.js';
import type { DataFrame } from '../../../src/dataframe/dataframe.js';
import { javaDoubleString } from '../../../src/io/text-common/java-format.js';
import { AttributeGroup, BinaryAttribute, NominalAttribute, NumericAttribute, type Attribute } from '../../attribute/attributes.js';
import { aggregateRows } from '../../data/checked-summary.js';
import { checkVector } from '../../data/schema-checks.js';
import { MLWritable } from '../../ml-writable.js';
import { getAndSetParams, readData, register, writeData, writeMetadata } from '../../persist.js';
import { Estimator, Model, type FitOptions } from '../../stage.js';
import { VectorIndexerParamsMixin, type VectorIndexerParamsOptions } from './categorical-params.js';
import { appendOutputs } from './categorical-columns.js';
import { indexerSizeMismatch, vectorIndexerStats, vectorIndexerTransform } from './vector-indexer-tasks.js';

export type VectorIndexerOptions = VectorIndexerParamsOptions;
/** Feature index → (value → category index). */
export type CategoryMaps = Map<number, Map<number, number>>;

/** Spark's getCategoryMaps: features with at most maxCategories values, 0.0 first, then ascending. */
export function categoryMapsOf(sets: readonly number[][], maxCategories: number): CategoryMaps {
  const maps: CategoryMaps = new Map();
  sets.forEach((set, j) => {
    if (set.length > maxCategories) return;
    const sorted = set.filter((v) => v !== 0).sort((a, b) => a - b);
    if (sorted.length < set.length) sorted.unshift(0);
    maps.set(j, new Map(sorted.map((v, i) => [v, i])));
  });
  return maps;
}

function outputType(api: string, schema: arrow.Schema, inputCol: string): arrow.DataType {
  return schema.fields[checkVector(api, schema, 'inputCol', inputCol)]!.type;
}

export class VectorIndexer extends MLWritable(VectorIndexerParamsMixin(Estimator<VectorIndexerModel>)) {
  constructor(options?: VectorIndexerOptions, uid?: string) {
    super(uid);
    this.setParams(options as Record<string, unknown> | undefined);
  }

  transformSchema(schema: arrow.Schema): arrow.Schema {
    return appendOutputs(this.stageName, schema, [new arrow.Field(this.getOutputCol(), outputType(this.stageName, schema, this.getInputCol()), true)]);
  }

  protected async fitImpl(df: DataFrame, _options: FitOptions): Promise<VectorIndexerModel> {
    const api = `${this.stageName}.fit`;
    const inputCol = this.getInputCol();
    const maxCategories = this.getMaxCategories();
    const { value: sets, size } = await aggregateRows(api, df, vectorIndexerStats, [inputCol], { inputCol, maxCategories }, indexerSizeMismatch);
    if (size < 0) throw Errors.schema(`${api}: the DataFrame has no rows to fit on (VectorIndexer needs the vectors' size)`);
    const model = new VectorIndexerModel({ numFeatures: size, categoryMaps: categoryMapsOf(sets, maxCategories) }, this.uid);
    this.copyValues(model);
    return model;
  }
}

export class VectorIndexerModel extends MLWritable(VectorIndexerParamsMixin(Model)) {
  numFeatures: number;
  /** Feature index → (value → category index); features not in it are continuous. */
  categoryMaps: CategoryMaps;

  constructor(state?: { numFeatures: number; categoryMaps: CategoryMaps } & VectorIndexerOptions, uid?: string) {
    super(uid);
    this.numFeatures = state?.numFeatures ?? 0;
    this.categoryMaps = state?.categoryMaps ?? new Map();
    if (state) {
      const { numFeatures: _n, categoryMaps: _c, ...opts } = state;
      this.setParams(opts as Record<string, unknown>);
      for (const j of this.categoryMaps.keys()) {
        if (!(Number.isInteger(j) && j >= 0 && j < this.numFeatures)) throw Errors.invalidArg(this.stageName, 'categoryMaps', `feature indices in [0, ${this.numFeatures}) (numFeatures)`, j);
      }
    }
  }

  override copy(extra?: Parameters<Model['copy']>[0]): this {
    const that = super.copy(extra);
    that.numFeatures = this.numFeatures;
    that.categoryMaps = this.categoryMaps;
    that.parent = this.parent;
    return that;
  }

  /** Spark's partialFeatureAttributes plus the input's attribute names (prepOutputField). */
  private outputField(schema: arrow.Schema): arrow.Field {
    const api = this.stageName;
    const input = schema.fields[checkVector(api, schema, 'inputCol', this.getInputCol())]!;
    const orig = AttributeGroup.fromField(input);
    if (orig.size >= 0 && orig.size !== this.numFeatures) throw Errors.schema(`${api}: VectorIndexerModel expected ${this.numFeatures} features, but input column ${input.name} had metadata specifying ${orig.size} features.`);
    const keep = this.getHandleInvalid() === 'keep';
    const attrs: Attribute[] = Array.from({ length: this.numFeatures }, (_, j): Attribute => {
      const name = orig.attributes?.[j]?.name;
      const map = this.categoryMaps.get(j);
      if (!map) return orig.attributes?.[j] && !(orig.attributes[j] instanceof NumericAttribute) ? orig.attributes[j]! : new NumericAttribute({ name, index: j });
      const raw = [...map.keys()].sort((a, b) => a - b).map(javaDoubleString);
      const values = keep ? [...raw, '__unknown'] : raw;
      return values.length === 2 && !keep ? new BinaryAttribute({ name, index: j, values }) : new NominalAttribute({ name, index: j, isOrdinal: false, values });
    });
    return new AttributeGroup(this.getOutputCol(), attrs).toField(input.type);
  }

  transformSchema(schema: arrow.Schema): arrow.Schema {
    return appendOutputs(this.stageName, schema, [this.outputField(schema)]);
  }

  protected transformImpl(df: DataFrame): DataFrame {
    const field = this.outputField(df.schema);
    const schema = appendOutputs(this.stageName, df.schema, [field]);
    const features = [...this.categoryMaps.keys()].sort((a, b) => a - b);
    return df.mapInArrow(vectorIndexerTransform, schema, {
      api: `${this.stageName}.transform`, inputCol: this.getInputCol(), outputCol: field.name, numFeatures: this.numFeatures, mode: this.getHandleInvalid(), features,
      values: features.map((j) => [...this.categoryMaps.get(j)!.keys()]), indices: features.map((j) => [...this.categoryMaps.get(j)!.values()]), metadata: [...field.metadata],
    });
  }
}

const entries = (k: arrow.DataType, v: arrow.DataType) => new arrow.Map_(new arrow.Field('entries', new arrow.Struct([new arrow.Field('key', k, false), new arrow.Field('value', v, true)]) as never, false), false);
const CATEGORY_MAPS = entries(new arrow.Int32(), entries(new arrow.Float64(), new arrow.Int32()));

register('org.apache.spark.ml.feature.VectorIndexer', VectorIndexer);
register('org.apache.spark.ml.feature.VectorIndexerModel', VectorIndexerModel, {
  async save(model, path, ctx) {
    await writeMetadata(model, path, ctx);
    const schema = new arrow.Schema([new arrow.Field('numFeatures', new arrow.Int32(), false), new arrow.Field('categoryMaps', CATEGORY_MAPS, true)]);
    await writeData(path, { schema, batches: [makeBatch(schema, [fromValues(new arrow.Int32(), [model.numFeatures]), fromValues(CATEGORY_MAPS, [model.categoryMaps])], 1)] });
  },
  async load(path, metadata, ctx) {
    const table = await readData(path, 'data', ctx.api);
    const batch = table.batches.find((b) => b.numRows > 0);
    const col = (name: string) => (batch ? batch.schema.fields.findIndex((f) => f.name === name) : -1);
    if (!batch || col('numFeatures') < 0 || col('categoryMaps') < 0) throw Errors.load(`${ctx.api}: the VectorIndexerModel at ${path} has no numFeatures/categoryMaps data row`);
    const numFeatures = Number(valueAt(batch.data.children[col('numFeatures')]!, 0));
    const raw = valueAt(batch.data.children[col('categoryMaps')]!, 0) as Iterable<[number, Iterable<[number, number]>]> | null;
    const categoryMaps: CategoryMaps = new Map();
    for (const [j, m] of raw ?? []) categoryMaps.set(Number(j), new Map([...m].map(([v, i]) => [Number(v), Number(i)])));
    const model = new VectorIndexerModel({ numFeatures, categoryMaps }, metadata.uid);
    getAndSetParams(model, metadata, { api: ctx.api });
    return model;
  },
});
