/**
 * HashingTF (Spark's ml.feature.HashingTF): maps a token list to a SparseVector of term counts,
 * a term's index being nonNegativeMod(MurmurHash3_x86_32(UTF-8 bytes, seed 42), numFeatures)
 * (Spark 3's hashUnsafeBytes2; ts/src/kernels/hash.ts). binary sets every non-zero count to 1.
 *   - transform: a map task handing the partition's list<utf8> buffers to the native hashingTf
 *     kernel (ts/src/kernels/text.ts), whose sparse rows become the VectorUDT column as they
 *     are; a null token list is an error naming the row (Spark's UDF fails on it), a null token
 *     hashes to the seed (Spark's murmur3Hash(null)).
 *   - persistence: metadata only (DefaultParamsWriter). A HashingTF saved by Spark 2 (sparkVersion
 *     major < 3) hashes with Spark 2's hashUnsafeBytes, as Spark's HashingTF.load does; kindling
 *     saves with its Spark version (3.x), so such a stage saved again hashes as Spark 3, as in Spark.
 */
import * as arrow from 'apache-arrow';
import { Errors } from '../../../src/errors.js';
import { type AnyData, appendColumn } from '../../../src/dataframe/batch.js';
import type { DataFrame } from '../../../src/dataframe/dataframe.js';
import { Types } from '../../../src/dataframe/types.js';
import { defineTask } from '../../../src/exec/task.js';
import { hashInt, hashLong, murmur3String, nonNegativeMod, packStrings, SPARK_HASH_SEED, murmur3BatchJs } from '../../../src/kernels/hash.js';
import { hashingTf, tfRowsFromHashes, type TokenLists } from '../../../src/kernels/text.js';
import { isValidAt } from '../../../src/dataframe/batch.js';
import { isNumericType, sparkTypeName } from '../../../src/dataframe/types.js';
import { columnField } from '../../data/schema-checks.js';
import { columnOf } from '../../data/checked-summary.js';
import { MLWritable } from '../../ml-writable.js';
import { getAndSetParams, register } from '../../persist.js';
import { Transformer } from '../../stage.js';
import { HashingTFParamsMixin, type HashingTFParamsOptions } from './text-params.js';
import { checkNewColumn, isStringArrayType, refuseNulls, sparseRowsColumn, tokenListsOf, withField, type RowSite } from './text-columns.js';

interface HashingTFBroadcast {
  api: string;
  inputCol: string;
  outputCol: string;
  numFeatures: number;
  binary: boolean;
  legacy: boolean;
}

/** A list<utf8> column's buffers as the kernel reads them (dictionary strings are packed first). */
function tokenBuffers(col: AnyData, site: RowSite): TokenLists {
  const child = col.children[0]! as AnyData;
  if (arrow.DataType.isUtf8(child.type)) {
    // arrow-js buffers may be longer than the rows they hold (builder capacity): take n + 1 offsets
    return {
      bytes: child.values as Uint8Array,
      strOffsets: (child.valueOffsets as Int32Array).subarray(0, child.length + 1),
      validity: child.nullCount > 0 ? (child.nullBitmap as Uint8Array) : null,
      bitOffset: child.offset,
      listOffsets: (col.valueOffsets as Int32Array).subarray(0, col.length + 1),
    };
  }
  const lists = tokenListsOf(col, site);
  const flat = lists.flat();
  const packed = packStrings(flat.map((s) => s ?? ''));
  const validity = new Uint8Array((flat.length + 7) >> 3).fill(0xff);
  flat.forEach((s, j) => {
    if (s === null) validity[j >> 3]! &= ~(1 << (j & 7));
  });
  const listOffsets = new Int32Array(lists.length + 1);
  lists.forEach((l, i) => (listOffsets[i + 1] = listOffsets[i]! + l.length));
  return { bytes: packed.bytes, strOffsets: packed.offsets, validity, bitOffset: 0, listOffsets };
}

const f64 = new Float64Array(1);
const f32 = new Float32Array(1);
const i32 = new Int32Array(f32.buffer);
const i64 = new BigInt64Array(f64.buffer);

/**
 * Spark's murmur3Hash (FeatureHasher.murmur3Hash) of a non-string term: boolean, byte, short and
 * int through hashInt, long through hashLong, float as floatToIntBits, double as doubleToLongBits
 * (NaN canonical, -0.0 kept), null as the seed.
 */
function termHashes(child: AnyData, lo: number, hi: number): Int32Array {
  const t = child.type;
  const out = new Int32Array(hi - lo);
  const v = child.values as ArrayLike<number | bigint>;
  for (let j = lo; j < hi; j++) {
    let h = SPARK_HASH_SEED;
    if (isValidAt(child, j)) {
      if (arrow.DataType.isBool(t)) h = hashInt(((v as Uint8Array)[(child.offset + j) >> 3]! >> ((child.offset + j) & 7)) & 1);
      else if (arrow.DataType.isInt(t) && t.bitWidth === 64) h = hashLong(v[j] as bigint);
      else if (arrow.DataType.isInt(t)) h = hashInt(v[j] as number);
      else if (arrow.DataType.isFloat(t) && t.precision === arrow.Precision.SINGLE) {
        f32[0] = v[j] as number;
        h = hashInt(Number.isNaN(f32[0]) ? 0x7fc00000 : i32[0]!);
      } else {
        f64[0] = v[j] as number;
        h = hashLong(Number.isNaN(f64[0]) ? 0x7ff8000000000000n : i64[0]!);
      }
    }
    out[j - lo] = h;
  }
  return out;
}

