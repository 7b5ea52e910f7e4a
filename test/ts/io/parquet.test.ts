// Parquet reader and writer: every Spark-written fixture reads with exact values, Dremel levels
// map to Arrow nulls / empty lists / structs exactly, row groups are pruned by statistics, corrupt
// files fail naming the file, and what we write has parquet-mr's physical layout plus Spark's
// row metadata (VectorUDT as Spark writes it).
import t from 'tap';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as arrow from 'apache-arrow';
import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects } from 'hyparquet';
import type { SchemaElement } from 'hyparquet';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { compressors } from 'hyparquet-compressors';
import { _parquetScanCounters, parquetSource, sparkSchemaJson, writeParquetPart } from '../../../ts/src/io/parquet/index.js';
import type { DataSource, PushedFilter, ScanOptions } from '../../../ts/src/io/source.js';
import { isVectorType, Types } from '../../../ts/src/dataframe/types.js';
import { KindlingError } from '../../../ts/src/errors.js';

const SHARED = fileURLToPath(new URL('../../../../shared/fixtures/', import.meta.url));
const SPARK = join(SHARED, 'spark-models');

function parquetFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...parquetFiles(p));
    else if (e.name.endsWith('.parquet') && !e.name.startsWith('.')) out.push(p);
  }
  return out.sort();
}

function dataFiles(dir: string): string[] {
  return readdirSync(dir).filter((f) => f.endsWith('.parquet')).sort().map((f) => join(dir, f));
}

/** Arrow values → plain JS (lists as arrays, structs/maps as objects, binary as number arrays). */
function plain(v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (v instanceof arrow.Vector) return [...v].map(plain);
  if (v instanceof Uint8Array) return Array.from(v);
  if (Array.isArray(v)) return v.map(plain);
  if (typeof v === 'object') {
    const j = typeof (v as { toJSON?: unknown }).toJSON === 'function' ? (v as { toJSON: () => Record<string, unknown> }).toJSON() : (v as Record<string, unknown>);
    const o: Record<string, unknown> = {};
    for (const k of Object.keys(j)) o[k] = plain(j[k]);
    return o;
  }
  return v;
}

async function collect(src: DataSource, opts?: ScanOptions): Promise<Record<string, unknown>[]> {
  const rows: Record<string, unknown>[] = [];
  for await (const b of src.scan(opts)) for (const r of b) rows.push(plain(r) as Record<string, unknown>);
  return rows;
}

async function batchesOf(src: DataSource, opts?: ScanOptions): Promise<arrow.RecordBatch[]> {
  const out: arrow.RecordBatch[] = [];
  for await (const b of src.scan(opts)) out.push(b);
  return out;
}

function batchOf(schema: arrow.Schema, cols: arrow.Data[]): arrow.RecordBatch {
  const length = cols[0]?.length ?? 0;
  return new arrow.RecordBatch(schema, arrow.makeData({ type: new arrow.Struct(schema.fields), length, nullCount: 0, children: cols }));
}

function col(values: unknown[], type: arrow.DataType): arrow.Data {
  return arrow.vectorFromArray(values, type).data[0]!;
}

function kv(md: { key_value_metadata?: { key: string; value?: string }[] }, key: string): string | undefined {
  return md.key_value_metadata?.find((x) => x.key === key)?.value;
}

const ROW_META = 'org.apache.spark.sql.parquet.row.metadata';

// ─────────────────────────── Spark-written files ───────────────────────────

t.test('every Spark-written parquet file in the shared fixtures reads, matching hyparquet row for row', async (t) => {
  const files = parquetFiles(SHARED);
  t.ok(files.length >= 30, `found ${files.length} files`);
  for (const f of files) {
    const src = await parquetSource([f]);
    const rows = await collect(src);
    const md = await parquetMetadataAsync(await asyncBufferFromFile(f));
    t.equal(rows.length, Number(md.num_rows), `${f}: row count`);
    const ref = (await parquetReadObjects({ file: await asyncBufferFromFile(f), compressors })).map((r) => plain(JSON.parse(JSON.stringify(r, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v)))));
    const mine = rows.map((r) => JSON.parse(JSON.stringify(r, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v === undefined ? null : v))));
    // hyparquet omits null struct fields and lists; compare on its keys
    const strip = (x: unknown): unknown => (Array.isArray(x) ? x.map(strip) : x && typeof x === 'object' ? Object.fromEntries(Object.entries(x).filter(([, v]) => v !== null).map(([k, v]) => [k, strip(v)])) : x);
    t.same(strip(mine), strip(ref), `${f}: values`);
  }
});

t.test('KMeans 3.3.1: k=100 2-D centres as the VectorUDT struct', async (t) => {
  const dir = join(SPARK, 'kmeans-k100-3.3.1');
  const meta = JSON.parse(readFileSync(join(dir, 'metadata/part-00000'), 'utf8'));
  const src = await parquetSource(dataFiles(join(dir, 'data')));
  t.equal(src.schema.fields.length, 2);
  const [idx, centre] = src.schema.fields;
  t.equal(idx!.name, 'clusterIdx');
  t.ok(arrow.DataType.isInt(idx!.type) && (idx!.type as arrow.Int).bitWidth === 32);
  t.equal(idx!.nullable, false, 'REQUIRED → non-nullable');
  t.equal(centre!.nullable, true);
  t.ok(isVectorType(centre!.type), 'VectorUDT struct is a vector type');
  t.equal(String(centre!.type), String(Types.vectorStruct()), 'exactly {type:int8, size:int32, indices:list<int32>, values:list<double>}');
  t.same(centre!.type.children.map((f: arrow.Field) => f.nullable), [false, true, true, true]);
  const rows = await collect(src);
  t.equal(rows.length, meta.paramMap.k, 'one row per cluster (paramMap.k)');
  t.same(rows.map((r) => r.clusterIdx as number).sort((a, b) => a - b), Array.from({ length: 100 }, (_, i) => i), 'every cluster index once');
  t.same(rows[0], { clusterIdx: 0, clusterCenter: { type: 1, size: null, indices: null, values: [52.978420970234396, 6.480178124527063] } });
  t.same(rows[2]!.clusterCenter, { type: 1, size: null, indices: null, values: [19.77519216767, -98.92968236162] });
  t.same(rows[99]!.clusterCenter, { type: 1, size: null, indices: null, values: [63.266258248108336, 17.88719205514583] });
  // the struct children are real Arrow buffers: values is one Float64Array for all rows
  const [b] = await batchesOf(src);
  const values = b!.getChild('clusterCenter')!.data[0]!.children[3]!;
  t.equal(values.children[0]!.values.constructor, Float64Array);
  t.equal(values.children[0]!.length, 200);
  t.equal(b!.getChild('clusterCenter')!.data[0]!.children[2]!.nullCount, 100, 'indices null for dense vectors');
});

t.test('LogisticRegression 3.5.1 binomial: intercept, dense coefficient matrix', async (t) => {
  const src = await parquetSource(dataFiles(join(SPARK, 'logreg-binomial-3.5.1/data')));
  const [row] = await collect(src);
  t.same(row, {
    numClasses: 2,
    numFeatures: 8,
    interceptVector: { type: 1, size: null, indices: null, values: [-27.30840035829736] },
    coefficientMatrix: {
      type: 1, numRows: 1, numCols: 8, colPtrs: null, rowIndices: null,
      values: [0.28894312142132184, 0.047091786327753446, 0.75559488735139, 0.7103847481659096, 0.005909590881699171, 0.09049449726524875, 2.3281356877332526, 0.03369230976130341],
      isTransposed: true,
    },
    isMultinomial: false,
  });
  const matrix = src.schema.fields[3]!.type;
  t.same(matrix.children.map((f: arrow.Field) => `${f.name}:${f.type}:${f.nullable}`), [
    'type:Int8:false', 'numRows:Int32:false', 'numCols:Int32:false', 'colPtrs:List<Int32>:true', 'rowIndices:List<Int32>:true', 'values:List<Float64>:true', 'isTransposed:Bool:false',
  ]);
});

