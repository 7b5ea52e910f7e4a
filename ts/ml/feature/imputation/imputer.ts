/**
 * Imputer (Spark 3's ml.feature.Imputer): completes missing values of numeric columns with the
 * mean, the median or the most frequent value of each column.
 *
 *   - columns: inputCol/outputCol, or inputCols/outputCols (exactly one of inputCol and
 *     inputCols, as Spark's checkSingleVsMultiColumnParams); any numeric type.
 *   - fit (imputer-tasks.ts, one pass on the executors): null, NaN and missingValue (default NaN)
 *     are missing and left out; strategy mean (default) = Spark's avg; median = Spark's
 *     approxQuantile(0.5, relativeError = 0.001) through the engine's QuantileSummaries; mode =
 *     the most frequent value, the smallest of ties. A column with no value left is an error
 *     naming it, with Spark's words ("surrogate cannot be computed. All the values in a are
 *     Null, Nan or missingValue(NaN)").
 *   - model: `surrogateDF`, one row with one double column per input column (Spark's layout,
 *     saved as data/); transform replaces null and missingValue by the surrogate and casts back
 *     to the input's type (Spark's `cast(inputType)`: float stays float; an int column gets the
 *     surrogate truncated toward zero). The output columns are appended after the input's.
 *   - persistence: org.apache.spark.ml.feature.Imputer / ImputerModel.
 */
import * as arrow from 'apache-arrow';
import { Errors, KindlingError } from '../../../src/errors.js';
import { makeBatch, makePrimitive, type AnyData } from '../../../src/dataframe/batch.js';
import type { DataFrame } from '../../../src/dataframe/dataframe.js';
import { castColumn, numericValues } from '../../../src/dataframe/eval.js';
import { sketchQuery } from '../../../src/dataframe/quantile.js';
import { Types } from '../../../src/dataframe/types.js';
import { javaDoubleString } from '../../../src/io/text-common/java-format.js';
import { Session } from '../../../src/session.js';
import type { Params } from '../../param/params.js';
import { MLWritable } from '../../ml-writable.js';
import { getAndSetParams, readData, register, writeData, writeMetadata } from '../../persist.js';
import { Estimator, Model, type FitOptions } from '../../stage.js';
import { checkNumeric, columnField } from '../../data/schema-checks.js';
import { ImputerParamsMixin, type ImputerParamsOptions } from './imputation-params.js';
import { imputeColumns, imputerStats, modeOf, type ImputeBroadcast, type ImputerStatsBroadcast } from './imputer-tasks.js';

export type ImputerOptions = ImputerParamsOptions;

/** A stage with Spark's single / multi column params (inputCol(s), outputCol(s)). */
interface InOutParams extends Params {
  readonly stageName: string;
  getInputCol(): string;
  getInputCols(): string[];
  getOutputCol?(): string;
  getOutputCols(): string[];
}

/**
 * The input and output columns (Spark's getInOutCols after checkSingleVsMultiColumnParams):
 * exactly one of inputCol and inputCols; outputCols only with inputCols, outputCol only with
 * inputCol; as many outputs as inputs, no duplicates. `defaultOutputs` names the outputs a stage
 * without outputCols takes (MissingIndicator).
 */
