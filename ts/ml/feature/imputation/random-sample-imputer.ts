/**
 * RandomSampleImputer (kindling, beyond Spark: the Spark ML book's random-sample imputation):
 * replaces each missing value by a value drawn from the column's observed values, so the
 * column keeps its distribution.
 *
 *   - fit: the observed values of each column and their counts, one executor pass (Imputer's
 *     summary with strategy mode, imputer-tasks.ts); null, NaN and missingValue are left out, and
 *     a column with nothing observed is Imputer's error.
 *   - transform: a missing value (null, or missingValue: NaN by default) becomes the observed
 *     value v with probability count(v) / n. The draw of row r of partition p for the j-th input
 *     column is a hash of (seed, j, p, r) (`sampleUniform`): deterministic for a given seed and
 *     partitioning, on `local` and `local[N]` alike; repartitioning the data changes the draws.
 *   - the output keeps the input's type; columns as Spark's Imputer.
 *   - persistence: kindling's own class names `org.kindling.ml.feature.RandomSampleImputer` /
 *     `…Model`; data/ has one row per input column: `column` (string), `values` and `counts`
 *     (array<double>).
 */
import * as arrow from 'apache-arrow';
import { Errors, KindlingError } from '../../../src/errors.js';
import { makeBatch, type AnyData } from '../../../src/dataframe/batch.js';
import type { DataFrame } from '../../../src/dataframe/dataframe.js';
import { castColumn, numericValues } from '../../../src/dataframe/eval.js';
import { Types } from '../../../src/dataframe/types.js';
import { MLWritable } from '../../ml-writable.js';
import { getAndSetParams, readData, register, writeData, writeMetadata, KINDLING_FEATURE_NS } from '../../persist.js';
import { Estimator, Model, type FitOptions } from '../../stage.js';
import { columnField } from '../../data/schema-checks.js';
import { RandomSampleImputerParamsMixin, type RandomSampleImputerParamsOptions } from './imputation-params.js';
import { appendSameTypeColumns, inOutCols } from './imputer.js';
import { imputerStats, sampleImpute, type SampleBroadcast, type ValueCounts } from './imputer-tasks.js';
import { javaDoubleString } from '../../../src/io/text-common/java-format.js';

export type RandomSampleImputerOptions = RandomSampleImputerParamsOptions;

export class RandomSampleImputer extends MLWritable(RandomSampleImputerParamsMixin(Estimator<RandomSampleImputerModel>)) {
  constructor(options?: RandomSampleImputerOptions, uid?: string) {
    super(uid);
    this.setParams(options as Record<string, unknown> | undefined);
  }

  transformSchema(schema: arrow.Schema): arrow.Schema {
    return appendSameTypeColumns(this.stageName, schema, inOutCols(this));
  }

  protected async fitImpl(df: DataFrame, _options: FitOptions): Promise<RandomSampleImputerModel> {
    const api = `${this.stageName}.fit`;
    const { inputs } = inOutCols(this);
    const names = inputs.map((c) => columnField(api, df.schema, c).field.name);
    const missingValue = this.getMissingValue();
    const s = await df.session.treeAggregate(imputerStats, df.select(names), { api, inputCols: names, strategy: 'mode', missingValue, relativeError: 0 });
    const empty = inputs.filter((_, j) => s.counts[j] === 0);
    if (empty.length > 0) throw Errors.schema(`${api}: no value to sample from. All the values in ${empty.join(',')} are Null, Nan or missingValue(${javaDoubleString(missingValue)})`);
    const model = new RandomSampleImputerModel({ observed: new Map(inputs.map((c, j) => [c, s.modes[j]!])) }, this.uid);
    this.copyValues(model);
    return model;
  }
}

export class RandomSampleImputerModel extends MLWritable(RandomSampleImputerParamsMixin(Model)) {
  /** Per input column fitted on: its observed distinct values (ascending) and their counts. */
  observed: Map<string, ValueCounts>;

  constructor(state?: { observed: Map<string, ValueCounts> } & RandomSampleImputerOptions, uid?: string) {
    super(uid);
    this.observed = state?.observed ?? new Map();
    if (state) {
      const { observed: _o, ...opts } = state;
      this.setParams(opts as Record<string, unknown>);
    }
  }

