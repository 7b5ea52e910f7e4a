/**
 * BisectingKMeansModel's data/ directory: mllib's BisectingKMeansModel save format 3.0
 * (SaveLoadV3_0), as Spark's ml BisectingKMeansModel writes it under the ml model's path:
 * `data/metadata/part-00000` = {"class":"org.apache.spark.mllib.clustering.BisectingKMeansModel",
 * "version":"3.0","rootId","distanceMeasure","trainingCost"} and `data/data/` Parquet with one row
 * per node (index int, size bigint, center mllib VectorUDT, norm, cost, height double, children
 * array<int>), nodes in post-order as Spark's getNodes; format versions 1.0 / 2.0 (Spark 2.x: no
 * distanceMeasure / trainingCost) load too. Layout: docs/formats/SPARK_MODEL_FORMAT.md.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as arrow from 'apache-arrow';
import { Errors } from '../../src/errors.js';
import { makeBatch, type AnyData } from '../../src/dataframe/batch.js';
import { Types } from '../../src/dataframe/types.js';
import { partFileName } from '../../src/io/dataset.js';
import { sparkSchemaJson, writeParquetPart } from '../../src/io/parquet/index.js';
import { denseVectorColumn, vectorAt } from '../linalg/columns.js';
import { JsonDouble, SPARK_VERSION, parseSparkJson, readData, toSparkJson } from '../persist.js';
import type { BisectingKMeansModel } from './bisecting-kmeans.js';
import { postOrder, type ClusteringTreeNode } from './bisecting-kmeans-tree.js';
import type { ClusteringDistance } from './kmeans-common.js';

const MLLIB_CLASS = 'org.apache.spark.mllib.clustering.BisectingKMeansModel';

function nodesTable(root: ClusteringTreeNode): { schema: arrow.Schema; batch: arrow.RecordBatch } {
  const nodes = postOrder(root);
  const n = nodes.length;
  const d = root.center.length;
  const centers = new Float64Array(n * d);
  nodes.forEach((nd, i) => centers.set(nd.center, i * d));
  const offsets = new Int32Array(n + 1);
  const kids: number[] = [];
  nodes.forEach((nd, i) => {
    for (const c of nd.children) kids.push(c.index);
    offsets[i + 1] = kids.length;
  });
  const int32 = (v: Int32Array) => arrow.makeData({ type: new arrow.Int32(), length: v.length, data: v, nullCount: 0 }) as AnyData;
  const f64 = (v: Float64Array) => arrow.makeData({ type: new arrow.Float64(), length: v.length, data: v, nullCount: 0 }) as AnyData;
  const listType = new arrow.List(new arrow.Field('element', new arrow.Int32(), false));
  const cols: AnyData[] = [
    int32(Int32Array.from(nodes, (x) => x.index)),
    arrow.makeData({ type: new arrow.Int64(), length: n, data: BigInt64Array.from(nodes, (x) => BigInt(x.size)), nullCount: 0 }) as AnyData,
    denseVectorColumn(centers, d),
    f64(Float64Array.from(nodes, (x) => x.norm)),
    f64(Float64Array.from(nodes, (x) => x.cost)),
    f64(Float64Array.from(nodes, (x) => x.height)),
    arrow.makeData({ type: listType, length: n, nullCount: 0, valueOffsets: offsets, child: int32(Int32Array.from(kids)) } as never) as AnyData,
  ];
  const schema = new arrow.Schema([
    new arrow.Field('index', new arrow.Int32(), false),
    new arrow.Field('size', new arrow.Int64(), false),
    new arrow.Field('center', Types.vector(d), true),
    new arrow.Field('norm', new arrow.Float64(), false),
    new arrow.Field('cost', new arrow.Float64(), false),
    new arrow.Field('height', new arrow.Float64(), false),
    new arrow.Field('children', listType, true),
  ]);
  return { schema, batch: makeBatch(schema, cols, n) };
}

/** Writes `data/` (metadata and the nodes' Parquet) for model `m` at `path`. */
export async function saveModelData(m: BisectingKMeansModel, path: string): Promise<void> {
  const root = m.root;
  const dataDir = join(path, 'data');
  const mdDir = join(dataDir, 'metadata');
  await mkdir(mdDir, { recursive: true });
  const md = toSparkJson({ class: MLLIB_CLASS, version: '3.0', rootId: root.index, distanceMeasure: m.getDistanceMeasure(), trainingCost: new JsonDouble(m.trainingCost) });
  await writeFile(join(mdDir, 'part-00000'), `${md}\n`);
  await writeFile(join(mdDir, '_SUCCESS'), '');
  const nodesDir = join(dataDir, 'data');
  await mkdir(nodesDir, { recursive: true });
  const { schema, batch } = nodesTable(root);
  // mllib's Data case class holds an org.apache.spark.mllib.linalg.Vector: its UDT, not ml's
  const rowMetadata = sparkSchemaJson(schema).replace('"org.apache.spark.ml.linalg.VectorUDT"', '"org.apache.spark.mllib.linalg.VectorUDT"').replace('"pyspark.ml.linalg.VectorUDT"', '"pyspark.mllib.linalg.VectorUDT"');
  await writeParquetPart(join(nodesDir, partFileName(0, randomUUID(), '.snappy.parquet')), schema, [batch], {
    kvMetadata: { 'org.apache.spark.sql.parquet.row.metadata': rowMetadata, 'org.apache.spark.version': SPARK_VERSION },
  });
  await writeFile(join(nodesDir, '_SUCCESS'), '');
}