export function inOutCols(stage: InOutParams, defaultOutputs?: (inputs: string[]) => string[]): { inputs: string[]; outputs: string[]; param: 'inputCol' | 'inputCols' } {
  const api = stage.stageName;
  const single = stage.isSet('inputCol');
  const multi = stage.isSet('inputCols');
  const head = `${api} ${stage.uid} requires exactly one of inputCol, inputCols Params to be set`;
  if (single && multi) throw new KindlingError('ERR_KINDLING_INVALID_ARG', `${head}, but both are set.`);
  if (!single && !multi) throw new KindlingError('ERR_KINDLING_INVALID_ARG', `${head}, but neither is set.`);
  let inputs: string[];
  let outputs: string[];
  if (single) {
    if (stage.isSet('outputCols')) throw new KindlingError('ERR_KINDLING_INVALID_ARG', `${api} ${stage.uid} has the inputCol Param set for single-column transform. The following Params are not applicable and should not be set: outputCols.`);
    inputs = [stage.getInputCol()];
    outputs = stage.getOutputCol ? [stage.getOutputCol()] : defaultOutputs!(inputs);
  } else {
    if (stage.hasParam('outputCol') && stage.isSet('outputCol')) throw new KindlingError('ERR_KINDLING_INVALID_ARG', `${api} ${stage.uid} has the inputCols Param set for multi-column transform. The following Params are not applicable and should not be set: outputCol.`);
    inputs = stage.getInputCols();
    if (stage.isSet('outputCols')) outputs = stage.getOutputCols();
    else if (defaultOutputs) outputs = defaultOutputs(inputs);
    else throw new KindlingError('ERR_KINDLING_INVALID_ARG', `${api} ${stage.uid} has the inputCols Param set for multi-column transform. The following Params must be defined: outputCols.`);
  }
  if (new Set(inputs).size !== inputs.length) throw Errors.schema(`${api}: inputCols contains duplicates: (${inputs.join(', ')})`);
  if (new Set(outputs).size !== outputs.length) throw Errors.schema(`${api}: outputCols contains duplicates: (${outputs.join(', ')})`);
  if (inputs.length !== outputs.length) throw Errors.schema(`${api}: inputCols(${inputs.length}) and outputCols(${outputs.length}) should have the same length`);
  return { inputs, outputs, param: single ? 'inputCol' : 'inputCols' };
}

/** The schema with one output column per input column, of the input's type (numeric inputs only); an existing output name is an error. */
export function appendSameTypeColumns(api: string, schema: arrow.Schema, cols: { inputs: string[]; outputs: string[]; param: string }, type?: arrow.DataType): arrow.Schema {
  const { inputs, outputs, param } = cols;
  const fields = inputs.map((c, j) => {
    checkNumeric(api, schema, param, c);
    const out = outputs[j]!;
    if (schema.fields.some((f) => f.name.toLowerCase() === out.toLowerCase())) throw Errors.schema(`${api}: output column ${out} already exists`);
    return new arrow.Field(out, type ?? columnField(api, schema, c).field.type, true);
  });
  return new arrow.Schema([...schema.fields, ...fields]);
}

export class Imputer extends MLWritable(ImputerParamsMixin(Estimator<ImputerModel>)) {
  constructor(options?: ImputerOptions, uid?: string) {
    super(uid);
    this.setParams(options as Record<string, unknown> | undefined);
  }

  transformSchema(schema: arrow.Schema): arrow.Schema {
    return appendSameTypeColumns(this.stageName, schema, inOutCols(this));
  }

  protected async fitImpl(df: DataFrame, _options: FitOptions): Promise<ImputerModel> {
    const api = `${this.stageName}.fit`;
    const { inputs } = inOutCols(this);
    const names = inputs.map((c) => columnField(api, df.schema, c).field.name);
    const b: ImputerStatsBroadcast = { api, inputCols: names, strategy: this.getStrategy(), missingValue: this.getMissingValue(), relativeError: this.getRelativeError() };
    const s = await df.session.treeAggregate(imputerStats, df.select(names), b);
    const surrogates = names.map((_, j) => {
      if (s.counts[j] === 0) return NaN;
      if (b.strategy === 'mean') return s.sums[j]! / s.counts[j]!;
      if (b.strategy === 'median') return sketchQuery(s.sketches[j]!, [0.5])?.[0] ?? NaN;
      return modeOf(s.modes[j]!);
    });
    const empty = inputs.filter((_, j) => Number.isNaN(surrogates[j]));
    if (empty.length > 0) {
      throw Errors.schema(`${api}: surrogate cannot be computed. All the values in ${empty.join(',')} are Null, Nan or missingValue(${javaDoubleString(b.missingValue)})`);
    }
    const model = new ImputerModel({ surrogates: new Map(inputs.map((c, j) => [c, surrogates[j]!])) }, this.uid);
    this.copyValues(model);
    return model;
  }
}

