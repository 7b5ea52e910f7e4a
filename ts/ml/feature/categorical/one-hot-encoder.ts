/**
 * OneHotEncoder (Spark 3's ml.feature.OneHotEncoder): maps category indices to binary
 * SparseVectors with at most one 1.0.
 *
 *   - fit: categorySizes per input column — from the input column's ML attribute when it tells
 *     (a NominalAttribute's values or numValues, a BinaryAttribute: 2), else max index + 1 from
 *     the data (a summary on the executors; every value must be a non-negative integer: a null,
 *     NaN, negative or fractional value fails naming the row, the column and the value).
 *   - transform: vector size categorySize - 1 with dropLast (default true), + 1 for the invalid
 *     category with handleInvalid 'keep' (both: categorySize; the invalid one is then the dropped
 *     last); index v → SparseVector(size, [v], [1.0]), the dropped category → all zeros.
 *     handleInvalid 'error' (default) fails on a null, NaN, negative, fractional or unseen
 *     (>= categorySize) value naming it, the column and the row; 'keep' encodes them as the
 *     invalid category. (Spark truncates a fractional value and passes a null through as null;
 *     kindling treats both as invalid.)
 *   - output metadata: an AttributeGroup of BinaryAttributes named, as Spark, by the input's
 *     nominal values when it has them, else "0", "1", … (plus "invalidValues" when kept and not
 *     dropped); VectorAssembler later prefixes them with the column name (`<col>_<value>`).
 *   - persistence: org.apache.spark.ml.feature.OneHotEncoder / OneHotEncoderModel, model data
 *     `categorySizes` (array<int>).
 */
import * as arrow from 'apache-arrow';
import { Errors } from '../../../src/errors.js';
import { fromValues, makeBatch, valueAt } from '../../../src/dataframe/batch.js';
import type { DataFrame } from '../../../src/dataframe/dataframe.js';
import { Types } from '../../../src/dataframe/types.js';
import { AttributeGroup, BinaryAttribute, NominalAttribute, NumericAttribute, attributeOf } from '../../attribute/attributes.js';
import { aggregateRows } from '../../data/checked-summary.js';
import { checkNumeric } from '../../data/schema-checks.js';
import { MLWritable } from '../../ml-writable.js';
import { getAndSetParams, readData, register, writeData, writeMetadata } from '../../persist.js';
import { Estimator, Model, type FitOptions } from '../../stage.js';
import { OneHotEncoderParamsMixin, type OneHotEncoderParamsOptions } from './categorical-params.js';
import { appendOutputs, columnPairs, type ColumnPair } from './categorical-columns.js';
import { oneHotMaxes, oneHotTransform } from './one-hot-encoder-tasks.js';

export type OneHotEncoderOptions = OneHotEncoderParamsOptions;

/** Spark's genOutputAttrNames: the category names an input column's attribute gives (undefined: unknown). */
function attrNames(api: string, field: arrow.Field): string[] | undefined {
  const a = attributeOf(field);
  if (a instanceof NominalAttribute) return a.values ?? (a.numValues !== undefined ? Array.from({ length: a.numValues }, (_, i) => String(i)) : undefined);
  if (a instanceof BinaryAttribute) return a.values ?? ['0', '1'];
  if (a instanceof NumericAttribute) throw Errors.schema(`${api}: The input column ${field.name} cannot be continuous-value (its ml_attr metadata is numeric).`);
  return undefined;
}

/** The output names with dropLast / keepInvalid applied (Spark's createAttrGroupForAttrNames). */
function outputNames(names: string[], dropLast: boolean, keepInvalid: boolean): string[] {
  if (dropLast && !keepInvalid) return names.slice(0, -1);
  if (!dropLast && keepInvalid) return [...names, 'invalidValues'];
  return names;
}

function binaryGroup(name: string, names: string[]): AttributeGroup {
  return new AttributeGroup(name, names.map((n) => new BinaryAttribute({ name: n })));
}

function inputFields(api: string, schema: arrow.Schema, pairs: ColumnPair[]): arrow.Field[] {
  return pairs.map((p) => schema.fields[checkNumeric(api, schema, 'inputCol', p.input)]!);
}

export class OneHotEncoder extends MLWritable(OneHotEncoderParamsMixin(Estimator<OneHotEncoderModel>)) {
  constructor(options?: OneHotEncoderOptions, uid?: string) {
    super(uid);
    this.setParams(options as Record<string, unknown> | undefined);
  }

  transformSchema(schema: arrow.Schema): arrow.Schema {
    const pairs = columnPairs(this.stageName, this);
    const fields = inputFields(this.stageName, schema, pairs);
    const keep = this.getHandleInvalid() === 'keep';
    return appendOutputs(this.stageName, schema, pairs.map((p, k) => {
      const names = attrNames(this.stageName, fields[k]!);
      return names ? binaryGroup(p.output, outputNames(names, this.getDropLast(), keep)).toField(Types.vectorStruct()) : new arrow.Field(p.output, Types.vectorStruct(), true);
    }));
  }

