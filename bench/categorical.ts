/**
 * The categorical stages at size (issue 14): StringIndexer, OneHotEncoder, FeatureHasher,
 * CountEncoder and VectorIndexer fit and transform over N rows (two string columns of 50 and
 * 1,000 categories, one numeric column), on local[2], the data cached first.
 *   npx tsx bench/categorical.ts [rows = 200000] [--save]
 */
import { Session } from '../ts/src/index.js';
import { CountEncoder, FeatureHasher, OneHotEncoder, StringIndexer, VectorAssembler, VectorIndexer } from '../ts/ml/index.js';
import { fmix32 } from './data.js';
import { report, saveResults, timeAsync, type Timing } from './harness.js';

const n = Number(process.argv.slice(2).find((a) => /^\d+$/.test(a)) ?? 200_000);
const spark = await Session.builder().appName('bench-categorical').master('local[2]').getOrCreate();
try {
  const rows = Array.from({ length: n }, (_, i) => {
    const h = fmix32(i) >>> 0;
    return { small: `s${h % 50}`, large: `l${(h >>> 8) % 1000}`, x: (h % 97) / 4 };
  });
  const df = spark.createDataFrame(rows).cache();
  await df.count();
  const reps = 3;
  const out: Timing[] = [];
  const si = new StringIndexer({ inputCols: ['small', 'large'], outputCols: ['si', 'li'] });
  out.push(await timeAsync('StringIndexer.fit (2 columns)', () => si.fit(df), { reps }));
  const sim = await si.fit(df);
  const indexed = sim.transform(df).cache();
  out.push(await timeAsync('StringIndexerModel.transform + count', () => sim.transform(df).count(), { reps }));
  await indexed.count();
  const ohe = new OneHotEncoder({ inputCols: ['si', 'li'], outputCols: ['sv', 'lv'] });
  out.push(await timeAsync('OneHotEncoder.fit (from attributes)', () => ohe.fit(indexed), { reps }));
  const ohm = await ohe.fit(indexed);
  out.push(await timeAsync('OneHotEncoderModel.transform + count', () => ohm.transform(indexed).count(), { reps }));
  const fh = new FeatureHasher({ inputCols: ['small', 'large', 'x'], outputCol: 'f' });
  out.push(await timeAsync('FeatureHasher.transform + count', () => fh.transform(df).count(), { reps }));
  const ce = new CountEncoder({ inputCols: ['small', 'large'], outputCols: ['sc', 'lc'] });
  out.push(await timeAsync('CountEncoder fit + transform + count', async () => (await ce.fit(df)).transform(df).count(), { reps }));
  const vec = new VectorAssembler({ inputCols: ['si', 'li', 'x'], outputCol: 'v' }).transform(indexed).cache();
  await vec.count();
  out.push(await timeAsync('VectorIndexer.fit (maxCategories 20)', () => new VectorIndexer({ inputCol: 'v', outputCol: 'vi' }).fit(vec), { reps }));
  report(`categorical stages, ${n} rows, local[2]`, out);
  if (process.argv.includes('--save')) console.log(saveResults('categorical', { rows: n, timings: out }));
} finally {
  await spark.stop();
}
