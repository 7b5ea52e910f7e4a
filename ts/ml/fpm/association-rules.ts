/**
 * FPGrowthModel's association rules and predictions, as Spark's ml.fpm.FPGrowthModel over
 * mllib.fpm.AssociationRules (Spark 3 definitions: confidence = freq(X ∪ Y) / freq(X),
 * lift = confidence / support(Y), support = freq(X ∪ Y) / numTrainingRecords), computed on the
 * driver from the model's frequent itemsets (model data, not training data).
 */
import * as arrow from 'apache-arrow';
import type { AnyData } from '../../src/dataframe/batch.js';
import type { DataFrame } from '../../src/dataframe/dataframe.js';
import { resolveIndex } from '../../src/dataframe/eval.js';
import { itemsKey, readItemRows, type Item } from './items.js';

/** One association rule (Spark's Rule with the ML columns). */
export interface AssociationRule {
  antecedent: Item[];
  consequent: Item[];
  confidence: number;
  lift: number | null;
  support: number;
}

/** Reads (items, freq) rows of a freqItemsets DataFrame. */
export async function readItemsets(api: string, df: DataFrame): Promise<Array<{ items: Item[]; freq: number }>> {
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
export function predictRow(row: Item[] | null, rules: readonly AssociationRule[]): Item[] {
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
