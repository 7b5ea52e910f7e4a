/**
 * FPGrowth and FPGrowthModel (Spark's ml.fpm): a parallel FP-growth (PFP, Li et al. 2008) over
 * an array column of items (strings, integers, floating-point numbers or booleans; the element
 * type is kept in every output column, as Spark's generic Item).
 *
 * fit, as Spark's mllib FPGrowth.run, in three distributed passes over the items column where
 * the DataFrame's partitions live (fpgrowth-tasks.ts; the driver never holds the baskets):
 *   1. each partition counts its baskets and item frequencies; the driver merges them (Spark's
 *      treeAggregate order, docs/formats/SPARK_DEFINITIONS.md §14), keeps items with
 *      count >= minCount = ceil(minSupport * baskets) and ranks them by descending count (ties
 *      by item value, so runs are reproducible);
 *   2. each partition turns each basket into one conditional transaction per item group
 *      (group = rank mod numPartitions: the param, else the DataFrame's partition count, as
 *      Spark) and folds them into one FP-tree per group, kept on its executor as a block;
 *   3. each group is mined as its own task, which reads the group's trees of every partition and
 *      merges them node by node (only itemsets whose least frequent item belongs to the group),
 *      so groups run in parallel on the executors.
 * Rows whose items column is null are ignored (not counted); empty baskets count as baskets. A
 * basket with a repeated item fails as Spark: "Items in a transaction must be unique but got
 * WrappedArray(…)." (Scala 2.12's rendering, as Spark 3.5 prints it).
 *
 * The model holds `freqItemsets` (items array<T> not null, freq bigint not null; each itemset
 * lists its items from the least to the most frequent, as Spark's FP-tree yields them) and
 * computes `associationRules` (antecedent, consequent array<T>, confidence, lift (null when the
 * consequent's support is unknown), support; Spark 3 definitions: confidence =
 * freq(X ∪ Y) / freq(X), lift = confidence / support(Y), support = freq(X ∪ Y) / numTrainingRecords)
 * for the current minConfidence, cached per value (association-rules.ts). `transform` appends
 * `predictionCol` (type of the items column): the distinct consequents of the rules whose
 * antecedent the row contains, minus the row's items, in rule order; a null row predicts [].
 *
 * Persistence is Spark's: org.apache.spark.ml.fpm.FPGrowth (params only) and
 * org.apache.spark.ml.fpm.FPGrowthModel (metadata with numTrainingRecords, data/ = the
 * freqItemsets Parquet). Files of Spark < 2.4 have no numTrainingRecords: lift is then null and
 * support divides by 0, as Spark.
 *
 * Row order of the outputs is not meaningful in Spark (it follows hash partitions); kindling's is
 * deterministic: itemsets by their least frequent item's rank, then depth first; rules grouped by
 * antecedent in freqItemsets order.
 */
import * as arrow from 'apache-arrow';
import { Errors, KindlingError } from '../../src/errors.js';
import { lazyFrame, type DataFrame, type SessionLike } from '../../src/dataframe/dataframe.js';
import type { JobSource } from '../../src/exec/jobs.js';
import { resolveIndex } from '../../src/dataframe/eval.js';
import { sparkTypeName } from '../../src/dataframe/types.js';
import { Session } from '../../src/session.js';
import { MLWritable } from '../ml-writable.js';
import type { ParamMap } from '../param/params.js';
import { getAndSetParams, readData, register, writeData, writeMetadata } from '../persist.js';
import { Estimator, Model, type FitOptions } from '../stage.js';
import { FPGrowthParamsMixin, type FPGrowthParamsOptions } from './fpm-params.js';
import { associationRulesOf, readItemsets, type AssociationRule } from './association-rules.js';
import { columnField } from '../data/schema-checks.js';
import { batchOf, checkItemType, columnSource, doubleColumn, listColumn, longColumn } from './common.js';
import { fpGrowthItems, fpGrowthMine, fpGrowthPredict, fpGrowthTrees, type PredictBroadcast, type TreesBroadcast, type TreesMeta } from './fpgrowth-tasks.js';
import { frequentItems, type Item } from './items.js';
import { listAt } from './ragged.js';

