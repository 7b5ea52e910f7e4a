/**
 * IDF / IDFModel (Spark's ml.feature.IDF over mllib's IDF):
 *   - fit: one native summary pass of document frequencies (idf-tasks.ts); with m documents,
 *     idf_j = ln((m + 1) / (df_j + 1)) when df_j >= minDocFreq, else 0 — and then docFreq_j is
 *     reported as 0, as Spark 3 (../shared/fixtures/spark-test-vectors/evaluators-and-features.json);
 *     an empty DataFrame fails as Spark's "Haven't seen any document yet.";
 *   - transform: each vector times idf element-wise, sparse stays sparse (same indices), dense
 *     stays dense; a vector of another size is an error naming both sizes;
 *   - the model exposes `idf` (DenseVector), `docFreq` (number[]) and `numDocs`, as Spark 3;
 *   - persistence: data/ holds `idf` (vector), `docFreq` (array<bigint>) and `numDocs` (bigint);
 *     a Spark 2 model's data has `idf` only (docFreq then zeros, numDocs 0).
 */
import * as arrow from 'apache-arrow';
import { Errors } from '../../../src/errors.js';
import { makeBatch, valueAt, type AnyData } from '../../../src/dataframe/batch.js';
import type { DataFrame } from '../../../src/dataframe/dataframe.js';
import { aggregateRows } from '../../data/checked-summary.js';
import { checkVector } from '../../data/schema-checks.js';
import { denseVectorColumn, vectorAt } from '../../linalg/columns.js';
import { DenseVector, type Vector } from '../../linalg/vectors.js';
import { MLWritable } from '../../ml-writable.js';
import { getAndSetParams, readData, register, writeData, writeMetadata } from '../../persist.js';
import { Estimator, Model, type FitOptions } from '../../stage.js';
import { IDFParamsMixin, type IDFParamsOptions } from './text-params.js';
import { checkNewColumn } from './text-columns.js';
import { docFreqStats, idfSizeMismatch, idfTransform, idfVector, type IdfBroadcast } from './idf-tasks.js';

export type IDFOptions = IDFParamsOptions;

function schemaOf(api: string, schema: arrow.Schema, inputCol: string, outputCol: string): arrow.Schema {
  const t = schema.fields[checkVector(api, schema, 'inputCol', inputCol)]!.type;
  checkNewColumn(api, schema, outputCol);
  return new arrow.Schema([...schema.fields, new arrow.Field(outputCol, t, true)]);
}

export class IDF extends MLWritable(IDFParamsMixin(Estimator<IDFModel>)) {
  constructor(options?: IDFOptions, uid?: string) {
    super(uid);
    this.setParams(options as Record<string, unknown> | undefined);
  }

  transformSchema(schema: arrow.Schema): arrow.Schema {
    return schemaOf(this.stageName, schema, this.getInputCol(), this.getOutputCol());
  }

  protected async fitImpl(df: DataFrame, _options: FitOptions): Promise<IDFModel> {
    const api = `${this.stageName}.fit`;
    const inputCol = this.getInputCol();
    const { value } = await aggregateRows(api, df, docFreqStats, [inputCol], { inputCol }, idfSizeMismatch);
    if (value.n === 0) throw Errors.schema(`${api}: Haven't seen any document yet (the DataFrame has no rows to fit on).`);
    const m = value.n;
    const minDocFreq = this.getMinDocFreq();
    const idf = new Float64Array(value.df.length);
    const docFreq = new Array<number>(value.df.length).fill(0);
    value.df.forEach((f, j) => {
      if (f >= minDocFreq) {
        idf[j] = Math.log((m + 1) / (f + 1));
        docFreq[j] = f;
      }
    });
    const model = new IDFModel({ idf: new DenseVector(idf), docFreq, numDocs: m }, this.uid);
    this.copyValues(model);
    return model;
  }
}

export interface IDFModelState {
  idf: DenseVector;
  docFreq: number[];
  numDocs: number;
}

export class IDFModel extends MLWritable(IDFParamsMixin(Model)) {
  idf: DenseVector;
  docFreq: number[];
  numDocs: number;