  override copy(extra?: Parameters<Model['copy']>[0]): this {
    const that = super.copy(extra);
    that.observed = this.observed;
    that.parent = this.parent;
    return that;
  }

  transformSchema(schema: arrow.Schema): arrow.Schema {
    return appendSameTypeColumns(this.stageName, schema, inOutCols(this));
  }

  protected transformImpl(df: DataFrame): DataFrame {
    const api = `${this.stageName}.transform`;
    const schema = this.transformSchema(df.schema);
    const { inputs, outputs } = inOutCols(this);
    const columns = inputs.map((c, j) => {
      const hit = [...this.observed.entries()].find(([k]) => k.toLowerCase() === c.toLowerCase());
      if (!hit) throw Errors.schema(`${api}: the model has no observed values for column ${c}; it was fitted on [${[...this.observed.keys()].join(', ')}]`);
      const cumulative = new Float64Array(hit[1].counts.length);
      let acc = 0;
      hit[1].counts.forEach((n, k) => (cumulative[k] = acc += n));
      return { inputCol: columnField(api, df.schema, c).field.name, outputCol: outputs[j]!, values: hit[1].values, cumulative };
    });
    const b: SampleBroadcast = { api, seed: this.getSeed(), missingValue: this.getMissingValue(), columns };
    return df.mapInArrow(sampleImpute, schema, b);
  }
}

function doubleList(rows: Float64Array[]): AnyData {
  const offsets = new Int32Array(rows.length + 1);
  rows.forEach((r, i) => (offsets[i + 1] = offsets[i]! + r.length));
  const all = new Float64Array(offsets[rows.length]!);
  rows.forEach((r, i) => all.set(r, offsets[i]!));
  const child = arrow.makeData({ type: new arrow.Float64(), length: all.length, data: all, nullCount: 0 });
  return arrow.makeData({ type: new arrow.List(new arrow.Field('element', new arrow.Float64(), false)), length: rows.length, valueOffsets: offsets, child, nullCount: 0 } as never) as AnyData;
}

register(`${KINDLING_FEATURE_NS}.RandomSampleImputer`, RandomSampleImputer);
register(`${KINDLING_FEATURE_NS}.RandomSampleImputerModel`, RandomSampleImputerModel, {
  async save(model, path, ctx) {
    if (model.observed.size === 0) throw new KindlingError('ERR_KINDLING_NOT_FITTED', `${ctx.api}: ${model.uid} has no observed values to save`);
    await writeMetadata(model, path, ctx);
    const names = [...model.observed.keys()];
    const columnCol = arrow.vectorFromArray(names, new arrow.Utf8()).data[0]! as AnyData;
    const values = doubleList(names.map((c) => model.observed.get(c)!.values));
    const counts = doubleList(names.map((c) => model.observed.get(c)!.counts));
    const schema = new arrow.Schema([new arrow.Field('column', new arrow.Utf8(), true), new arrow.Field('values', values.type, true), new arrow.Field('counts', counts.type, true)]);
    await writeData(path, { schema, batches: [makeBatch(schema, [columnCol, values, counts], names.length)] });
  },
  async load(path, metadata, ctx) {
    const table = await readData(path, 'data', ctx.api);
    const observed = new Map<string, ValueCounts>();
    for (const b of table.batches) {
      const col = (n: string) => {
        const i = b.schema.fields.findIndex((f) => f.name === n);
        if (i < 0) throw Errors.load(`${ctx.api}: the RandomSampleImputerModel at ${path} has no ${n} column`);
        return b.data.children[i]! as AnyData;
      };
      const names = col('column');
      const list = (d: AnyData, i: number) => {
        const off = d.valueOffsets as Int32Array;
        const child = d.children[0]! as AnyData;
        return Float64Array.from((numericValues(castColumn(ctx.api, child, Types.double())) as Float64Array).subarray(off[i]!, off[i + 1]!));
      };
      for (let i = 0; i < b.numRows; i++) {
        observed.set(String(arrow.makeVector(names).get(i)), { values: list(col('values'), i), counts: list(col('counts'), i) });
      }
    }
    if (observed.size === 0) throw Errors.load(`${ctx.api}: the RandomSampleImputerModel at ${path} has no data rows`);
    const model = new RandomSampleImputerModel({ observed }, metadata.uid);
    getAndSetParams(model, metadata, { api: ctx.api });
    return model;
  },
});
