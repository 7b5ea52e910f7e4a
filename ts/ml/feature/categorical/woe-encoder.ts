/**
 * WeightOfEvidenceEncoder (kindling's own; Spark has none — docs/CATEGORICAL.md): replaces each
 * category by its weight of evidence for a binary label (labelCol: 0 or 1, numeric or boolean).
 * With pos_i / neg_i the rows of category i with label 1 / 0, P = Σ pos_i, N = Σ neg_i over
 * the rows whose category is not null, k the number of categories and a = `smoothing`
 * (default 0.5):
 *
 *   WoE_i = ln( ((pos_i + a) / (P + a·k)) / ((neg_i + a) / (N + a·k)) )
 *
 * a > 0 keeps a category with no positives or no negatives finite; with a = 0 such a category
 * is an error naming it (never an infinite or NaN output). Fit counts (category, label) pairs
 * with the engine's group-by; a null or non-0/1 label fails naming the row. At transform a null
 * or unseen category is invalid: 'error' (default) fails naming value, column and row, 'skip'
 * drops the row, 'keep' gives 0.0 (no evidence). Output: a double column per input. Persisted
 * as org.kindling.ml.feature.WeightOfEvidenceEncoder / …Model, data `categoriesArray`, `woeArray`.
 */
import * as arrow from 'apache-arrow';
import { Errors } from '../../../src/errors.js';
import { col } from '../../../src/dataframe/column.js';
import type { DataFrame } from '../../../src/dataframe/dataframe.js';
import { isNumericType, sparkTypeName } from '../../../src/dataframe/types.js';
import { columnField } from '../../data/schema-checks.js';
import { MLWritable } from '../../ml-writable.js';
import { getAndSetParams, register, writeMetadata } from '../../persist.js';
import { Estimator, Model, type FitOptions } from '../../stage.js';
import { WeightOfEvidenceEncoderParamsMixin, type WeightOfEvidenceEncoderParamsOptions } from './categorical-params.js';
import { categoricalOutputSchema, columnPairs, lookupTransform } from './categorical-columns.js';
import { readNestedArrays, writeNestedArrays } from './categorical-persist.js';
import { KINDLING_FEATURE_NS } from '../../persist.js';

export type WeightOfEvidenceEncoderOptions = WeightOfEvidenceEncoderParamsOptions;

/** The weights of evidence of categories with `pos[i]` positives and `neg[i]` negatives (see the module comment); null for a category whose WoE is infinite (a = 0). */
export function weightsOfEvidence(pos: readonly number[], neg: readonly number[], a: number): Array<number | null> {
  const k = pos.length;
  const P = pos.reduce((s, x) => s + x, 0);
  const N = neg.reduce((s, x) => s + x, 0);
  return pos.map((p, i) => {
    const num = (p + a) / (P + a * k);
    const den = (neg[i]! + a) / (N + a * k);
    const w = Math.log(num / den);
    return Number.isFinite(w) ? w : null;
  });
}


export class WeightOfEvidenceEncoder extends MLWritable(WeightOfEvidenceEncoderParamsMixin(Estimator<WeightOfEvidenceEncoderModel>)) {
  constructor(options?: WeightOfEvidenceEncoderOptions, uid?: string) {
    super(uid);
    this.setParams(options as Record<string, unknown> | undefined);
  }

  transformSchema(schema: arrow.Schema): arrow.Schema {
    const label = this.getLabelCol();
    const t = columnField(this.stageName, schema, label).field.type;
    if (!isNumericType(t) && !arrow.DataType.isBool(t)) throw Errors.schema(`${this.stageName}: label column ${label} must be numeric or boolean (0/1), but is ${sparkTypeName(t)}`);
    return categoricalOutputSchema(this.stageName, this, schema);
  }

  /** Fails naming the first row whose label is null or not 0/1 (read only when the group-by found one). */
  private async badLabel(api: string, df: DataFrame, label: string): Promise<never> {
    const rows = await df.select(col(label).cast('double').alias('y')).collect();
    const i = rows.findIndex((r) => r.y !== 0 && r.y !== 1);
    throw Errors.badRow(api, `column ${label}`, i, `${rows[i]?.y === null ? 'is null' : `holds ${String(rows[i]?.y)}`}; WeightOfEvidenceEncoder needs a binary label (0 or 1)`);
  }