  constructor(state?: IDFModelState & IDFOptions, uid?: string) {
    super(uid);
    this.idf = state?.idf ?? new DenseVector([]);
    this.docFreq = state?.docFreq ?? [];
    this.numDocs = state?.numDocs ?? 0;
    if (state) {
      const { idf: _i, docFreq: _d, numDocs: _n, ...opts } = state;
      this.setParams(opts as Record<string, unknown>);
    }
  }

  override copy(extra?: Parameters<Model['copy']>[0]): this {
    const that = super.copy(extra);
    that.idf = this.idf;
    that.docFreq = this.docFreq;
    that.numDocs = this.numDocs;
    that.parent = this.parent;
    return that;
  }

  override toString(): string {
    return `IDFModel: uid=${this.uid}, numDocs=${this.numDocs}, numFeatures=${this.idf.size}`;
  }

  transformSchema(schema: arrow.Schema): arrow.Schema {
    return schemaOf(this.stageName, schema, this.getInputCol(), this.getOutputCol());
  }

  /** One vector times idf (Spark's IDFModel.transform of a row). */
  scale(v: Vector): Vector {
    if (v.size !== this.idf.size) throw Errors.outOfRange(`${this.stageName}.scale`, 'vector size', `${this.idf.size} (the size IDF was fitted on)`, v.size);
    return idfVector(v, Float64Array.from(this.idf.toArray()));
  }

  protected transformImpl(df: DataFrame): DataFrame {
    const b: IdfBroadcast = { api: `${this.stageName}.transform`, inputCol: this.getInputCol(), outputCol: this.getOutputCol(), idf: Float64Array.from(this.idf.toArray()) };
    return df.mapInArrow(idfTransform, this.transformSchema(df.schema), b);
  }
}

const jsonKinds = { minDocFreq: 'int' } as const;

register('org.apache.spark.ml.feature.IDF', IDF, { jsonKinds });
register('org.apache.spark.ml.feature.IDFModel', IDFModel, {
  jsonKinds,
  async save(model, path, ctx) {
    await writeMetadata(model, path, ctx);
    const d = model.idf.size;
    const idfCol = denseVectorColumn(Float64Array.from(model.idf.toArray()), Math.max(d, 1));
    const dfChild = arrow.makeData({ type: new arrow.Int64(), length: d, data: BigInt64Array.from(model.docFreq, (x) => BigInt(x)), nullCount: 0 });
    const dfType = new arrow.List(new arrow.Field('element', new arrow.Int64(), false));
    const dfCol = arrow.makeData({ type: dfType, length: 1, valueOffsets: Int32Array.from([0, d]), child: dfChild, nullCount: 0 } as never) as AnyData;
    const nCol = arrow.makeData({ type: new arrow.Int64(), length: 1, data: BigInt64Array.from([BigInt(model.numDocs)]), nullCount: 0 });
    const schema = new arrow.Schema([new arrow.Field('idf', idfCol.type, true), new arrow.Field('docFreq', dfType, true), new arrow.Field('numDocs', new arrow.Int64(), false)]);
    await writeData(path, { schema, batches: [makeBatch(schema, [idfCol, dfCol, nCol], 1)] });
  },
  async load(path, metadata, ctx) {
    const table = await readData(path, 'data', ctx.api);
    const batch = table.batches.find((b) => b.numRows > 0);
    const col = (name: string) => {
      const i = batch?.schema.fields.findIndex((f) => f.name === name) ?? -1;
      return i >= 0 ? (batch!.data.children[i] as AnyData) : null;
    };
    const idfData = col('idf');
    const idf = idfData ? vectorAt(idfData, 0) : null;
    if (!idf) throw Errors.load(`${ctx.api}: the IDFModel at ${path} has no idf vector in data/`);
    const dfData = col('docFreq');
    const nData = col('numDocs');
    const docFreq = dfData ? ((valueAt(dfData, 0) as Array<number | bigint> | null) ?? []).map(Number) : new Array<number>(idf.size).fill(0);
    const numDocs = nData ? Number(valueAt(nData, 0) ?? 0) : 0;
    const model = new IDFModel({ idf: new DenseVector(idf.toArray()), docFreq, numDocs }, metadata.uid);
    getAndSetParams(model, metadata, { api: ctx.api });
    return model;
  },
});
