/**
 * FPGrowth and FPGrowthModel (Spark's ml.fpm): a parallel FP-growth (PFP, Li et al. 2008) over
 * an array column of items (strings, integers, floating-point numbers or booleans; the element
 * type is kept in every output column, as Spark's generic Item).
 *
 * fit, as Spark's mllib FPGrowth.run, in three distributed steps (tasks.ts):
 *   1. each partition counts its baskets and item frequencies; the driver merges them (Spark's
 *      treeAggregate order), keeps items with count >= minCount = ceil(minSupport * baskets)
 *      and ranks them by descending count (ties by item value, so runs are reproducible);
 *   2. each partition turns each basket into one conditional transaction per item group
 *      (group = rank mod numPartitions: the param, else the DataFrame's partition count, as
 *      Spark) and folds them into one FP-tree per group; trees merge node by node;
 *   3. each group's tree is mined as its own task (only itemsets whose least frequent item
 *      belongs to the group), so groups run in parallel on the executors.
 * Rows whose items column is null are ignored (not counted); empty baskets count as baskets. A
 * basket with a repeated item fails as Spark: "Items in a transaction must be unique but got
 * WrappedArray(…)." (Scala 2.12's rendering, as Spark 3.5 prints it).
 *
 * The model holds `freqItemsets` (items array<T> not null, freq bigint not null; each itemset
 * lists its items from the least to the most frequent, as Spark's FP-tree yields them) and
 * computes `associationRules` (antecedent, consequent array<T>, confidence, lift (null when the
 * consequent's support is unknown), support; Spark 3 definitions: confidence =
 * freq(X ∪ Y) / freq(X), lift = confidence / support(Y), support = freq(X ∪ Y) / numTrainingRecords)
 * for the current minConfidence, cached per value. `transform` appends `predictionCol` (type of
 * the items column): the distinct consequents of the rules whose antecedent the row contains,
 * minus the row's items, in rule order; a null row predicts [].
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
import type { AnyData } from '../../src/dataframe/batch.js';
import type { DataFrame } from '../../src/dataframe/dataframe.js';
import { resolveIndex } from '../../src/dataframe/eval.js';
import { sparkTypeName } from '../../src/dataframe/types.js';
import { Session } from '../../src/session.js';
import { MLWritable } from '../ml-writable.js';
import type { ParamMap } from '../param/params.js';
import { getAndSetParams, readData, register, writeData, writeMetadata, type JsonKind } from '../persist.js';
import { Estimator, Model, type FitOptions } from '../stage.js';
import { FPGrowthParamsMixin, type FPGrowthParamsOptions } from './fpm-params.js';
import { batchOf, checkItemType, columnTasks, doubleColumn, fieldOf, fpmRef, itemsKey, lazyFrame, listColumn, longColumn } from './common.js';
import { compareItems, readItemRows, type ColumnTask, type GroupTrees, type Item, type ItemCounts, type MinedItemsets, type MineTask, type TreesBroadcast } from '../../src/kernels/fpm-tasks.js';

export type FPGrowthOptions = FPGrowthParamsOptions;

export type FPGrowthModelOptions = FPGrowthOptions;

/** One association rule (Spark's Rule with the ML columns). */
export interface AssociationRule {
  antecedent: Item[];
  consequent: Item[];
  confidence: number;
  lift: number | null;
  support: number;
}

const JSON_KINDS: Readonly<Record<string, JsonKind>> = { minSupport: 'double', minConfidence: 'double', numPartitions: 'int' };