export class ImputerModel extends MLWritable(ImputerParamsMixin(Model)) {
  /** The surrogate of each input column the model was fitted on (in fit order). */
  surrogates: Map<string, number>;

  constructor(state?: { surrogates: Map<string, number> } & ImputerOptions, uid?: string) {
    super(uid);
    this.surrogates = state?.surrogates ?? new Map();
    if (state) {
      const { surrogates: _s, ...opts } = state;
      this.setParams(opts as Record<string, unknown>);
    }
  }

  override copy(extra?: Parameters<Model['copy']>[0]): this {
    const that = super.copy(extra);
    that.surrogates = this.surrogates;
    that.parent = this.parent;
    return that;
  }

  /** Spark's surrogateDF: one row, a double column per input column the model was fitted on. */
  get surrogateDF(): DataFrame {
    const session = Session.active;
    if (session === null) throw new KindlingError('ERR_KINDLING_INVALID_ARG', `${this.stageName}.surrogateDF: needs an active Session (Session.builder().getOrCreate())`);
    const t = surrogateTable(this.surrogates);
    return session.createDataFrame(t);
  }

  private surrogateOf(api: string, c: string): number {
    const hit = [...this.surrogates.entries()].find(([k]) => k.toLowerCase() === c.toLowerCase());
    if (!hit) throw Errors.schema(`${api}: the model has no surrogate for column ${c}; it was fitted on [${[...this.surrogates.keys()].join(', ')}]`);
    return hit[1];
  }

  transformSchema(schema: arrow.Schema): arrow.Schema {
    return appendSameTypeColumns(this.stageName, schema, inOutCols(this));
  }

  protected transformImpl(df: DataFrame): DataFrame {
    const api = `${this.stageName}.transform`;
    const { inputs, outputs } = inOutCols(this);
    const schema = this.transformSchema(df.schema);
    const b: ImputeBroadcast = {
      api,
      columns: inputs.map((c, j) => ({ inputCol: columnField(api, df.schema, c).field.name, outputCol: outputs[j]!, surrogate: this.surrogateOf(api, c) })),
      missingValue: this.getMissingValue(),
    };
    return df.mapInArrow(imputeColumns, schema, b);
  }
}

/** One row, a non-null double column per input (Spark's surrogateDF schema). */
function surrogateTable(surrogates: Map<string, number>): arrow.Table {
  const names = [...surrogates.keys()];
  const cols = names.map((c) => makePrimitive(new arrow.Float64(), Float64Array.of(surrogates.get(c)!), null, 0) as AnyData);
  const schema = new arrow.Schema(names.map((c) => new arrow.Field(c, new arrow.Float64(), false)));
  return new arrow.Table(schema, [makeBatch(schema, cols, 1)]);
}

register('org.apache.spark.ml.feature.Imputer', Imputer);
register('org.apache.spark.ml.feature.ImputerModel', ImputerModel, {
  async save(model, path, ctx) {
    if (model.surrogates.size === 0) throw new KindlingError('ERR_KINDLING_NOT_FITTED', `${ctx.api}: ${model.uid} has no surrogates to save`);
    await writeMetadata(model, path, ctx);
    const t = surrogateTable(model.surrogates);
    await writeData(path, { schema: t.schema, batches: t.batches });
  },
  async load(path, metadata, ctx) {
    const table = await readData(path, 'data', ctx.api);
    const row = table.batches.find((b) => b.numRows > 0);
    if (!row) throw Errors.load(`${ctx.api}: the ImputerModel at ${path} has no data row`);
    const surrogates = new Map<string, number>();
    row.schema.fields.forEach((f, j) => {
      const d = row.data.children[j]! as AnyData;
      const dd = arrow.DataType.isFloat(d.type) && d.type.precision === arrow.Precision.DOUBLE ? d : castColumn(ctx.api, d, Types.double());
      surrogates.set(f.name, (numericValues(dd) as Float64Array)[0]!);
    });
    const model = new ImputerModel({ surrogates }, metadata.uid);
    getAndSetParams(model, metadata, { api: ctx.api });
    return model;
  },
});
