/**
 * The one model shape of Spark's feature selectors (ml.feature.SelectorModel: ChiSqSelectorModel,
 * UnivariateFeatureSelectorModel, VarianceThresholdSelectorModel): the sorted `selectedFeatures`,
 * a transform that appends those features of `featuresCol` as `outputCol` (dense stays dense,
 * sparse keeps its stored entries among them, Spark's Vector.slice: the executor task
 * `selectFeatures` in selector-tasks.ts over `sliceVector` of vectors-ops.ts), and Spark's data/ layout, one row with `selectedFeatures` array<int>.
 * `numFeatures` is the vector size the fit saw; Spark does not save it, so a loaded model is -1
 * and then only checks that each vector reaches the last selected feature.
 */
import * as arrow from 'apache-arrow';
import { Errors } from '../../../src/errors.js';
import { makeBatch, type AnyData } from '../../../src/dataframe/batch.js';
import type { DataFrame } from '../../../src/dataframe/dataframe.js';
import { castColumn, numericValues } from '../../../src/dataframe/eval.js';
import { Types } from '../../../src/dataframe/types.js';
import { checkVector } from '../../data/schema-checks.js';
import { isDenseVectorType } from '../../linalg/columns.js';
import type { Vector } from '../../linalg/vectors.js';
import { getAndSetParams, readData, register, writeData, writeMetadata } from '../../persist.js';
import { Model } from '../../stage.js';
import { selectFeatures, type SelectBroadcast } from './selector-tasks.js';
import { sliceVector } from '../vectors/vectors-ops.js';

/** The input schema plus the selected-features column (a dense vector of `size` when the input is dense and the size known). */
export function selectorOutputSchema(api: string, schema: arrow.Schema, featuresCol: string, outputCol: string, size: number | null): arrow.Schema {
  const t = schema.fields[checkVector(api, schema, 'featuresCol', featuresCol)]!.type;
  if (schema.fields.some((f) => f.name.toLowerCase() === outputCol.toLowerCase())) throw Errors.schema(`${api}: output column ${outputCol} already exists`);
  const out = isDenseVectorType(t) && size !== null && size > 0 ? Types.vector(size) : Types.vectorStruct();
  return new arrow.Schema([...schema.fields, new arrow.Field(outputCol, out, true)]);
}

export interface SelectorState {
  selectedFeatures?: number[];
  numFeatures?: number;
}

/** A fitted selector: subclasses add their params mixin (which provides the column getters) and register. */
export abstract class SelectorModel extends Model {
  /** The selected feature indices, ascending. */
  selectedFeatures: number[] = [];
  /** The vector size fitted on (-1 when loaded: Spark does not save it). */
  numFeatures = -1;

  abstract getFeaturesCol(): string;
  abstract getOutputCol(): string;

  /** Sets the fitted selection and then the given params (for the subclass constructor). */
  protected init(state: SelectorState | undefined): void {
    if (state === null || typeof state !== 'object') {
      this.setParams(state); // undefined: nothing to set; anything else: the coded "options" error
      return;
    }
    const { selectedFeatures, numFeatures, ...opts } = state as Partial<SelectorState> & Record<string, unknown>;
    if (selectedFeatures !== undefined) {
      if (!Array.isArray(selectedFeatures) || !selectedFeatures.every((i) => Number.isInteger(i) && i >= 0)) {
        throw Errors.invalidArg(this.stageName, 'selectedFeatures', 'an array of feature indices (integers >= 0)', selectedFeatures);
      }
      this.selectedFeatures = [...selectedFeatures].sort((a, b) => a - b);
    }
    if (numFeatures !== undefined) {
      if (!Number.isInteger(numFeatures) || numFeatures < -1) throw Errors.invalidArg(this.stageName, 'numFeatures', 'an integer >= -1', numFeatures);
      this.numFeatures = numFeatures;
    }
    this.setParams(opts);
  }

  override copy(extra?: Parameters<Model['copy']>[0]): this {
    const that = super.copy(extra);
    that.selectedFeatures = this.selectedFeatures;
    that.numFeatures = this.numFeatures;
    that.parent = this.parent;
    return that;
  }

  transformSchema(schema: arrow.Schema): arrow.Schema {
    return selectorOutputSchema(this.stageName, schema, this.getFeaturesCol(), this.getOutputCol(), this.selectedFeatures.length);
  }

  /** The selected features of one vector, as the transform computes them for a row. */
  select(v: Vector): Vector {
    const b = this.broadcast(this.stageName);
    const last = b.selected.length > 0 ? b.selected[b.selected.length - 1]! : -1;
    if (b.numFeatures >= 0 ? v.size !== b.numFeatures : v.size <= last) {
      throw Errors.outOfRange(b.api, 'vector size', b.numFeatures >= 0 ? `${b.numFeatures} (the fitted size)` : `more than ${last} (the largest selected index)`, v.size);
    }
    return sliceVector(v, b.selected);
  }

  private broadcast(api: string): SelectBroadcast {
    return { api, featuresCol: this.getFeaturesCol(), outputCol: this.getOutputCol(), selected: Int32Array.from(this.selectedFeatures), numFeatures: this.numFeatures };
  }

  protected transformImpl(df: DataFrame): DataFrame {
    return df.mapInArrow(selectFeatures, this.transformSchema(df.schema), this.broadcast(`${this.stageName}.transform`));
  }
}

async function writeSelectedFeatures(path: string, selected: readonly number[]): Promise<void> {
  const child = arrow.makeData({ type: new arrow.Int32(), length: selected.length, data: Int32Array.from(selected), nullCount: 0 });
  const type = new arrow.List(new arrow.Field('element', new arrow.Int32(), false));
  const col = arrow.makeData({ type, length: 1, valueOffsets: Int32Array.of(0, selected.length), child, nullCount: 0 } as never) as AnyData;
  const schema = new arrow.Schema([new arrow.Field('selectedFeatures', type, true)]);
  await writeData(path, { schema, batches: [makeBatch(schema, [col], 1)] });
}

async function readSelectedFeatures(path: string, api: string): Promise<number[]> {
  const table = await readData(path, 'data', api);
  const row = table.batches.find((b) => b.numRows > 0);
  const i = row ? row.schema.fields.findIndex((f) => f.name === 'selectedFeatures') : -1;
  if (!row || i < 0) throw Errors.load(`${api}: the selector model at ${path} has no selectedFeatures row`);
  const list = row.data.children[i]! as AnyData;
  const off = list.valueOffsets as Int32Array;
  const child = list.children[0]! as AnyData;
  const values = numericValues(castColumn(api, child, Types.double())) as Float64Array;
  return Array.from(values.subarray(off[0]!, off[1]!)).sort((a, b) => a - b);
}

/** Registers a selector model class under Spark's class name with Spark's data/ layout. */
export function registerSelectorModel<M extends SelectorModel>(sparkClass: string, Ctor: new (state: SelectorState | undefined, uid?: string) => M): void {
  register(sparkClass, Ctor, {
    async save(model, path, ctx) {
      await writeMetadata(model, path, ctx);
      await writeSelectedFeatures(path, model.selectedFeatures);
    },
    async load(path, metadata, ctx) {
      const model = new Ctor({ selectedFeatures: await readSelectedFeatures(path, ctx.api) }, metadata.uid);
      getAndSetParams(model, metadata, { api: ctx.api });
      return model;
    },
  });
}