/** HashingTF's input: an array of strings, numbers or booleans (Spark takes any array; the terms kindling can hash). */
function checkTermsCol(api: string, schema: arrow.Schema, name: string): void {
  const { field } = columnField(api, schema, name);
  const t = field.type;
  const el = arrow.DataType.isList(t) ? t.children[0]!.type : null;
  if (!(isStringArrayType(t) || (el && (isNumericType(el) || arrow.DataType.isBool(el))))) {
    throw Errors.schema(`${api}: column ${name} (inputCol) must be an array (of strings, numbers or booleans), but is ${sparkTypeName(t)}`);
  }
}

export const hashingTFTransform = defineTask<arrow.RecordBatch, HashingTFBroadcast, arrow.RecordBatch>('feature.hashingTFTransform', (b, t, ctx) => {
  const col = columnOf(b, t.inputCol);
  const site: RowSite = { api: t.api, column: t.inputCol, ctx };
  refuseNulls(col, site);
  const child = col.children[0]! as AnyData;
  let rows;
  if (isStringArrayType(col.type)) rows = hashingTf(tokenBuffers(col, site), t);
  else {
    const listOffsets = (col.valueOffsets as Int32Array).subarray(0, col.length + 1);
    rows = tfRowsFromHashes(termHashes(child, listOffsets[0]!, listOffsets[col.length]!), listOffsets, t.numFeatures, t.binary);
  }
  const out = sparseRowsColumn(t.numFeatures, rows);
  return appendColumn(b, t.outputCol, out);
});

export class HashingTF extends MLWritable(HashingTFParamsMixin(Transformer)) {
  /** Spark 2's string hash (a HashingTF loaded from a Spark 2 save); false for Spark 3's. */
  legacyHash = false;

  constructor(options?: HashingTFParamsOptions, uid?: string) {
    super(uid);
    this.setParams(options as Record<string, unknown> | undefined);
  }

  override copy(extra?: Parameters<Transformer['copy']>[0]): this {
    const that = super.copy(extra);
    that.legacyHash = this.legacyHash;
    return that;
  }

  /**
   * Spark's HashingTF.indexOf: the vector index of a term: a string, null, a boolean, a bigint
   * (a Long) or a number (an Int when it is a 32-bit integer, else a Double), as Spark hashes them.
   */
  indexOf(term: string | number | bigint | boolean | null): number {
    const nf = this.getNumFeatures();
    if (term === null) return nonNegativeMod(SPARK_HASH_SEED, nf);
    if (typeof term === 'boolean') return nonNegativeMod(hashInt(term ? 1 : 0), nf);
    if (typeof term === 'bigint') return nonNegativeMod(hashLong(term), nf);
    if (typeof term === 'number') {
      if (Number.isInteger(term) && term >= -(2 ** 31) && term < 2 ** 31) return nonNegativeMod(hashInt(term), nf);
      f64[0] = term;
      return nonNegativeMod(hashLong(Number.isNaN(term) ? 0x7ff8000000000000n : i64[0]!), nf);
    }
    if (typeof term !== 'string') throw Errors.invalidArg(`${this.stageName}.indexOf`, 'term', 'a string, number, bigint, boolean or null', term);
    const h = this.legacyHash ? murmur3BatchJs(packStrings([term]), SPARK_HASH_SEED, true)[0]! : murmur3String(term);
    return nonNegativeMod(h, nf);
  }

  transformSchema(schema: arrow.Schema): arrow.Schema {
    checkTermsCol(this.stageName, schema, this.getInputCol());
    checkNewColumn(this.stageName, schema, this.getOutputCol());
    return withField(schema, this.getOutputCol(), Types.vectorStruct());
  }

  protected transformImpl(df: DataFrame): DataFrame {
    const b: HashingTFBroadcast = {
      api: `${this.stageName}.transform`,
      inputCol: this.getInputCol(),
      outputCol: this.getOutputCol(),
      numFeatures: this.getNumFeatures(),
      binary: this.getBinary(),
      legacy: this.legacyHash,
    };
    return df.mapInArrow(hashingTFTransform, this.transformSchema(df.schema), b);
  }
}

register('org.apache.spark.ml.feature.HashingTF', HashingTF, {
  async load(_path, metadata, ctx) {
    const stage = new HashingTF(undefined, metadata.uid);
    getAndSetParams(stage, metadata, { api: ctx.api });
    stage.legacyHash = metadata.version[0] < 3;
    return stage;
  },
});