/** Spark's validateAndTransformSchema: the items column must be an array; the prediction column (same type) must be new. */
function validateAndTransformSchema(api: string, schema: arrow.Schema, itemsCol: string, predictionCol: string): arrow.Schema {
  const t = fieldOf(api, schema, itemsCol).type;
  if (!arrow.DataType.isList(t)) throw Errors.schema(`${api}: The input column must be array, but got ${sparkTypeName(t)}.`);
  if (schema.fields.some((f) => f.name.toLowerCase() === predictionCol.toLowerCase())) throw Errors.schema(`${api}: Column ${predictionCol} already exists.`);
  return new arrow.Schema([...schema.fields, new arrow.Field(predictionCol, t, true)]);
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
    const itemsType = fieldOf(api, df.schema, itemsCol).type;
    checkItemType(api, itemsCol, itemsType.children[0]!.type);
    const progress = (current: number, message: string) => options.onProgress?.({ stage: this.uid, kind: 'stage', current, total: 3, message });
    const session = df.session;
    const { tasks, numPartitions } = await columnTasks(api, df, itemsCol);

    progress(1, 'counting items');
    const counts = await session.treeAggregate<ItemCounts, ColumnTask, null>(fpmRef('fpGrowthItemsSummary'), tasks, null);
    const n = counts.n;
    const minCount = Math.ceil(this.getMinSupport() * n);
    const order: number[] = [];
    for (let i = 0; i < counts.items.length; i++) if (counts.counts[i]! >= minCount) order.push(i);
    order.sort((a, b) => counts.counts[b]! - counts.counts[a]! || compareItems(counts.items[a]!, counts.items[b]!));
    const freqItems = order.map((i) => counts.items[i]!);
    const itemSupport = new Map<Item, number>(order.map((i) => [counts.items[i]!, counts.counts[i]! / n]));

    const numGroups = this.isSet(this.numPartitions) ? this.getNumPartitions() : Math.max(1, numPartitions);
    let mined: MinedItemsets[] = [];
    if (freqItems.length > 0) {
      progress(2, `building ${numGroups} conditional FP-trees`);
      const trees = await session.treeAggregate<GroupTrees, ColumnTask, TreesBroadcast>(fpmRef('fpGrowthTreesSummary'), tasks, { items: freqItems, numGroups });
      progress(3, 'mining the FP-trees');
      const mineTasks: MineTask[] = [];
      trees.trees.forEach((tree, group) => {
        if (tree.parent.length > 1) mineTasks.push({ tree, group, numGroups, minCount });
      });
      mined = await session.runTasks<MineTask, null, MinedItemsets>(fpmRef('fpGrowthMineSummary'), mineTasks, null);
    }

    const itemsets: Array<{ ranks: Int32Array; freq: number }> = [];
    for (const m of mined) for (let i = 0; i < m.freqs.length; i++) itemsets.push({ ranks: m.ranks.subarray(m.offsets[i]!, m.offsets[i + 1]!), freq: m.freqs[i]! });
    itemsets.sort((a, b) => a.ranks[0]! - b.ranks[0]!); // stable: depth-first order within a suffix is kept
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

/** Reads (items, freq) rows of a freqItemsets DataFrame. */
async function readItemsets(api: string, df: DataFrame): Promise<Array<{ items: Item[]; freq: number }>> {
  const schema = df.schema;
  const ii = resolveIndex(api, 'items', schema);
  const fi = resolveIndex(api, 'freq', schema);
  const out: Array<{ items: Item[]; freq: number }> = [];
  for (const b of await df.partitions()) {
    const rows = readItemRows(b.data.children[ii]! as AnyData);
    const freq = arrow.makeVector(b.data.children[fi]!);
    for (let i = 0; i < b.numRows; i++) {
      const f = freq.get(i);
      out.push({ items: rows[i] ?? [], freq: Number(f) });
    }
  }
  return out;
}

/**
 * Spark's AssociationRules.run + getAssociationRulesFromFP: for each frequent itemset and each of
 * its items, the rule (itemset minus the item) ⇒ item, joined with the antecedent's frequency
 * (by the exact item sequence), kept when confidence >= minConfidence.
 */
export function associationRulesOf(itemsets: ReadonlyArray<{ items: readonly Item[]; freq: number }>, minConfidence: number, itemSupport: ReadonlyMap<Item, number>, numTrainingRecords: number): AssociationRule[] {
  const candidates = new Map<string, Array<{ antecedent: Item[]; consequent: Item[]; freqUnion: number }>>();
  for (const s of itemsets) {
    for (const item of s.items) {
      const consequent = s.items.filter((x) => x === item);
      const antecedent = s.items.filter((x) => x !== item);
      if (antecedent.length === 0) continue;
      const key = itemsKey(antecedent);
      let list = candidates.get(key);
      if (!list) candidates.set(key, (list = []));
      list.push({ antecedent, consequent, freqUnion: s.freq });
    }
  }
  const rules: AssociationRule[] = [];
  for (const s of itemsets) {
    const list = candidates.get(itemsKey(s.items));
    if (!list) continue;
    for (const c of list) {
      const confidence = c.freqUnion / s.freq;
      if (!(confidence >= minConfidence)) continue;
      const sup = itemSupport.get(c.consequent[0]!);
      rules.push({ antecedent: c.antecedent, consequent: c.consequent, confidence, lift: sup === undefined ? null : confidence / sup, support: c.freqUnion / numTrainingRecords });
    }
  }
  return rules;
}

/** Spark's predictUDF: distinct consequents of the applicable rules, minus the row's items. */
function predictRow(row: Item[] | null, rules: readonly AssociationRule[]): Item[] {
  if (row === null) return [];
  const itemset = new Set(row);
  const out: Item[] = [];
  const seen = new Set<Item>();
  for (const r of rules) {
    if (!r.antecedent.every((a) => itemset.has(a))) continue;
    for (const c of r.consequent) {
      if (itemset.has(c) || seen.has(c)) continue;
      seen.add(c);
      out.push(c);
    }
  }
  return out;
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
    return lazyFrame(df.session, outSchema, async () => {
      const rules = await entry.rules;
      const parts = await df.partitions();
      return parts.map((b) => {
        const rows = readItemRows(b.data.children[idx]! as AnyData);
        return batchOf(outSchema, [...(b.data.children as AnyData[]), listColumn(dt, rows.map((r) => predictRow(r, rules)))], b.numRows);
      });
    });
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

register('org.apache.spark.ml.fpm.FPGrowth', FPGrowth, { jsonKinds: JSON_KINDS });

register('org.apache.spark.ml.fpm.FPGrowthModel', FPGrowthModel, {
  jsonKinds: JSON_KINDS,
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