t.test('LogisticRegression 3.5.0 elastic net: sparse all-zero matrix keeps empty lists distinct from nulls', async (t) => {
  const src = await parquetSource(dataFiles(join(SPARK, 'logreg-elasticnet-3.5.0-amzn/data')));
  const [row] = await collect(src);
  t.equal(row!.numClasses, 9);
  t.equal(row!.numFeatures, 11);
  t.equal(row!.isMultinomial, true);
  t.same(row!.interceptVector, { type: 1, size: null, indices: null, values: [-3.2597921840424, -3.2597921840424, -3.2597921840424, -0.6126495493235097, 1.1201622473303061, 3.574950584931841, 3.5600362399038517, 2.3674985905320693, -0.2306215612473586] });
  t.same(row!.coefficientMatrix, { type: 0, numRows: 9, numCols: 11, colPtrs: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0], rowIndices: [], values: [], isTransposed: true });
  const [b] = await batchesOf(src);
  const m = b!.getChild('coefficientMatrix')!.data[0]!;
  t.equal(m.children[4]!.nullCount, 0, 'rowIndices is an empty list, not null');
  t.equal(m.children[4]!.valueOffsets[1]! - m.children[4]!.valueOffsets[0]!, 0);
});

t.test('StringIndexer 3.5.3: labelsArray LIST<LIST<STRING>>', async (t) => {
  const src = await parquetSource(dataFiles(join(SPARK, 'stringindexer-3.5.3/data')));
  t.equal(String(src.schema.fields[0]!.type), 'List<List<Utf8>>');
  const [row] = await collect(src);
  t.same(row!.labelsArray, [['UK pounds', 'Euro', 'Turkish lira', 'Swiss franc', 'Dirham', 'Pakistani rupee', 'Naira', 'US dollar', 'Yen', 'Moroccan dirham', 'Mexican Peso', 'Albanian lek', 'Indian rupee']]);
});

t.test('DecisionTree 3.5.1: INT64 rawCount, nested split struct, empty threshold lists at leaves', async (t) => {
  const dir = join(SPARK, 'decisiontree-classifier-3.5.1');
  const meta = JSON.parse(readFileSync(join(dir, 'metadata/part-00000'), 'utf8'));
  const src = await parquetSource(dataFiles(join(dir, 'data')));
  const rawCount = src.schema.fields.find((f) => f.name === 'rawCount')!;
  t.ok(arrow.DataType.isInt(rawCount.type) && (rawCount.type as arrow.Int).bitWidth === 64);
  const rows = await collect(src);
  t.equal(rows.length, 11);
  t.same(rows[0], { id: 0, prediction: 0, impurity: 0.3911111111111112, impurityStats: [11, 4], rawCount: 15n, gain: 0.16547008547008554, leftChild: 1, rightChild: 2, split: { featureIndex: 6, leftCategoriesOrThreshold: [7860.955], numCategories: -1 } });
  t.same(rows[1], { id: 1, prediction: 1, impurity: 0, impurityStats: [0, 2], rawCount: 2n, gain: -1, leftChild: -1, rightChild: -1, split: { featureIndex: -1, leftCategoriesOrThreshold: [], numCategories: -1 } });
  t.same(rows.map((r) => r.id), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 'pre-order node ids');
  for (const r of rows) {
    t.equal((r.impurityStats as number[]).length, meta.numClasses, 'one count per class (metadata numClasses)');
    t.ok((r.split as { featureIndex: number }).featureIndex < meta.numFeatures, 'split feature < metadata numFeatures');
  }
  const [b] = await batchesOf(src);
  t.equal(b!.getChild('rawCount')!.data[0]!.values.constructor, BigInt64Array);
});

t.test('RandomForest 2.4.4: 8 data part files + 8 treesMetadata part files', async (t) => {
  const dir = join(SPARK, 'pipeline-randomforest-2.4.4/stages/0_RandomForestClassifier_59755220f858');
  const meta = JSON.parse(readFileSync(join(dir, 'metadata/part-00000'), 'utf8'));
  const files = dataFiles(join(dir, 'data'));
  t.equal(files.length, 8);
  const src = await parquetSource(files);
  t.equal(src.files.length, 8);
  t.match(src.description, /^parquet \[.*part-00000.*, … \(8 files\)\]$/);
  const rows = await collect(src);
  t.equal(rows.length, 22 + 25 + 44 + 27 + 36 + 41 + 36 + 53);
  const trees = new Set(rows.map((r) => r.treeID));
  t.equal(trees.size, meta.numTrees, 'every tree present (metadata numTrees)');
  t.same(rows[0], { treeID: 0, nodeData: { id: 0, prediction: 0, impurity: 0.3919023084100775, impurityStats: [115, 42], gain: 0.005454735750440365, leftChild: 1, rightChild: 8, split: { featureIndex: 7, leftCategoriesOrThreshold: [1], numCategories: 2 } } });
  for (const r of rows) t.ok(((r.nodeData as { split: { featureIndex: number } }).split.featureIndex) < meta.numFeatures);
  const tm = await collect(await parquetSource(dataFiles(join(dir, 'treesMetadata'))));
  t.same(tm.map((r) => r.treeID), Array.from({ length: 20 }, (_, i) => i));
  t.same(tm.map((r) => r.weights), new Array(20).fill(1));
  const treeMeta = JSON.parse(tm[0]!.metadata as string);
  t.equal(treeMeta.class, 'org.apache.spark.ml.classification.DecisionTreeClassificationModel');
  t.equal(treeMeta.sparkVersion, '2.4.4');
});

t.test('NaiveBayes / CountVectorizer / StringIndexer 3.1.2 agree with each other', async (t) => {
  const dir = join(SPARK, 'pipeline-text-naivebayes-3.1.2/stages');
  const [nb] = await collect(await parquetSource(dataFiles(join(dir, '4_NaiveBayes_189150adf88f/data'))));
  const [cv] = await collect(await parquetSource(dataFiles(join(dir, '2_CountVectorizer_1025f06565ad/data'))));
  const [si] = await collect(await parquetSource(dataFiles(join(dir, '3_StringIndexer_914ec6ff461c/data'))));
  const theta = nb!.theta as { numRows: number; numCols: number; values: number[]; isTransposed: boolean; type: number };
  const vocab = cv!.vocabulary as string[];
  const labels = (si!.labelsArray as string[][])[0]!;
  t.equal(theta.numRows, labels.length, 'one theta row per label');
  t.equal(theta.numCols, vocab.length, 'one theta column per vocabulary term');
  t.equal(theta.values.length, 11 * 1031);
  t.equal(theta.values[0], -3.566277132021604);
  t.equal(theta.values[11330], -6.639003994189794);
  t.same(vocab.slice(0, 5), ['of', 'and', 'to', 'in', 'a']);
  t.same(labels, ['cryptocurrency', 'Finance', 'Sports', 'environment', 'Business', 'Health', 'Politics', 'Crime', 'Education', 'Religion', 'Entertainment']);
  t.same((nb!.pi as { values: number[] }).values, [-2.3127892631682876, -2.3387647495715482, -2.3387647495715482, -2.3387647495715482, -2.3654329966537095, -2.3654329966537095, -2.392831970841824, -2.4210028478085204, -2.4798433478314537, -2.4798433478314537, -2.5751535276357784]);
  t.same(nb!.sigma, { type: 1, numRows: 0, numCols: 0, colPtrs: null, rowIndices: null, values: [], isTransposed: false }, 'multinomial: empty 0x0 sigma');
});

t.test('StandardScaler + KMeans 3.5.5 and IDF 2.3.2', async (t) => {
  const dir = join(SPARK, 'pipeline-vecassembler-stdscaler-kmeans-3.5.5/stages');
  const [ss] = await collect(await parquetSource(dataFiles(join(dir, '1_StandardScaler_fbf6327e8230/data'))));
  const km = await collect(await parquetSource(dataFiles(join(dir, '2_KMeans_ae88aac955c0/data'))));
  const std = ss!.std as { values: number[] };
  const mean = ss!.mean as { type: number; values: number[] };
  t.equal(std.values.length, 121);
  t.equal(std.values[0], 128.91883481852292);
  t.equal(mean.type, 1);
  t.equal(mean.values[0], 27.88194647354276);
  t.equal(km.length, 5, 'k = 5');
  for (const r of km) t.equal((r.clusterCenter as { values: number[] }).values.length, 121, 'centre dimension = scaler dimension');
  t.equal((km[4]!.clusterCenter as { values: number[] }).values[0], -0.21627519759073024);
  const [idf] = await collect(await parquetSource(dataFiles(join(SPARK, 'pipeline-text-idf-logreg-2.3.2-metadata-only/stages/3_IDF_4240bcd585ec2afbe47c/data'))));
  const v = idf!.idf as { type: number; values: number[] };
  t.equal(v.type, 1);
  t.equal(v.values.length, 245806);
  t.equal(v.values[0], 3.263745005606917);
  t.equal(v.values[1], 3.5768184189306047);
});