  protected async fitImpl(df: DataFrame, _options: FitOptions): Promise<OneHotEncoderModel> {
    const api = `${this.stageName}.fit`;
    const pairs = columnPairs(this.stageName, this);
    const fields = inputFields(api, df.schema, pairs);
    const sizes = fields.map((f) => attrNames(api, f)?.length ?? -1);
    const scan = pairs.map((p) => p.input).filter((_, k) => sizes[k]! < 0);
    if (scan.length > 0) {
      const { value: maxes } = await aggregateRows(api, df, oneHotMaxes, scan, { api, inputs: scan });
      let j = 0;
      sizes.forEach((s, k) => {
        // Spark's getOutputAttrGroupFromData folds the maxima from a zero array, so no rows give size 1
        if (s < 0) sizes[k] = Math.max(maxes[j++]!, 0) + 1;
      });
    }
    const model = new OneHotEncoderModel({ categorySizes: sizes }, this.uid);
    this.copyValues(model);
    return model;
  }
}

export class OneHotEncoderModel extends MLWritable(OneHotEncoderParamsMixin(Model)) {
  /** The number of categories of each input column (without dropLast / handleInvalid). */
  categorySizes: number[];

  constructor(state?: { categorySizes: readonly number[] } & OneHotEncoderOptions, uid?: string) {
    super(uid);
    this.categorySizes = [...(state?.categorySizes ?? [])];
    if (state) {
      const { categorySizes: _c, ...opts } = state;
      this.setParams(opts as Record<string, unknown>);
    }
  }

  override copy(extra?: Parameters<Model['copy']>[0]): this {
    const that = super.copy(extra);
    that.categorySizes = this.categorySizes;
    that.parent = this.parent;
    return that;
  }

  /** Spark's getConfigedCategorySizes: the output vector sizes. */
  private configedSizes(): number[] {
    const dropLast = this.getDropLast();
    const keep = this.getHandleInvalid() === 'keep';
    return this.categorySizes.map((s) => (!dropLast && keep ? s + 1 : dropLast && !keep ? s - 1 : s));
  }

  private outputFields(schema: arrow.Schema): { pairs: ColumnPair[]; fields: arrow.Field[] } {
    const api = this.stageName;
    const pairs = columnPairs(api, this);
    if (pairs.length !== this.categorySizes.length) throw Errors.schema(`${api}: The number of input columns ${pairs.length} must be the same as the number of features ${this.categorySizes.length} during fitting.`);
    const ins = inputFields(api, schema, pairs);
    const keep = this.getHandleInvalid() === 'keep';
    const configed = this.configedSizes();
    const fields = pairs.map((p, k) => {
      const names = attrNames(api, ins[k]!);
      const out = outputNames(names ?? Array.from({ length: this.categorySizes[k]! }, (_, i) => String(i)), this.getDropLast(), keep);
      if (names && out.length !== configed[k]) {
        throw Errors.schema(`${api}: OneHotEncoderModel expected ${configed[k]} categorical values for input column ${p.input}, but the input column had metadata specifying ${out.length} values.`);
      }
      return binaryGroup(p.output, out).toField(Types.vectorStruct());
    });
    return { pairs, fields };
  }

  transformSchema(schema: arrow.Schema): arrow.Schema {
    return appendOutputs(this.stageName, schema, this.outputFields(schema).fields);
  }

  protected transformImpl(df: DataFrame): DataFrame {
    const { pairs, fields } = this.outputFields(df.schema);
    const schema = appendOutputs(this.stageName, df.schema, fields);
    return df.mapInArrow(oneHotTransform, schema, {
      api: `${this.stageName}.transform`, inputs: pairs.map((p) => p.input), categorySizes: this.categorySizes, sizes: this.configedSizes(),
      keepInvalid: this.getHandleInvalid() === 'keep', outputs: fields.map((f) => ({ name: f.name, metadata: [...f.metadata] })),
    });
  }
}

const SIZES = new arrow.List(new arrow.Field('element', new arrow.Int32(), false));

register('org.apache.spark.ml.feature.OneHotEncoder', OneHotEncoder);
register('org.apache.spark.ml.feature.OneHotEncoderModel', OneHotEncoderModel, {
  async save(model, path, ctx) {
    await writeMetadata(model, path, ctx);
    const schema = new arrow.Schema([new arrow.Field('categorySizes', SIZES, true)]);
    await writeData(path, { schema, batches: [makeBatch(schema, [fromValues(SIZES, [model.categorySizes])], 1)] });
  },
  async load(path, metadata, ctx) {
    const table = await readData(path, 'data', ctx.api);
    const batch = table.batches.find((b) => b.numRows > 0);
    const i = batch ? batch.schema.fields.findIndex((f) => f.name === 'categorySizes') : -1;
    const sizes = i >= 0 ? valueAt(batch!.data.children[i]!, 0) : undefined;
    if (!Array.isArray(sizes) || sizes.some((s) => !Number.isInteger(Number(s)) || Number(s) < 0)) throw Errors.load(`${ctx.api}: the OneHotEncoderModel at ${path} has no categorySizes data row`);
    const model = new OneHotEncoderModel({ categorySizes: sizes.map(Number) }, metadata.uid);
    getAndSetParams(model, metadata, { api: ctx.api });
    return model;
  },
});