  protected async fitImpl(df: DataFrame, _options: FitOptions): Promise<WeightOfEvidenceEncoderModel> {
    const api = `${this.stageName}.fit`;
    const label = this.getLabelCol();
    const a = this.getSmoothing();
    const categoriesArray: string[][] = [];
    const woeArray: number[][] = [];
    for (const p of columnPairs(this.stageName, this)) {
      const groups = await df.groupBy(col(p.input).cast('string').alias('category'), col(label).cast('double').alias('y')).count().collect();
      if (groups.some((g) => g.y !== 0 && g.y !== 1)) await this.badLabel(api, df, label);
      const byCat = new Map<string, [number, number]>();
      for (const g of groups) {
        if (g.category === null) continue;
        const c = byCat.get(g.category as string) ?? [0, 0];
        c[g.y === 1 ? 0 : 1] += Number(g.count);
        byCat.set(g.category as string, c);
      }
      const cats = [...byCat.keys()].sort((x, y) => (x < y ? -1 : 1));
      const woe = weightsOfEvidence(cats.map((c) => byCat.get(c)![0]), cats.map((c) => byCat.get(c)![1]), a);
      const inf = woe.findIndex((w) => w === null);
      if (inf >= 0) throw Errors.schema(`${api}: category ${JSON.stringify(cats[inf])} of column ${p.input} has ${byCat.get(cats[inf]!)![0]} positive and ${byCat.get(cats[inf]!)![1]} negative rows, so its weight of evidence is infinite with smoothing 0; set smoothing > 0`);
      categoriesArray.push(cats);
      woeArray.push(woe as number[]);
    }
    const model = new WeightOfEvidenceEncoderModel({ categoriesArray, woeArray }, this.uid);
    this.copyValues(model);
    return model;
  }
}

export class WeightOfEvidenceEncoderModel extends MLWritable(WeightOfEvidenceEncoderParamsMixin(Model)) {
  /** Each input column's categories (sorted) and their weights of evidence. */
  categoriesArray: string[][];
  woeArray: number[][];

  constructor(state?: { categoriesArray: string[][]; woeArray: number[][] } & WeightOfEvidenceEncoderOptions, uid?: string) {
    super(uid);
    this.categoriesArray = state?.categoriesArray ?? [];
    this.woeArray = state?.woeArray ?? [];
    if (state) {
      const { categoriesArray: _c, woeArray: _w, ...opts } = state;
      this.setParams(opts as Record<string, unknown>);
    }
  }

  override copy(extra?: Parameters<Model['copy']>[0]): this {
    const that = super.copy(extra);
    that.categoriesArray = this.categoriesArray;
    that.woeArray = this.woeArray;
    that.parent = this.parent;
    return that;
  }

  transformSchema(schema: arrow.Schema): arrow.Schema {
    return categoricalOutputSchema(this.stageName, this, schema);
  }

  protected transformImpl(df: DataFrame): DataFrame {
    const cols = columnPairs(this.stageName, this).map((p, k) => ({ input: p.input, output: p.output, keys: this.categoriesArray[k] ?? [], values: this.woeArray[k] ?? [], unknown: 0, metadata: [] }));
    return lookupTransform(`${this.stageName}.transform`, df, cols, this.getHandleInvalid(), 'a category not seen at fit, or null; set handleInvalid to "keep" (encodes 0.0) or "skip"');
  }
}

register(`${KINDLING_FEATURE_NS}.WeightOfEvidenceEncoder`, WeightOfEvidenceEncoder);
register(`${KINDLING_FEATURE_NS}.WeightOfEvidenceEncoderModel`, WeightOfEvidenceEncoderModel, {
  async save(model, path, ctx) {
    await writeMetadata(model, path, ctx);
    await writeNestedArrays(path, { categoriesArray: { kind: 'string', value: model.categoriesArray }, woeArray: { kind: 'double', value: model.woeArray } });
  },
  async load(path, metadata, ctx) {
    const d = await readNestedArrays(path, ctx.api, 'WeightOfEvidenceEncoderModel', { categoriesArray: 'string', woeArray: 'double' });
    const model = new WeightOfEvidenceEncoderModel({ categoriesArray: d.categoriesArray as string[][], woeArray: d.woeArray as number[][] }, metadata.uid);
    getAndSetParams(model, metadata, { api: ctx.api });
    return model;
  },
});