t.test('column subsets read only those columns, in the requested order', async (t) => {
  const src = await parquetSource(dataFiles(join(SPARK, 'decisiontree-classifier-3.5.1/data')));
  const bs = await batchesOf(src, { columns: ['gain', 'id'] });
  t.same(bs[0]!.schema.fields.map((f) => f.name), ['gain', 'id']);
  t.same(bs[0]!.getChild('id')!.toArray(), Int32Array.from({ length: 11 }, (_, i) => i));
  const none = await batchesOf(src, { columns: [] });
  t.equal(none[0]!.numRows, 11, 'zero columns still count rows');
  t.equal(none[0]!.numCols, 0);
  t.throws(() => src.scan({ columns: ['nope'] }), { code: 'ERR_KINDLING_SCHEMA', message: /^parquet: cannot resolve column "nope" among \[id, prediction/ });
});

// ─────────────────────────── corrupt files ───────────────────────────

t.test('truncated, garbage and empty files fail naming the file', async (t) => {
  const dir = t.testdir();
  const good = readFileSync(dataFiles(join(SPARK, 'kmeans-k100-3.3.1/data'))[0]!);
  const cases: [string, Uint8Array, RegExp][] = [
    ['cut.parquet', good.subarray(0, good.length - 100), /^parquet: cannot read .*cut\.parquet: file is truncated or not Parquet \(no PAR1 footer\)$/],
    ['half.parquet', good.subarray(0, good.length >> 1), /cannot read .*half\.parquet: file is truncated or not Parquet \(no PAR1 footer\)/],
    ['garbage.parquet', Uint8Array.from({ length: 5000 }, (_, i) => (i * 7919) & 0xff), /cannot read .*garbage\.parquet: file is truncated or not Parquet \(no PAR1 footer\)/],
    ['empty.parquet', new Uint8Array(0), /cannot read .*empty\.parquet: file is truncated or not Parquet \(0 bytes, no PAR1 footer\)/],
    ['tiny.parquet', Buffer.from('PAR1PAR1'), /cannot read .*tiny\.parquet: file is truncated or not Parquet \(8 bytes/],
    ['nohead.parquet', Buffer.concat([Buffer.from('XXXX'), good.subarray(4)]), /nohead\.parquet: file is corrupt or not Parquet \(no PAR1 header\)/],
    ['longfooter.parquet', Buffer.concat([good.subarray(0, good.length - 8), Buffer.from([0xff, 0xff, 0xff, 0x7f]), Buffer.from('PAR1')]), /longfooter\.parquet: file is truncated or corrupt \(footer length \d+ exceeds the file size/],
    ['badfooter.parquet', Buffer.concat([good.subarray(0, good.length - 300), Buffer.alloc(292, 0x8f), good.subarray(good.length - 8)]), /badfooter\.parquet: file is (corrupt|truncated or corrupt)/],
  ];
  for (const [name, bytes, re] of cases) {
    const p = join(dir, name);
    await writeFile(p, bytes);
    await t.rejects(parquetSource([p]), { code: 'ERR_KINDLING_LOAD', message: re }, name);
  }
  await t.rejects(parquetSource([join(dir, 'missing.parquet')]), { message: /^parquet: cannot read .*missing\.parquet: no such file$/ });
  await t.rejects(parquetSource([dir]), { message: /cannot read .*: is a directory$/ });
  await t.rejects(parquetSource([]), { code: 'ERR_KINDLING_INVALID_ARG', message: /^parquet: expected a non-empty array of file paths for paths/ });
});

t.test('corrupt pages fail with the file and column named, never a hang', async (t) => {
  const dir = t.testdir();
  const n = 3000;
  const buf = parquetWriteBuffer({
    columnData: [
      { name: 'a', data: Int32Array.from({ length: n }, (_, i) => i * 3), encoding: 'PLAIN' },
      { name: 'b', data: Array.from({ length: n }, (_, i) => (i % 7 === 0 ? null : `s${i % 50}`)) },
      { name: 'c', data: Array.from({ length: n }, (_, i) => (i % 5 === 0 ? null : [i, i + 1])) },
    ],
    schema: [
      { name: 'spark_schema', num_children: 3 },
      { name: 'a', type: 'INT32', repetition_type: 'REQUIRED' },
      { name: 'b', type: 'BYTE_ARRAY', repetition_type: 'OPTIONAL', converted_type: 'UTF8' },
      { name: 'c', repetition_type: 'OPTIONAL', num_children: 1, converted_type: 'LIST' },
      { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
      { name: 'element', type: 'INT32', repetition_type: 'REQUIRED' },
    ] as SchemaElement[],
    codec: 'UNCOMPRESSED',
    pageSize: 2048,
  });
  const good = new Uint8Array(buf);
  const goodPath = join(dir, 'good.parquet');
  await writeFile(goodPath, good);
  const md = await parquetMetadataAsync(await asyncBufferFromFile(goodPath));
  const dataEnd = Number(md.row_groups[0]!.columns.at(-1)!.meta_data!.data_page_offset + md.row_groups[0]!.columns.at(-1)!.meta_data!.total_compressed_size);
  const ref = await collect(await parquetSource([goodPath]));
  t.equal(ref.length, n);

  // smash the first page header of column a
  const smashed = good.slice();
  smashed.fill(0xff, 4, 24);
  const p1 = join(dir, 'smashed.parquet');
  await writeFile(p1, smashed);
  const src = await parquetSource([p1]);
  await t.rejects(collect(src), { code: 'ERR_KINDLING_LOAD', message: /^parquet: cannot read .*smashed\.parquet: corrupt data in column a of row group 0: / });

  // random byte flips in the data region: a clean error or (rarely) wrong-but-typed values
  let seed = 12345;
  const rand = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
  let errors = 0;
  for (let k = 0; k < 60; k++) {
    const bad = good.slice();
    for (let j = 0; j < 6; j++) bad[4 + Math.floor(rand() * (dataEnd - 4))] = Math.floor(rand() * 256);
    const p = join(dir, `flip${k}.parquet`);
    await writeFile(p, bad);
    try {
      await collect(await parquetSource([p]));
    } catch (e) {
      errors++;
      t.ok(e instanceof KindlingError && /cannot read .*flip\d+\.parquet/.test(e.message), `flip ${k}: ${(e as Error).message.replace(dir, "").slice(0, 160)}`);
    }
  }
  t.ok(errors > 10, `most flips are detected (${errors}/60)`);
});

// ─────────────────────────── statistics pruning ───────────────────────────

t.test('filters skip whole row groups by column-chunk statistics', async (t) => {
  const dir = t.testdir();
  const file = join(dir, 'groups.parquet');
  const n = 1000;
  const schema = new arrow.Schema([
    new arrow.Field('id', Types.int(), false),
    new arrow.Field('name', Types.string(), true),
    new arrow.Field('x', Types.double(), true),
    new arrow.Field('big', Types.bigint(), true),
    new arrow.Field('maybe', Types.int(), true),
    new arrow.Field('day', Types.date(), true),
  ]);
  const ids = Array.from({ length: n }, (_, i) => i);
  const batch = batchOf(schema, [
    col(ids, Types.int()),
    col(ids.map((i) => `k${String(i).padStart(4, '0')}`), Types.string()),
    col(ids.map((i) => i / 10), Types.double()),
    col(ids.map((i) => BigInt(i) * 1_000_000_000_000n), Types.bigint()),
    col(ids.map((i) => (i >= 300 && i < 500 ? null : i < 100 && i % 2 ? null : i)), Types.int()), // groups 3,4 all null; group 0 some nulls
    col(ids.map((i) => i * 86_400_000), Types.date()),
  ]);
  await writeParquetPart(file, schema, [batch.slice(0, 333), batch.slice(333)], { rowGroupSize: 100 });
  const md = await parquetMetadataAsync(await asyncBufferFromFile(file));
  t.equal(md.row_groups.length, 10);
  const src = await parquetSource([file]);

  const run = async (filters: PushedFilter[]) => {
    const r0 = _parquetScanCounters.rowGroupsRead;
    const s0 = _parquetScanCounters.rowGroupsSkipped;
    const rows = await collect(src, { filters, columns: ['id'] });
    return { read: _parquetScanCounters.rowGroupsRead - r0, skipped: _parquetScanCounters.rowGroupsSkipped - s0, ids: rows.map((r) => r.id as number) };
  };
  const check = async (filters: PushedFilter[], groups: number[], label: string) => {
    const r = await run(filters);
    t.equal(r.read, groups.length, `${label}: row groups read`);
    t.equal(r.skipped, 10 - groups.length, `${label}: row groups skipped`);
    t.same(r.ids, groups.flatMap((g) => ids.slice(g * 100, g * 100 + 100)), `${label}: whole groups, in order`);
  };
  await check([], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 'no filter');
  await check([{ column: 'id', op: '>=', value: 850 }], [8, 9], 'id >= 850');
  await check([{ column: 'id', op: '>', value: 899 }], [9], 'id > 899');
  await check([{ column: 'id', op: '=', value: 123 }], [1], 'id = 123');
  await check([{ column: 'id', op: '<', value: 100 }], [0], 'id < 100');
  await check([{ column: 'id', op: '<=', value: 100 }], [0, 1], 'id <= 100');
  await check([{ column: 'id', op: 'in', value: [5, 905, 2000] }], [0, 9], 'id in (5, 905, 2000)');
  await check([{ column: 'id', op: 'in', value: [] }], [], 'id in ()');
  await check([{ column: 'id', op: '=', value: 5000 }], [], 'id = 5000 (beyond every group)');
  await check([{ column: 'id', op: '>=', value: 200 }, { column: 'id', op: '<', value: 400 }], [2, 3], 'AND of two filters');
  await check([{ column: 'name', op: '=', value: 'k0250' }], [2], "name = 'k0250'");
  await check([{ column: 'name', op: '>', value: 'k0950' }], [9], "name > 'k0950'");
  await check([{ column: 'big', op: '<', value: 150_000_000_000_000n }], [0, 1], 'bigint column, bigint value');
  await check([{ column: 'big', op: '>=', value: 900e12 }], [9], 'bigint column, number value');
  await check([{ column: 'maybe', op: 'isNull' }], [0, 3, 4], 'isNull: groups with nulls');
  await check([{ column: 'maybe', op: 'isNotNull' }], [0, 1, 2, 5, 6, 7, 8, 9], 'isNotNull: all-null groups skipped');
  await check([{ column: 'maybe', op: '=', value: 350 }], [], 'comparison on all-null groups');
  await check([{ column: 'day', op: '=', value: '1970-01-06' }], [0], "date = '1970-01-06'");
  await check([{ column: 'day', op: '>=', value: new Date(Date.UTC(1972, 5, 1)) }], [8, 9], 'date >= Date');
  await check([{ column: 'x', op: '<', value: 10 }], [0], 'double < 10');
  // conservative cases: never prune
  await check([{ column: 'x', op: '>', value: 1e9 }], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], "double '>' (Spark's NaN is above every number)");
  await check([{ column: 'id', op: '=', value: 'abc' }], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 'wrong-typed value');
  await check([{ column: 'nope', op: '=', value: 1 }], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 'unknown column');
  await check([{ column: 'id', op: '!=', value: 1 }], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], '!=');
  await check([{ column: 'day', op: '=', value: 5 }], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 'date with an ambiguous number');
});

// ─────────────────────────── batches and streaming ───────────────────────────

t.test('batches follow row groups, split to batchSize; large files stream by byte ranges', async (t) => {
  const dir = t.testdir();
  const file = join(dir, 'big.parquet');
  const n = 300_000;
  const schema = new arrow.Schema([new arrow.Field('i', Types.int(), true), new arrow.Field('x', Types.double(), true)]);
  let seed = 7;
  const x = Float64Array.from({ length: n }, () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
  const i32 = Int32Array.from({ length: n }, (_, i) => i);
  const mkBatch = (s: number, e: number) => batchOf(schema, [arrow.makeData({ type: Types.int(), length: e - s, data: i32.subarray(s, e) }), arrow.makeData({ type: Types.double(), length: e - s, data: x.subarray(s, e) })]);
  await writeParquetPart(file, schema, [mkBatch(0, 100_000), mkBatch(100_000, 250_000), mkBatch(250_000, n)], { rowGroupSize: 70_000 });
  t.ok(statSync(file).size > 1 << 20, 'larger than the whole-file read limit');
  const src = await parquetSource([file]);
  const bs = await batchesOf(src, { batchSize: 30_000 });
  t.same(bs.map((b) => b.numRows), [30000, 30000, 10000, 30000, 30000, 10000, 30000, 30000, 10000, 30000, 30000, 10000, 20000]);
  let at = 0;
  let same = true;
  for (const b of bs) {
    const xi = b.getChild('x')!.toArray() as Float64Array;
    const ii = b.getChild('i')!.toArray() as Int32Array;
    for (let k = 0; k < b.numRows; k++) if (xi[k] !== x[at + k] || ii[k] !== at + k) same = false;
    at += b.numRows;
  }
  t.ok(same, 'every value round-trips');
  t.equal(at, n);
  // stopping early closes the file and leaves nothing behind
  for await (const b of src.scan({ batchSize: 1000 })) {
    t.equal(b.numRows, 1000);
    break;
  }
  t.equal((await batchesOf(src)).reduce((s, b) => s + b.numRows, 0), n, 'a later scan still reads everything');
  t.throws(() => src.scan({ batchSize: 0 }), { code: 'ERR_KINDLING_INVALID_ARG', message: /batchSize/ });
});

// ─────────────────────────── writing ───────────────────────────

function stringToDouble(): arrow.Map_<arrow.Utf8, arrow.Float64> {
  const entries = new arrow.Struct<{ key: arrow.Utf8; value: arrow.Float64 }>([new arrow.Field('key', Types.string(), false), new arrow.Field('value', Types.double(), true)]);
  return new arrow.Map_(new arrow.Field('entries', entries, false));
}

function allTypesBatch(): arrow.RecordBatch {
  const schema = new arrow.Schema([
    new arrow.Field('b', Types.boolean(), true),
    new arrow.Field('i8', Types.tinyint(), true),
    new arrow.Field('i16', Types.smallint(), true),
    new arrow.Field('i32', Types.int(), false),
    new arrow.Field('i64', Types.bigint(), true),
    new arrow.Field('f32', Types.float(), true),
    new arrow.Field('f64', Types.double(), true),
    new arrow.Field('s', Types.string(), true),
    new arrow.Field('bin', Types.binary(), true),
    new arrow.Field('d', Types.date(), true),
    new arrow.Field('ts', Types.timestamp(), true),
    new arrow.Field('li', Types.array(Types.int(), false), true),
    new arrow.Field('lls', Types.array(Types.array(Types.string())), true),
    new arrow.Field('st', new arrow.Struct([new arrow.Field('x', Types.double(), true), new arrow.Field('tags', Types.array(Types.string()), true), new arrow.Field('n', Types.bigint(), false)]), true),
    new arrow.Field('m', stringToDouble(), true),
    new arrow.Field('v', Types.vector(3), true),
  ]);
  const cols = [
    col([true, false, null, true], Types.boolean()),
    col([1, -128, null, 127], Types.tinyint()),
    col([300, -32768, null, 32767], Types.smallint()),
    col([1, 2, 3, -2147483648], Types.int()),
    col([1n, -(2n ** 63n), null, 2n ** 63n - 1n], Types.bigint()),
    col([1.5, -0, null, Infinity], Types.float()),
    col([Math.PI, NaN, null, -1e308], Types.double()),
    col(['a', '', null, 'ünï €😀'], Types.string()),
    col([Uint8Array.of(0, 255), new Uint8Array(0), null, Uint8Array.of(7)], Types.binary()),
    col([0, -86_400_000, null, 19_000 * 86_400_000], Types.date()),
    col([0, 1_700_000_000_123, null, -1], Types.timestamp()),
    col([[1, 2, 3], [], null, [4]], Types.array(Types.int(), false)),
    col([[['a'], null, []], [], null, [[null, 'z']]], Types.array(Types.array(Types.string()))),
    col([{ x: 1, tags: ['p', null], n: 1n }, { x: null, tags: null, n: 2n }, null, { x: 4, tags: [], n: 3n }], new arrow.Struct([new arrow.Field('x', Types.double(), true), new arrow.Field('tags', Types.array(Types.string()), true), new arrow.Field('n', Types.bigint(), false)])),
    col([new Map([['a', 1], ['b', null]]), new Map(), null, new Map([['z', 26]])], stringToDouble()),
    arrow.makeData({ type: Types.vector(3), length: 4, nullCount: 1, nullBitmap: Uint8Array.of(0b1011), child: arrow.makeData({ type: Types.double(), length: 12, data: Float64Array.from({ length: 12 }, (_, i) => i / 4) }) }),
  ];
  return batchOf(schema, cols);
}

t.test('round trip of every type with nulls, lists, structs, maps, vectors; Spark physical layout', async (t) => {
  const dir = t.testdir();
  const file = join(dir, 'all.parquet');
  const batch = allTypesBatch();
  await writeParquetPart(file, batch.schema, [batch.slice(0, 1), batch.slice(1, 3), batch.slice(3)], { rowGroupSize: 3 });
  const md = await parquetMetadataAsync(await asyncBufferFromFile(file));
  t.equal(md.row_groups.length, 2, 'rowGroupSize 3 over 4 rows');
  t.equal(md.schema[0]!.name, 'spark_schema');
  const el = (name: string) => md.schema.filter((s) => s.name === name);
  const show = (s: SchemaElement) => [s.type ?? 'group', s.repetition_type, s.converted_type ?? ''].join(' ');
  t.equal(show(el('b')[0]!), 'BOOLEAN OPTIONAL ');
  t.equal(show(el('i8')[0]!), 'INT32 OPTIONAL INT_8');
  t.equal(show(el('i16')[0]!), 'INT32 OPTIONAL INT_16');
  t.equal(show(el('i32')[0]!), 'INT32 REQUIRED ', 'non-nullable → REQUIRED');
  t.equal(show(el('i64')[0]!), 'INT64 OPTIONAL ');
  t.equal(show(el('f32')[0]!), 'FLOAT OPTIONAL ');
  t.equal(show(el('s')[0]!), 'BYTE_ARRAY OPTIONAL UTF8');
  t.equal(show(el('bin')[0]!), 'BYTE_ARRAY OPTIONAL ');
  t.equal(show(el('d')[0]!), 'INT32 OPTIONAL DATE');
  t.equal(show(el('ts')[0]!), 'INT64 OPTIONAL TIMESTAMP_MICROS');
  t.same(el('ts')[0]!.logical_type, { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MICROS' });
  const li = md.schema.findIndex((s) => s.name === 'li');
  t.same(md.schema.slice(li, li + 3).map(show), ['group OPTIONAL LIST', 'group REPEATED ', 'INT32 REQUIRED '], '3-level list, containsNull=false → REQUIRED element');
  t.same(md.schema.slice(li + 1, li + 3).map((s) => s.name), ['list', 'element']);
  const m = md.schema.findIndex((s) => s.name === 'm');
  t.same(md.schema.slice(m, m + 4).map((s) => `${s.name} ${show(s)}`), ['m group OPTIONAL MAP', 'key_value group REPEATED ', 'key BYTE_ARRAY REQUIRED UTF8', 'value DOUBLE OPTIONAL ']);
  t.ok(md.row_groups.every((rg) => rg.columns.every((c) => c.meta_data!.codec === 'SNAPPY')), 'SNAPPY by default');

  const src = await parquetSource([file]);
  const types = src.schema.fields.map((f) => `${f.name}:${f.type}:${f.nullable}`);
  t.same(types, [
    'b:Bool:true', 'i8:Int8:true', 'i16:Int16:true', 'i32:Int32:false', 'i64:Int64:true', 'f32:Float32:true', 'f64:Float64:true', 's:Utf8:true', 'bin:Binary:true',
    'd:Date32<DAY>:true', 'ts:Timestamp<MICROSECOND, UTC>:true', 'li:List<Int32>:true', 'lls:List<List<Utf8>>:true',
    'st:Struct<{x:Float64, tags:List<Utf8>, n:Int64}>:true', 'm:Map<{key:Utf8, value:Float64}>:true',
    'v:Struct<{type:Int8, size:Int32, indices:List<Int32>, values:List<Float64>}>:true',
  ]);
  const rows = await collect(src);
  t.same(rows[0], { b: true, i8: 1, i16: 300, i32: 1, i64: 1n, f32: 1.5, f64: Math.PI, s: 'a', bin: [0, 255], d: 0, ts: 0, li: [1, 2, 3], lls: [['a'], null, []], st: { x: 1, tags: ['p', null], n: 1n }, m: { a: 1, b: null }, v: { type: 1, size: null, indices: null, values: [0, 0.25, 0.5] } });
  t.same(rows[1], { b: false, i8: -128, i16: -32768, i32: 2, i64: -(2n ** 63n), f32: -0, f64: NaN, s: '', bin: [], d: -86_400_000, ts: 1_700_000_000_123, li: [], lls: [], st: { x: null, tags: null, n: 2n }, m: {}, v: { type: 1, size: null, indices: null, values: [0.75, 1, 1.25] } });
  t.same(rows[2], { b: null, i8: null, i16: null, i32: 3, i64: null, f32: null, f64: null, s: null, bin: null, d: null, ts: null, li: null, lls: null, st: null, m: null, v: null });
  t.same(rows[3], { b: true, i8: 127, i16: 32767, i32: -2147483648, i64: 2n ** 63n - 1n, f32: Infinity, f64: -1e308, s: 'ünï €😀', bin: [7], d: 19_000 * 86_400_000, ts: -1, li: [4], lls: [[null, 'z']], st: { x: 4, tags: [], n: 3n }, m: { z: 26 }, v: { type: 1, size: null, indices: null, values: [2.25, 2.5, 2.75] } });
  t.ok(Object.is(rows[1]!.f32, -0), '-0 survives');
  const ts = (await batchesOf(src)).flatMap((b) => Array.from(b.getChild('ts')!.data[0]!.values as BigInt64Array));
  t.same(ts.filter((_, i) => i !== 2), [0n, 1_700_000_000_123_000n, -1000n], 'timestamps stored as µs');
});

t.test('Spark row metadata: schema JSON with Spark type names and VectorUDT exactly as Spark writes it', async (t) => {
  const dir = t.testdir();
  const fixture = dataFiles(join(SPARK, 'kmeans-k100-3.3.1/data'))[0]!;
  const fmd = await parquetMetadataAsync(await asyncBufferFromFile(fixture));
  const schema = new arrow.Schema([new arrow.Field('clusterIdx', Types.int(), false), new arrow.Field('clusterCenter', Types.vector(2), true)]);
  t.equal(sparkSchemaJson(schema), kv(fmd, ROW_META), 'dense vector column → the fixture\'s exact JSON');
  // the struct form read back from Spark is a VectorUDT too, so models round-trip
  const src = await parquetSource([fixture]);
  t.equal(sparkSchemaJson(src.schema), kv(fmd, ROW_META));
  const lr = dataFiles(join(SPARK, 'logreg-binomial-3.5.1/data'))[0]!;
  const lmd = await parquetMetadataAsync(await asyncBufferFromFile(lr));
  t.equal(sparkSchemaJson((await parquetSource([lr])).schema), kv(lmd, ROW_META), 'MatrixUDT too');
  const dt = dataFiles(join(SPARK, 'decisiontree-classifier-3.5.1/data'))[0]!;
  const dmd = await parquetMetadataAsync(await asyncBufferFromFile(dt));
  t.equal(sparkSchemaJson((await parquetSource([dt])).schema), kv(dmd, ROW_META), 'nested struct + arrays + long');

  const names = JSON.parse(sparkSchemaJson(allTypesBatch().schema)).fields.map((f: { name: string; type: unknown; nullable: boolean }) => [f.name, f.type, f.nullable]);
  t.same(names.slice(0, 11), [
    ['b', 'boolean', true], ['i8', 'byte', true], ['i16', 'short', true], ['i32', 'integer', false], ['i64', 'long', true], ['f32', 'float', true],
    ['f64', 'double', true], ['s', 'string', true], ['bin', 'binary', true], ['d', 'date', true], ['ts', 'timestamp', true],
  ]);
  t.same(names[11], ['li', { type: 'array', elementType: 'integer', containsNull: false }, true]);
  t.same(names[12], ['lls', { type: 'array', elementType: { type: 'array', elementType: 'string', containsNull: true }, containsNull: true }, true]);
  t.same(names[13][1], { type: 'struct', fields: [{ name: 'x', type: 'double', nullable: true, metadata: {} }, { name: 'tags', type: { type: 'array', elementType: 'string', containsNull: true }, nullable: true, metadata: {} }, { name: 'n', type: 'long', nullable: false, metadata: {} }] });
  t.same(names[14][1], { type: 'map', keyType: 'string', valueType: 'double', valueContainsNull: true });
  t.equal(names[15][1].class, 'org.apache.spark.ml.linalg.VectorUDT');

  // a written file carries the JSON plus the caller's key/value metadata
  const file = join(dir, 'kmeans.parquet');
  const rows = await batchesOf(src);
  await writeParquetPart(file, src.schema, rows, { kvMetadata: { 'org.apache.spark.version': '3.5.1', custom: 'yes' } });
  const wmd = await parquetMetadataAsync(await asyncBufferFromFile(file));
  t.equal(kv(wmd, ROW_META), kv(fmd, ROW_META));
  t.equal(kv(wmd, 'org.apache.spark.version'), '3.5.1');
  t.equal(kv(wmd, 'custom'), 'yes');
  const show = (s: SchemaElement) => [s.name, s.type ?? 'group', s.repetition_type ?? '', s.converted_type ?? '', s.num_children ?? ''].join(' ');
  t.same(wmd.schema.map(show), fmd.schema.map(show), 'the same physical schema as parquet-mr wrote');
  t.same(await collect(await parquetSource([file])), await collect(src), 'model data round-trips');
});

t.test('empty input, zero-row batches, many batches, codecs, options', async (t) => {
  const dir = t.testdir();
  const schema = new arrow.Schema([new arrow.Field('a', Types.int(), false), new arrow.Field('v', Types.vector(2), true), new arrow.Field('s', Types.string(), true)]);
  const empty = join(dir, 'empty.parquet');
  await writeParquetPart(empty, schema, []);
  const md = await parquetMetadataAsync(await asyncBufferFromFile(empty));
  t.equal(Number(md.num_rows), 0);
  t.equal(md.row_groups.length, 0);
  t.ok(kv(md, ROW_META)?.includes('VectorUDT'));
  const src = await parquetSource([empty]);
  t.same(src.schema.fields.map((f) => f.name), ['a', 'v', 's'], 'an empty file keeps its schema');
  t.same(await batchesOf(src), []);

  const zero = join(dir, 'zero.parquet');
  const z = batchOf(schema, [col([], Types.int()), arrow.makeData({ type: Types.vector(2), length: 0, child: arrow.makeData({ type: Types.double(), length: 0, data: new Float64Array(0) }) }), col([], Types.string())]);
  await writeParquetPart(zero, schema, [z, z]);
  t.same(await batchesOf(await parquetSource([zero])), []);

  const many = join(dir, 'many.parquet');
  const parts = Array.from({ length: 50 }, (_, k) => batchOf(schema, [
    col([k * 2, k * 2 + 1], Types.int()),
    arrow.makeData({ type: Types.vector(2), length: 2, child: arrow.makeData({ type: Types.double(), length: 4, data: Float64Array.of(k, k, -k, -k) }) }),
    col([`r${k}`, null], Types.string()),
  ]));
  async function* gen() {
    for (const p of parts) yield p;
  }
  await writeParquetPart(many, schema, gen(), { rowGroupSize: 7 });
  const mmd = await parquetMetadataAsync(await asyncBufferFromFile(many));
  t.equal(mmd.row_groups.length, 15);
  const rows = await collect(await parquetSource([many]));
  t.same(rows.map((r) => r.a), Array.from({ length: 100 }, (_, i) => i));
  t.same(rows[99], { a: 99, v: { type: 1, size: null, indices: null, values: [-49, -49] }, s: null });

  for (const compression of ['uncompressed', 'gzip', 'brotli', 'zstd'] as const) {
    const f = join(dir, `c-${compression}.parquet`);
    try {
      await writeParquetPart(f, schema, parts, { compression });
    } catch (e) {
      t.equal(compression, 'zstd', 'only zstd may be unavailable (Node < 22.15)');
      t.match((e as Error).message, /zstd needs Node >= 22\.15/);
      continue;
    }
    const cmd = await parquetMetadataAsync(await asyncBufferFromFile(f));
    t.equal(cmd.row_groups[0]!.columns[0]!.meta_data!.codec, compression === 'uncompressed' ? 'UNCOMPRESSED' : compression.toUpperCase());
    t.same(await collect(await parquetSource([f])), rows, `${compression} round-trips`);
  }
  await t.rejects(writeParquetPart(join(dir, 'x.parquet'), schema, parts, { compression: 'lzo' as never }), { code: 'ERR_KINDLING_INVALID_ARG', message: /^writeParquetPart: expected one of 'snappy', 'uncompressed', 'gzip', 'zstd', 'brotli' for compression, got "lzo"/ });
  await t.rejects(writeParquetPart(join(dir, 'x.parquet'), schema, parts, { rowGroupSize: 0 }), { message: /rowGroupSize/ });

  // a null in a non-nullable column is refused, and no partial file is left
  const bad = join(dir, 'bad.parquet');
  const withNull = batchOf(new arrow.Schema([new arrow.Field('a', Types.int(), false)]), [col([1, null], Types.int())]);
  await t.rejects(writeParquetPart(bad, new arrow.Schema([new arrow.Field('a', Types.int(), false)]), [withNull]), { code: 'ERR_KINDLING_SCHEMA', message: /^writeParquetPart: column "a" is not nullable but holds 1 null/ });
  t.throws(() => statSync(bad), 'partial file removed');
  // batches must match the schema
  await t.rejects(writeParquetPart(bad, schema, [withNull]), { code: 'ERR_KINDLING_SCHEMA', message: /do not match the schema/ });
  // unsupported types are named
  const dec = new arrow.Schema([new arrow.Field('n', new arrow.Null(), true)]);
  await t.rejects(writeParquetPart(bad, dec, []), { message: /^writeParquetPart: column "n" has type Null, which Parquet output does not support/ });
});

// ─────────────────────────── physical types and encodings from other writers ───────────────────────────

t.test('encodings: dictionary, RLE booleans, DELTA_*, BYTE_STREAM_SPLIT, multi-page chunks, v2 pages', async (t) => {
  const dir = t.testdir();
  const n = 500;
  const ints = Array.from({ length: n }, (_, i) => (i % 9 === 0 ? null : i * 37 - 4000));
  const longs = Array.from({ length: n }, (_, i) => (i % 11 === 0 ? null : BigInt(i) * 123456789012n - 5n));
  const dbls = Array.from({ length: n }, (_, i) => (i % 13 === 0 ? null : i / 7 - 30));
  const flts = Array.from({ length: n }, (_, i) => (i % 3 === 0 ? null : Math.fround(i * 0.5)));
  const strs = Array.from({ length: n }, (_, i) => (i % 17 === 0 ? null : `v${i % 23}-${'x'.repeat(i % 5)}`));
  const bools = Array.from({ length: n }, (_, i) => (i % 19 === 0 ? null : i % 3 === 0));
  const schema: SchemaElement[] = [
    { name: 'root', num_children: 10 },
    { name: 'delta32', type: 'INT32', repetition_type: 'OPTIONAL' },
    { name: 'delta64', type: 'INT64', repetition_type: 'OPTIONAL' },
    { name: 'bss64', type: 'DOUBLE', repetition_type: 'OPTIONAL' },
    { name: 'bss32', type: 'FLOAT', repetition_type: 'OPTIONAL' },
    { name: 'dlba', type: 'BYTE_ARRAY', repetition_type: 'OPTIONAL', converted_type: 'UTF8' },
    { name: 'dba', type: 'BYTE_ARRAY', repetition_type: 'OPTIONAL', converted_type: 'UTF8' },
    { name: 'dict', type: 'BYTE_ARRAY', repetition_type: 'OPTIONAL', converted_type: 'UTF8' },
    { name: 'dictint', type: 'INT32', repetition_type: 'OPTIONAL' },
    { name: 'rlebool', type: 'BOOLEAN', repetition_type: 'OPTIONAL' },
    { name: 'plainbool', type: 'BOOLEAN', repetition_type: 'REQUIRED' },
  ];
  const buf = parquetWriteBuffer({
    schema,
    columnData: [
      { name: 'delta32', data: ints, encoding: 'DELTA_BINARY_PACKED' },
      { name: 'delta64', data: longs, encoding: 'DELTA_BINARY_PACKED' },
      { name: 'bss64', data: dbls, encoding: 'BYTE_STREAM_SPLIT' },
      { name: 'bss32', data: flts, encoding: 'BYTE_STREAM_SPLIT' },
      { name: 'dlba', data: strs, encoding: 'DELTA_LENGTH_BYTE_ARRAY' },
      { name: 'dba', data: strs, encoding: 'DELTA_BYTE_ARRAY' },
      { name: 'dict', data: strs, encoding: 'RLE_DICTIONARY' },
      { name: 'dictint', data: ints.map((v) => (v === null ? null : v % 10)), encoding: 'RLE_DICTIONARY' },
      { name: 'rlebool', data: bools },
      { name: 'plainbool', data: bools.map((b) => b === true), encoding: 'PLAIN' },
    ],
    pageSize: 256,
    rowGroupSize: 300,
    codec: 'UNCOMPRESSED',
  });
  const file = join(dir, 'enc.parquet');
  await writeFile(file, new Uint8Array(buf));
  const md = await parquetMetadataAsync(await asyncBufferFromFile(file));
  const encs = md.row_groups[0]!.columns.map((c) => c.meta_data!.encodings.join('+'));
  t.same(encs, ['DELTA_BINARY_PACKED', 'DELTA_BINARY_PACKED', 'BYTE_STREAM_SPLIT', 'BYTE_STREAM_SPLIT', 'DELTA_LENGTH_BYTE_ARRAY', 'DELTA_BYTE_ARRAY', 'PLAIN+RLE_DICTIONARY', 'PLAIN+RLE_DICTIONARY', 'RLE', 'PLAIN']);
  const rows = await collect(await parquetSource([file]));
  t.equal(rows.length, n);
  t.same(rows.map((r) => r.delta32), ints);
  t.same(rows.map((r) => r.delta64), longs);
  t.same(rows.map((r) => r.bss64), dbls);
  t.same(rows.map((r) => r.bss32), flts);
  t.same(rows.map((r) => r.dlba), strs);
  t.same(rows.map((r) => r.dba), strs);
  t.same(rows.map((r) => r.dict), strs);
  t.same(rows.map((r) => r.dictint), ints.map((v) => (v === null ? null : v % 10)));
  t.same(rows.map((r) => r.rlebool), bools);
  t.same(rows.map((r) => r.plainbool), bools.map((b) => b === true));
});

t.test('logical types: DECIMAL (all physical forms) → double, TIMESTAMP millis/nanos → µs, unsigned ints, DATE', async (t) => {
  const dir = t.testdir();
  const schema: SchemaElement[] = [
    { name: 'root', num_children: 9 },
    { name: 'd32', type: 'INT32', repetition_type: 'OPTIONAL', converted_type: 'DECIMAL', scale: 2, precision: 9 },
    { name: 'd64', type: 'INT64', repetition_type: 'OPTIONAL', converted_type: 'DECIMAL', scale: 4, precision: 18 },
    { name: 'dflba', type: 'FIXED_LEN_BYTE_ARRAY', type_length: 9, repetition_type: 'OPTIONAL', converted_type: 'DECIMAL', scale: 3, precision: 20 },
    { name: 'dba', type: 'BYTE_ARRAY', repetition_type: 'OPTIONAL', converted_type: 'DECIMAL', scale: 1, precision: 30 },
    { name: 'tsms', type: 'INT64', repetition_type: 'OPTIONAL', converted_type: 'TIMESTAMP_MILLIS' },
    { name: 'tsns', type: 'INT64', repetition_type: 'OPTIONAL', logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'NANOS' } },
    { name: 'u8', type: 'INT32', repetition_type: 'OPTIONAL', converted_type: 'UINT_8' },
    { name: 'u32', type: 'INT32', repetition_type: 'OPTIONAL', converted_type: 'UINT_32' },
    { name: 'day', type: 'INT32', repetition_type: 'OPTIONAL', converted_type: 'DATE' },
  ];
  const buf = parquetWriteBuffer({
    schema,
    columnData: [
      { name: 'd32', data: [12.34, -0.05, null] },
      { name: 'd64', data: [123456.789, -1, null] },
      { name: 'dflba', data: [12345678901.234, -3.5, null] },
      { name: 'dba', data: [-1234.5, 0, null] },
      { name: 'tsms', data: [1_600_000_000_123n, -1n, null] },
      { name: 'tsns', data: [1_600_000_000_123_456_789n, 1999n, null] },
      { name: 'u8', data: [255, 0, null] },
      { name: 'u32', data: [4_000_000_000, 1, null] },
      { name: 'day', data: [18_000, -1, null] },
    ],
  });
  const file = join(dir, 'logical.parquet');
  await writeFile(file, new Uint8Array(buf));
  const src = await parquetSource([file]);
  t.same(src.schema.fields.map((f) => String(f.type)), ['Float64', 'Float64', 'Float64', 'Float64', 'Timestamp<MICROSECOND, UTC>', 'Timestamp<MICROSECOND, UTC>', 'Int16', 'Int64', 'Date32<DAY>']);
  const [b] = await batchesOf(src);
  const vals = (name: string) => Array.from(b!.getChild(name)!.data[0]!.values as ArrayLike<unknown>).slice(0, 2);
  t.same(vals('d32'), [12.34, -0.05]);
  t.same(vals('d64'), [123456.789, -1]);
  t.same(vals('dflba'), [12345678901.234, -3.5]);
  t.same(vals('dba'), [-1234.5, 0]);
  t.same(vals('tsms'), [1_600_000_000_123_000n, -1000n]);
  t.same(vals('tsns'), [1_600_000_000_123_456n, 1n]);
  t.same(vals('u8'), [255, 0]);
  t.same(vals('u32'), [4_000_000_000n, 1n]);
  t.same(vals('day'), [18_000, -1]);
  t.equal(b!.getChild('d32')!.nullCount, 1);
});

/** Spark's legacy INT96 timestamps: a FIXED_LEN_BYTE_ARRAY(12) file whose footer is patched to INT96. */
t.test('INT96 (Spark legacy timestamps) → timestamp µs', async (t) => {
  const dir = t.testdir();
  const instants = [Date.UTC(2020, 0, 2, 3, 4, 5, 123) * 1000 + 456, 0, Date.UTC(1900, 5, 30, 23, 59, 59, 999) * 1000 + 1];
  const int96 = (us: number) => {
    const day = Math.floor(us / 86_400_000_000);
    const nanos = BigInt(us - day * 86_400_000_000) * 1000n;
    const b = new Uint8Array(12);
    const dv = new DataView(b.buffer);
    dv.setBigInt64(0, nanos, true);
    dv.setInt32(8, day + 2440588, true);
    return b;
  };
  const buf = new Uint8Array(parquetWriteBuffer({
    schema: [{ name: 'spark_schema', num_children: 1 }, { name: 'ts', type: 'FIXED_LEN_BYTE_ARRAY', type_length: 12, repetition_type: 'OPTIONAL' }],
    columnData: [{ name: 'ts', data: [...instants.map(int96), null], encoding: 'PLAIN' }],
    statistics: false,
  }));
  // thrift compact: field 1 (type, i32) is written 0x15 <zigzag>; FIXED_LEN_BYTE_ARRAY = 7 → 0x0e, INT96 = 3 → 0x06
  const metaLen = new DataView(buf.buffer).getUint32(buf.length - 8, true);
  let patched = 0;
  for (let i = buf.length - 8 - metaLen; i < buf.length - 9; i++) {
    if (buf[i] === 0x15 && buf[i + 1] === 0x0e) {
      buf[i + 1] = 0x06;
      patched++;
    }
  }
  t.equal(patched, 2, 'schema element and column metadata patched');
  const file = join(dir, 'int96.parquet');
  await writeFile(file, buf);
  const md = await parquetMetadataAsync(await asyncBufferFromFile(file));
  t.equal(md.schema[1]!.type, 'INT96');
  const src = await parquetSource([file]);
  t.equal(String(src.schema.fields[0]!.type), 'Timestamp<MICROSECOND, UTC>');
  const [b] = await batchesOf(src);
  const v = b!.getChild('ts')!.data[0]!;
  t.same(Array.from(v.values as BigInt64Array).slice(0, 3), instants.map(BigInt));
  t.equal(v.nullCount, 1);
});

t.test('legacy list forms, bare repeated groups, maps', async (t) => {
  const dir = t.testdir();
  const schema: SchemaElement[] = [
    { name: 'root', num_children: 3 },
    // 2-level list whose repeated group is the element (named "array", as parquet-avro wrote);
    // physically the same as a 3-level list of x, the reader must follow the naming rule
    { name: 'arr', repetition_type: 'OPTIONAL', converted_type: 'LIST', num_children: 1 },
    { name: 'array', repetition_type: 'REPEATED', num_children: 1 },
    { name: 'x', type: 'INT32', repetition_type: 'REQUIRED' },
    // a bare repeated group (no LIST annotation): a non-null list of non-null structs
    { name: 'pts', repetition_type: 'REPEATED', num_children: 1 },
    { name: 'px', type: 'DOUBLE', repetition_type: 'OPTIONAL' },
    { name: 'mm', repetition_type: 'OPTIONAL', converted_type: 'MAP', num_children: 1 },
    { name: 'key_value', repetition_type: 'REPEATED', num_children: 2 },
    { name: 'key', type: 'BYTE_ARRAY', repetition_type: 'REQUIRED', converted_type: 'UTF8' },
    { name: 'value', type: 'INT64', repetition_type: 'OPTIONAL' },
  ];
  const buf = parquetWriteBuffer({
    schema,
    columnData: [
      { name: 'arr', data: [[1, 2], [], null] },
      { name: 'pts', data: [[1], [], [null, 4]] },
      { name: 'mm', data: [{ a: 1n }, null, { b: null, c: 3n }] },
    ],
  });
  const file = join(dir, 'legacy.parquet');
  await writeFile(file, new Uint8Array(buf));
  const src = await parquetSource([file]);
  t.same(src.schema.fields.map((f) => `${f.name}:${f.type}:${f.nullable}`), ['arr:List<Struct<{x:Int32}>>:true', 'pts:List<Struct<{px:Float64}>>:false', 'mm:Map<{key:Utf8, value:Int64}>:true']);
  t.equal(src.schema.fields[0]!.type.children[0]!.nullable, false, 'legacy elements are required');
  const rows = await collect(src);
  t.same(rows, [
    { arr: [{ x: 1 }, { x: 2 }], pts: [{ px: 1 }], mm: { a: 1n } },
    { arr: [], pts: [], mm: null },
    { arr: null, pts: [{ px: null }, { px: 4 }], mm: { b: null, c: 3n } },
  ]);
});

// ─────────────────────────── several files, user schemas ───────────────────────────

t.test('several files: nullability merges, missing columns become null, type conflicts are refused', async (t) => {
  const dir = t.testdir();
  const s1 = new arrow.Schema([new arrow.Field('a', Types.int(), false), new arrow.Field('b', Types.string(), false)]);
  const s2 = new arrow.Schema([new arrow.Field('a', Types.int(), true), new arrow.Field('b', Types.string(), false), new arrow.Field('extra', Types.double(), true)]);
  const s3 = new arrow.Schema([new arrow.Field('a', Types.int(), false)]);
  const f1 = join(dir, 'p1.parquet');
  const f2 = join(dir, 'p2.parquet');
  const f3 = join(dir, 'p3.parquet');
  await writeParquetPart(f1, s1, [batchOf(s1, [col([1, 2], Types.int()), col(['x', 'y'], Types.string())])]);
  await writeParquetPart(f2, s2, [batchOf(s2, [col([null, 4], Types.int()), col(['z', 'w'], Types.string()), col([1, 2], Types.double())])]);
  await writeParquetPart(f3, s3, [batchOf(s3, [col([5], Types.int())])]);
  const src = await parquetSource([f1, f2, f3]);
  t.same(src.schema.fields.map((f) => `${f.name}:${f.nullable}`), ['a:true', 'b:true'], 'first file\'s columns; nullable where any file allows null or lacks the column');
  t.same(await collect(src), [{ a: 1, b: 'x' }, { a: 2, b: 'y' }, { a: null, b: 'z' }, { a: 4, b: 'w' }, { a: 5, b: null }]);

  const s4 = new arrow.Schema([new arrow.Field('a', Types.string(), true)]);
  const f4 = join(dir, 'p4.parquet');
  await writeParquetPart(f4, s4, [batchOf(s4, [col(['q'], Types.string())])]);
  await t.rejects(parquetSource([f1, f4]), { code: 'ERR_KINDLING_SCHEMA', message: /^parquet: column "a" has type int in .*p1\.parquet but string in .*p4\.parquet$/ });

  // a user schema reads by name, widens numbers, fills missing columns with nulls
  const user = new arrow.Schema([new arrow.Field('a', Types.double(), true), new arrow.Field('extra', Types.double(), true), new arrow.Field('gone', Types.string(), true)]);
  const us = await parquetSource([f1, f2], user);
  t.same(us.schema.fields.map((f) => f.name), ['a', 'extra', 'gone']);
  const [b] = await batchesOf(us);
  t.equal(b!.getChild('a')!.data[0]!.values.constructor, Float64Array);
  t.same(await collect(us), [{ a: 1, extra: null, gone: null }, { a: 2, extra: null, gone: null }, { a: null, extra: 1, gone: null }, { a: 4, extra: 2, gone: null }]);
  const narrow = new arrow.Schema([new arrow.Field('b', Types.int(), true)]);
  await t.rejects(parquetSource([f1], narrow), { code: 'ERR_KINDLING_SCHEMA', message: /^parquet: column "b" of .*p1\.parquet has type string, which cannot be read as int$/ });
});

t.test('reading does not load whole files: small reads for footers', async (t) => {
  const dir = t.testdir();
  const file = join(dir, 'f.parquet');
  const schema = new arrow.Schema([new arrow.Field('x', Types.double(), false)]);
  await writeParquetPart(file, schema, [batchOf(schema, [arrow.makeData({ type: Types.double(), length: 200_000, data: Float64Array.from({ length: 200_000 }, (_, i) => Math.sin(i)) })])], { rowGroupSize: 50_000, compression: 'uncompressed' });
  const bytes = await readFile(file);
  t.ok(bytes.length > 1_500_000);
  const src = await parquetSource([file]);
  t.equal(src.schema.fields[0]!.name, 'x');
  const r0 = _parquetScanCounters.rowGroupsRead;
  for await (const b of src.scan()) {
    t.equal(b.numRows, 50_000);
    break;
  }
  t.ok(_parquetScanCounters.rowGroupsRead - r0 <= 2, 'at most the current and the prefetched row group were fetched');
});
