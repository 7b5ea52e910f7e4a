/**
 * FP-growth's executor tasks, as Spark's mllib.fpm.FPGrowth (PFP, Li et al. 2008), over the
 * partitions of `df.select(itemsCol)` where they live (fpgrowth.ts drives them):
 *   1. `fpGrowthItems` (summary): baskets and per-item counts of a partition, merged by adding;
 *      a basket with a repeated item fails with Spark's message (genFreqItems);
 *   2. `fpGrowthTrees` (kept): each basket, reduced to its frequent items sorted by rank (rank =
 *      position in the frequency-descending item list), yields one conditional transaction per
 *      item group (group = rank mod numGroups, Spark's HashPartitioner over Int ranks): for the
 *      last item of each group in the basket, the basket's prefix up to that item. Each group's
 *      transactions build one FP-tree, kept on the executor as a block (Spark's aggregateByKey,
 *      map side);
 *   3. `fpGrowthMine`: one task per group reads that group's tree of every partition, merges
 *      them node by node and mines the result (Spark's FPTree.extract with the suffix restricted
 *      to the group's items);
 *   4. `fpGrowthPredict`: FPGrowthModel.transform's narrow operator (Spark's predictUDF with the
 *      association rules broadcast).
 */
import * as arrow from 'apache-arrow';
import { Errors } from '../../src/errors.js';
import { defineSummary, defineTask, type Kept } from '../../src/exec/task.js';
import { FPTree, type PlainTree } from './fp-tree.js';
import { countItems, mergeCounts, onlyColumn, readItemRows, scalaItem, zeroCounts, type Item, type ItemCounts } from './items.js';
import { RaggedBuilder, type Ragged } from './ragged.js';
import { makeBatch, fromValues, type AnyData } from '../../src/dataframe/batch.js';
import { resolveIndex } from '../../src/dataframe/eval.js';
import { predictRow, type AssociationRule } from './association-rules.js';

/** Pass 1: non-null baskets and item counts; a repeated item fails as Spark's genFreqItems. */
export const fpGrowthItems = defineSummary<ItemCounts, arrow.RecordBatch, { api: string }>('fpm.fpGrowthItems', {
  zero: zeroCounts,
  add: (s, batch, b) => {
    const d = onlyColumn(batch);
    const floating = arrow.DataType.isFloat(d.children[0]!.type);
    const rows = readItemRows(d).filter((row): row is Item[] => row !== null);
    for (const row of rows) {
      if (new Set(row).size !== row.length) {
        throw Errors.schema(`${b.api}: Items in a transaction must be unique but got WrappedArray(${row.map((v) => scalaItem(v, floating)).join(', ')}).`);
      }
    }
    return countItems(s, rows.length, (bump) => {
      for (const row of rows) for (const it of row) bump(it);
    });
  },
  merge: mergeCounts,
});

/** What pass 2 needs: the frequent items in rank order and the number of item groups. */
export interface TreesBroadcast {
  items: Item[];
  numGroups: number;
}

/** The groups of the trees a partition kept, in block order (groups without transactions keep nothing). */
export interface TreesMeta {
  groups: number[];
}

/** Pass 2: the conditional transactions of each basket, one FP-tree per item group, kept (Spark's genCondTransactions + aggregateByKey, map side). */
export const fpGrowthTrees = defineTask<arrow.RecordBatch, TreesBroadcast, Kept<TreesMeta>>('fpm.fpGrowthTrees', (batch, b, ctx) => {
  const G = b.numGroups;
  const rank = new Map<Item, number>();
  b.items.forEach((it, r) => rank.set(it, r));
  const trees = new Array<FPTree | undefined>(G);
  const seen = new Uint8Array(G);
  const touched: number[] = [];
  const ranks: number[] = [];
  for (const row of readItemRows(onlyColumn(batch))) {
    if (row === null) continue;
    ranks.length = 0;
    for (const it of row) {
      const r = rank.get(it);
      if (r !== undefined) ranks.push(r);
    }
    ranks.sort((x, y) => x - y);
    for (let i = ranks.length - 1; i >= 0; i--) {
      const g = ranks[i]! % G;
      if (seen[g] === 0) {
        seen[g] = 1;
        touched.push(g);
        (trees[g] ??= new FPTree()).add(ranks, i + 1, 1);
      }
    }
    for (const g of touched) seen[g] = 0;
    touched.length = 0;
  }
  const kept: PlainTree[] = [];
  const groups: number[] = [];
  trees.forEach((t, g) => {
    if (t !== undefined) {
      kept.push(t.toPlain(ctx.alloc));
      groups.push(g);
    }
  });
  return { kept, meta: { groups } };
});

/** Itemsets of ranks (least frequent item first) with their frequencies. */
export interface MinedItemsets {
  itemsets: Ragged;
  freqs: Float64Array;
}

/** Pass 3, the task of group `ctx.partition`: its trees (one per partition holding any) merged, then the frequent itemsets whose first (least frequent) item belongs to the group. */
export const fpGrowthMine = defineTask<PlainTree[], { numGroups: number; minCount: number }, MinedItemsets>('fpm.fpGrowthMine', (trees, b, ctx) => {
  const tree = new FPTree();
  for (const t of trees) tree.merge(t);
  const itemsets = new RaggedBuilder();
  const freqs: number[] = [];
  const G = b.numGroups;
  tree.extract(b.minCount, (r) => r % G === ctx.partition, (itemset, count) => {
    itemsets.push(itemset);
    freqs.push(count);
  });
  return { itemsets: itemsets.build(), freqs: Float64Array.from(freqs) };
});

export interface PredictBroadcast {
  itemsCol: string;
  predictionCol: string;
  rules: AssociationRule[];
}

/** Appends, per basket, the consequents of the rules whose antecedents it holds, minus its own items. */
export const fpGrowthPredict = defineTask<arrow.RecordBatch, PredictBroadcast, arrow.RecordBatch>('fpm.fpGrowthPredict', (batch, b) => {
  const col = batch.data.children[resolveIndex('FPGrowthModel', b.itemsCol, batch.schema)]! as AnyData;
  const rows = readItemRows(col);
  const out = fromValues(col.type, rows.map((r) => predictRow(r, b.rules)));
  const schema = new arrow.Schema([...batch.schema.fields, new arrow.Field(b.predictionCol, col.type, true)]);
  return makeBatch(schema, [...(batch.data.children as AnyData[]), out], batch.numRows);
});
