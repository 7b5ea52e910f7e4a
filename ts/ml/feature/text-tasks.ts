/**
 * The executor side of Tokenizer, RegexTokenizer, StopWordsRemover and NGram: each is a map
 * task over a partition (run by `df.mapInArrow`) that reads the input column(s), applies the
 * per-document function of text-tokens.ts and appends the output column(s). A null input row is
 * an error naming the row over the whole DataFrame (text-columns.ts).
 */
import * as arrow from 'apache-arrow';
import { makeBatch, type AnyData } from '../../src/dataframe/batch.js';
import { defineTask } from '../../src/exec/task.js';
import { columnOf } from '../data/checked-summary.js';
import { documentsOf, stringListColumn, tokenListsOf, type RowSite } from './text-columns.js';
import { ngrams, regexTokenize, stopWordsFilter, tokenize, type RegexSpec } from './text-tokens.js';

interface OneColumn {
  api: string;
  inputCol: string;
  outputCol: string;
}

function append(b: arrow.RecordBatch, fields: readonly arrow.Field[], cols: readonly AnyData[]): arrow.RecordBatch {
  const schema = new arrow.Schema([...b.schema.fields, ...fields]);
  return makeBatch(schema, [...(b.data.children as AnyData[]), ...cols], b.numRows);
}

function appendLists(b: arrow.RecordBatch, outputCol: string, lists: ReadonlyArray<ReadonlyArray<string | null>>, containsNull = true): arrow.RecordBatch {
  const col = stringListColumn(lists, containsNull);
  return append(b, [new arrow.Field(outputCol, col.type, true)], [col]);
}

export const tokenizerTransform = defineTask<arrow.RecordBatch, OneColumn, arrow.RecordBatch>('feature.tokenizerTransform', (b, t, ctx) => {
  const docs = documentsOf(columnOf(b, t.inputCol), { api: t.api, column: t.inputCol, ctx });
  return appendLists(b, t.outputCol, docs.map(tokenize));
});

export interface RegexTokenizerBroadcast extends OneColumn, RegexSpec {}

export const regexTokenizerTransform = defineTask<arrow.RecordBatch, RegexTokenizerBroadcast, arrow.RecordBatch>('feature.regexTokenizerTransform', (b, t, ctx) => {
  const docs = documentsOf(columnOf(b, t.inputCol), { api: t.api, column: t.inputCol, ctx });
  const re = new RegExp(t.source, t.flags);
  return appendLists(b, t.outputCol, docs.map((d) => regexTokenize(re, t, d)));
});

export interface StopWordsBroadcast {
  api: string;
  inputCols: string[];
  outputCols: string[];
  stopWords: string[];
  caseSensitive: boolean;
  locale: string;
}

export const stopWordsTransform = defineTask<arrow.RecordBatch, StopWordsBroadcast, arrow.RecordBatch>('feature.stopWordsTransform', (b, t, ctx) => {
  const filter = stopWordsFilter(t.stopWords, t.caseSensitive, t.locale);
  const fields: arrow.Field[] = [];
  const cols: AnyData[] = [];
  t.inputCols.forEach((name, j) => {
    const input = columnOf(b, name);
    const site: RowSite = { api: t.api, column: name, ctx };
    // the output keeps the input's element nullability (Spark: outputSchema = input's data type)
    const col = stringListColumn(tokenListsOf(input, site).map(filter), (input.type as arrow.List).children[0]!.nullable);
    fields.push(new arrow.Field(t.outputCols[j]!, col.type, true));
    cols.push(col);
  });
  return append(b, fields, cols);
});

export interface NGramBroadcast extends OneColumn {
  n: number;
}

export const ngramTransform = defineTask<arrow.RecordBatch, NGramBroadcast, arrow.RecordBatch>('feature.ngramTransform', (b, t, ctx) => {
  const lists = tokenListsOf(columnOf(b, t.inputCol), { api: t.api, column: t.inputCol, ctx });
  return appendLists(b, t.outputCol, lists.map((l) => ngrams(l, t.n)), false);
});
