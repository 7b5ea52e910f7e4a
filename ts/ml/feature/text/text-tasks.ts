/**
 * The executor side of Tokenizer, RegexTokenizer, StopWordsRemover and NGram: each is a map
 * task over a partition (run by `df.mapInArrow`) that reads the input column(s), applies the
 * per-document function of text-tokens.ts and appends the output column(s). A null input row is
 * an error naming the row over the whole DataFrame (text-columns.ts).
 */
import * as arrow from 'apache-arrow';
import { isValidAt, type AnyData, appendColumn, appendColumns } from '../../../src/dataframe/batch.js';
import { defineTask } from '../../../src/exec/task.js';
import { columnOf } from '../../data/checked-summary.js';
import { documentsOf, nullRow, stringListColumn, tokenListsOf, TokenWriter, utf8Of, type RowSite } from './text-columns.js';
import { ngrams, regexTokenize, stopWordsFilter, tokenize, type RegexSpec } from './text-tokens.js';

interface OneColumn {
  api: string;
  inputCol: string;
  outputCol: string;
}

function appendLists(b: arrow.RecordBatch, outputCol: string, lists: ReadonlyArray<ReadonlyArray<string | null>>, containsNull = true): arrow.RecordBatch {
  const col = stringListColumn(lists, containsNull);
  return appendColumn(b, outputCol, col);
}

const isJavaSpace = (c: number) => c === 32 || (c >= 9 && c <= 13);

/**
 * Spark's Tokenizer over a Utf8 column's bytes: an ASCII document is lower-cased and split on
 * Java's whitespace byte by byte (the same tokens as `tokenize`: a segment per delimiter, trailing
 * empty segments dropped, a document without delimiters kept whole); any other document goes
 * through `tokenize` on its JS string.
 */
function tokenizeUtf8(col: AnyData, site: RowSite): AnyData {
  const n = col.length;
  const { offs, buf } = utf8Of(col);
  const src = col.values as Uint8Array;
  const w = new TokenWriter(offs[n]! - offs[0]!, (offs[n]! - offs[0]!) >> 2);
  const listOffsets = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) {
    if (!isValidAt(col, i)) nullRow(site, i);
    const s = offs[i]!;
    const e = offs[i + 1]!;
    let ascii = true;
    for (let p = s; p < e; p++) if (src[p]! >= 0x80) { ascii = false; break; }
    if (!ascii) {
      for (const tok of tokenize(buf.toString('utf8', s, e))) w.pushString(tok);
      listOffsets[i + 1] = w.k;
      continue;
    }
    w.ensureBytes(e - s);
    const out = w.bytes;
    const first = w.k;
    let delimiters = false;
    for (let p = s; p < e; p++) {
      const c = src[p]!;
      if (isJavaSpace(c)) {
        delimiters = true;
        w.endToken();
      } else out[w.pos++] = c >= 65 && c <= 90 ? c + 32 : c;
    }
    w.endToken();
    if (delimiters) while (w.k > first && w.offsets[w.k] === w.offsets[w.k - 1]) w.k--;
    listOffsets[i + 1] = w.k;
  }
  return w.column(listOffsets);
}

export const tokenizerTransform = defineTask<arrow.RecordBatch, OneColumn, arrow.RecordBatch>('feature.tokenizerTransform', (b, t, ctx) => {
  const col = columnOf(b, t.inputCol);
  const site: RowSite = { api: t.api, column: t.inputCol, ctx };
  if (!arrow.DataType.isUtf8(col.type)) return appendLists(b, t.outputCol, documentsOf(col, site).map(tokenize));
  const out = tokenizeUtf8(col, site);
  return appendColumn(b, t.outputCol, out);
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
  return appendColumns(b, fields, cols);
});

export interface NGramBroadcast extends OneColumn {
  n: number;
}

export const ngramTransform = defineTask<arrow.RecordBatch, NGramBroadcast, arrow.RecordBatch>('feature.ngramTransform', (b, t, ctx) => {
  const lists = tokenListsOf(columnOf(b, t.inputCol), { api: t.api, column: t.inputCol, ctx });
  return appendLists(b, t.outputCol, lists.map((l) => ngrams(l, t.n)), false);
});