export type FPGrowthOptions = FPGrowthParamsOptions;

export type FPGrowthModelOptions = FPGrowthOptions;

/** Spark's validateAndTransformSchema: the items column must be an array; the prediction column (same type) must be new. */
function validateAndTransformSchema(api: string, schema: arrow.Schema, itemsCol: string, predictionCol: string): arrow.Schema {
  const t = columnField(api, schema, itemsCol).field.type;
  if (!arrow.DataType.isList(t)) throw Errors.schema(`${api}: The input column must be array, but got ${sparkTypeName(t)}.`);
  if (schema.fields.some((f) => f.name.toLowerCase() === predictionCol.toLowerCase())) throw Errors.schema(`${api}: Column ${predictionCol} already exists.`);
  return new arrow.Schema([...schema.fields, new arrow.Field(predictionCol, t, true)]);
}

/**
 * Spark's mllib FPGrowth.run over the baskets of `source`: the baskets (non-null rows), the
 * frequent items by rank with their counts, and the frequent itemsets as ranks (least frequent
 * item first), ordered by their first rank, then depth first. The trees stay on the executors
 * between the passes that build and mine them.
 */
async function frequentItemsets(api: string, session: SessionLike, source: JobSource, minSupport: number, numGroups: number, progress: (current: number, message: string) => void) {
  progress(1, 'counting items');
  const counts = await session.treeAggregate(fpGrowthItems, source, { api });
  const minCount = Math.ceil(minSupport * counts.n);
  const freq = frequentItems(counts, minCount);
  const itemsets: Array<{ ranks: Int32Array; freq: number }> = [];
  if (freq.items.length > 0) {
    progress(2, `building ${numGroups} conditional FP-trees`);
    const trees = await session.keepTasks<arrow.RecordBatch, TreesBroadcast, TreesMeta>(fpGrowthTrees, source, { items: freq.items, numGroups });
    try {
      progress(3, 'mining the FP-trees');
      const byGroup: number[][] = Array.from({ length: numGroups }, () => []);
      for (const p of trees.parts) p.meta.groups.forEach((g, k) => byGroup[g]!.push(p.ids[k]!));
      const groups = byGroup.flatMap((ids, g) => (ids.length > 0 ? [g] : []));
      const mined = await session.runTasks(fpGrowthMine, { inputs: groups.map((g) => ({ blocks: byGroup[g]! })), partitions: groups }, { numGroups, minCount });
      for (const m of mined) for (let i = 0; i < m.freqs.length; i++) itemsets.push({ ranks: listAt(m.itemsets, i), freq: m.freqs[i]! });
    } finally {
      trees.release();
    }
  }
  itemsets.sort((a, b) => a.ranks[0]! - b.ranks[0]!); // stable: depth-first order within a suffix is kept
  return { n: counts.n, freqItems: freq.items, itemCounts: freq.counts, itemsets };
}

export class FPGrowth extends MLWritable(FPGrowthParamsMixin(Estimator<FPGrowthModel>)) {
  constructor(options?: FPGrowthOptions, uid?: string) {
    super(uid);
    this.setParams(options as Record<string, unknown> | undefined);
  }

  transformSchema(schema: arrow.Schema): arrow.Schema {
    return validateAndTransformSchema(this.stageName, schema, this.getItemsCol(), this.getPredictionCol());
  }