/** Reads `data/` at `path`: the tree, its distance measure and trainingCost (null before format 3.0). */
export async function loadModelData(api: string, path: string): Promise<{ root: ClusteringTreeNode; distanceMeasure: ClusteringDistance; trainingCost: number | null }> {
  const dataDir = join(path, 'data');
  let mdText: string;
  try {
    const names = (await readdir(join(dataDir, 'metadata'))).filter((f) => !f.startsWith('.') && !f.startsWith('_')).sort();
    mdText = await readFile(join(dataDir, 'metadata', names[0] ?? 'part-00000'), 'utf8');
  } catch (e) {
    throw Errors.load(`${api}: the saved model at ${path} has no data/metadata (mllib BisectingKMeansModel metadata): ${(e as Error).message}`, e);
  }
  const md = parseSparkJson(mdText.trim().split(/\r?\n/)[0]!) as Record<string, unknown>;
  if (md.class !== MLLIB_CLASS) throw Errors.load(`${api}: expected ${MLLIB_CLASS} in ${join(dataDir, 'metadata')}, found ${String(md.class)}`);
  if (!['1.0', '2.0', '3.0'].includes(String(md.version))) throw Errors.load(`${api}: unsupported mllib BisectingKMeansModel format version ${String(md.version)} at ${path}`);
  const rootId = Number(md.rootId);
  const measure = (md.distanceMeasure ?? 'euclidean') as ClusteringDistance;
  const table = await readData(dataDir, 'data', api);
  const raw = new Map<number, { index: number; size: number; center: Float64Array; norm: number; cost: number; height: number; children: number[] }>();
  for (const b of table.batches) {
    const col = (name: string) => {
      const c = b.getChild(name);
      if (!c) throw Errors.load(`${api}: the saved model at ${path} has no column ${name} in data/data`);
      return c;
    };
    const centers = col('center').data[0]! as AnyData;
    const [ix, sz, nr, cs, ht, ch] = ['index', 'size', 'norm', 'cost', 'height', 'children'].map(col);
    for (let i = 0; i < b.numRows; i++) {
      const v = vectorAt(centers, i);
      if (!v) throw Errors.load(`${api}: node row ${i} of ${path} has no center`);
      const kidsVec = ch!.get(i) as arrow.Vector | null;
      const kids = kidsVec ? Array.from(kidsVec.toArray() as Int32Array, Number) : [];
      const index = Number(ix!.get(i));
      raw.set(index, { index, size: Number(sz!.get(i)), center: Float64Array.from(v.toArray()), norm: Number(nr!.get(i)), cost: Number(cs!.get(i)), height: Number(ht!.get(i)), children: kids });
    }
  }
  const build = (id: number, depth: number): ClusteringTreeNode => {
    const r = raw.get(id);
    if (!r || depth > 1000) throw Errors.load(`${api}: the saved model at ${path} has no node ${id} (or a cycle)`);
    return { index: r.index, size: r.size, center: r.center, norm: r.norm, cost: r.cost, height: r.height, children: r.children.map((c) => build(c, depth + 1)) };
  };
  const trainingCost = typeof md.trainingCost === 'number' ? md.trainingCost : null;
  return { root: build(rootId, 0), distanceMeasure: measure, trainingCost };
}