  protected async fitImpl(df: DataFrame, options: FitOptions): Promise<FPGrowthModel> {
    const api = this.stageName;
    const itemsCol = this.getItemsCol();
    const itemsType = columnField(api, df.schema, itemsCol).field.type;
    checkItemType(api, itemsCol, itemsType.children[0]!.type);
    const progress = (current: number, message: string) => options.onProgress?.({ stage: this.uid, kind: 'stage', current, total: 3, message });
    const source = await columnSource(df, itemsCol);
    const numGroups = this.isSet(this.numPartitions) ? this.getNumPartitions() : Math.max(1, source.inputs.length);
    const { n, freqItems, itemCounts, itemsets } = await frequentItemsets(api, df.session, source, this.getMinSupport(), numGroups, progress);
    const itemSupport = new Map<Item, number>(freqItems.map((it, r) => [it, itemCounts[r]! / n]));
    const schema = new arrow.Schema([new arrow.Field('items', itemsType, false), new arrow.Field('freq', new arrow.Int64(), false)]);
    const batch = batchOf(schema, [listColumn(itemsType, itemsets.map((s) => Array.from(s.ranks, (r) => freqItems[r]!))), longColumn(itemsets.map((s) => s.freq))], itemsets.length);
    const freqItemsets = lazyFrame(df.session, schema, async () => [batch]);
    const model = new FPGrowthModel(undefined, this.uid, { freqItemsets, itemSupport, numTrainingRecords: n });
    return this.copyValues(model);
  }
}

interface FPGrowthModelState {
  freqItemsets: DataFrame;
  itemSupport: Map<Item, number>;
  numTrainingRecords: number;
}

export class FPGrowthModel extends MLWritable(FPGrowthParamsMixin(Model)) {
  private state: FPGrowthModelState | null;
  private rulesCache: { minConfidence: number; rules: Promise<AssociationRule[]>; df: DataFrame } | null = null;

  constructor(options?: FPGrowthModelOptions, uid?: string, state?: FPGrowthModelState) {
    super(uid);
    this.state = state ?? null;
    this.setParams(options as Record<string, unknown> | undefined);
  }

  private fitted(): FPGrowthModelState {
    if (!this.state) throw new KindlingError('ERR_KINDLING_NOT_FITTED', `${this.stageName}: this FPGrowthModel has no frequent itemsets (fit an FPGrowth or load a saved model)`);
    return this.state;
  }

  /** Frequent itemsets: items (array of the items column's type), freq (bigint). */
  get freqItemsets(): DataFrame {
    return this.fitted().freqItemsets;
  }

  /** Baskets the model was fitted on (0 for models saved by Spark < 2.4). */
  get numTrainingRecords(): number {
    return this.fitted().numTrainingRecords;
  }

  private rulesEntry(): { rules: Promise<AssociationRule[]>; df: DataFrame } {
    const minConfidence = this.getMinConfidence();
    if (this.rulesCache && this.rulesCache.minConfidence === minConfidence) return this.rulesCache;
    const st = this.fitted();
    const api = this.stageName;
    let pending: Promise<AssociationRule[]> | null = null;
    const rules = (): Promise<AssociationRule[]> => {
      pending ??= readItemsets(api, st.freqItemsets).then((sets) => associationRulesOf(sets, minConfidence, st.itemSupport, st.numTrainingRecords));
      pending.catch(() => {
        pending = null;
      });
      return pending;
    };
    const dt = st.freqItemsets.schema.fields[resolveIndex(api, 'items', st.freqItemsets.schema)]!.type;
    const schema = new arrow.Schema([
      new arrow.Field('antecedent', dt, false),
      new arrow.Field('consequent', dt, false),
      new arrow.Field('confidence', new arrow.Float64(), false),
      new arrow.Field('lift', new arrow.Float64(), true),
      new arrow.Field('support', new arrow.Float64(), false),
    ]);
    const df = lazyFrame(st.freqItemsets.session, schema, async () => {
      const rs = await rules();
      return [
        batchOf(schema, [
          listColumn(dt, rs.map((r) => r.antecedent)),
          listColumn(dt, rs.map((r) => r.consequent)),
          doubleColumn(rs.map((r) => r.confidence)),
          doubleColumn(rs.map((r) => r.lift)),
          doubleColumn(rs.map((r) => r.support)),
        ], rs.length),
      ];
    });
    const entry = { minConfidence, get rules() { return rules(); }, df };
    this.rulesCache = entry;
    return entry;
  }

  /** Association rules for the current minConfidence (computed when first used, cached per value). */
  get associationRules(): DataFrame {
    return this.rulesEntry().df;
  }

  /** The association rules as objects, in the associationRules row order. */
  async associationRulesArray(): Promise<AssociationRule[]> {
    return this.rulesEntry().rules;
  }

  transformSchema(schema: arrow.Schema): arrow.Schema {
    return validateAndTransformSchema(this.stageName, schema, this.getItemsCol(), this.getPredictionCol());
  }

  protected transformImpl(df: DataFrame): DataFrame {
    const api = this.stageName;
    const outSchema = this.transformSchema(df.schema);
    const idx = resolveIndex(api, this.getItemsCol(), df.schema);
    const dt = df.schema.fields[idx]!.type;
    checkItemType(api, this.getItemsCol(), dt.children[0]!.type);
    const entry = this.rulesEntry();
    const itemsCol = this.getItemsCol();
    const predictionCol = this.getPredictionCol();
    return df.mapInArrow(fpGrowthPredict, outSchema, async (): Promise<PredictBroadcast> => ({ itemsCol, predictionCol, rules: await entry.rules }));
  }

  override copy(extra?: ParamMap): this {
    const that = super.copy(extra);
    (that as FPGrowthModel).state = this.state;
    that.setParent(this.parent);
    return that;
  }

  override toString(): string {
    return `FPGrowthModel: uid=${this.uid}, numTrainingRecords=${this.state?.numTrainingRecords ?? 0}`;
  }
}

register('org.apache.spark.ml.fpm.FPGrowth', FPGrowth);

register('org.apache.spark.ml.fpm.FPGrowthModel', FPGrowthModel, {
  async save(model, path, ctx) {
    await writeMetadata(model, path, ctx, { extraMetadata: { numTrainingRecords: model.numTrainingRecords } });
    await writeData(path, await model.freqItemsets.toArrow());
  },
  async load(path, md, ctx) {
    const [major, minor] = md.version;
    let numTrainingRecords = 0;
    if (major > 2 || (major === 2 && minor >= 4)) {
      const raw = md.metadata.numTrainingRecords;
      if (!(typeof raw === 'number' || typeof raw === 'bigint') || !Number.isSafeInteger(Number(raw)) || Number(raw) < 0) {
        throw Errors.load(`${ctx.api}: expected a count for "numTrainingRecords" in the metadata of ${path}, got ${String(raw)}`);
      }
      numTrainingRecords = Number(raw);
    }
    const session = ctx.session ?? Session.active;
    if (!session) throw Errors.load(`${ctx.api}: loading an FPGrowthModel builds DataFrames and needs a Session: create one first (Session.builder().getOrCreate()) or pass it to load(path, session)`);
    const table = await readData(path, 'data', ctx.api);
    const items = table.schema.fields.find((f) => f.name === 'items');
    if (!items || !arrow.DataType.isList(items.type) || !table.schema.fields.some((f) => f.name === 'freq')) {
      throw Errors.load(`${ctx.api}: the data/ of ${path} must hold columns items (array) and freq (bigint), found ${table.schema.fields.map((f) => `${f.name}: ${sparkTypeName(f.type)}`).join(', ')}`);
    }
    const freqItemsets = lazyFrame(session, table.schema, async () => table.batches.slice());
    const itemSupport = new Map<Item, number>();
    if (numTrainingRecords !== 0) {
      for (const s of await readItemsets(ctx.api, freqItemsets)) if (s.items.length === 1) itemSupport.set(s.items[0]!, s.freq / numTrainingRecords);
    }
    const model = new FPGrowthModel(undefined, md.uid, { freqItemsets, itemSupport, numTrainingRecords });
    getAndSetParams(model, md, { api: ctx.api });
    return model;
  },
});
