/**
 * StandardScaler benchmark (issue 14's bar: the fit within 1.5x of the memory-read floor for its
 * input, measured in the same run), n x 8 float64 rows (default 10,000,000; `--rows N`), seeded:
 *   - floor: the addon's `_streamSumF64` over the same Float64Array (a multi-accumulator sum: the
 *     time to read the input once);
 *   - the fit's fold: `colStatsOfRows` (one native call, ts/src/kernels/colstats.ts) on the active
 *     tier and on each `_variants()` tier, its JS twin `colStatsAddJs`, and the JS reference that
 *     StandardScaler used before (two passes: means, then squared deviations);
 *   - StandardScaler.fit end to end on local (one thread) and local[2] (the DataFrame's
 *     partitions folded on the executors and merged by treeAggregate);
 *   - the transform's map: `affineRowsRaw` (native) against `affineRowsJs`, and
 *     StandardScalerModel.transform(df).count() end to end on local[2].
 * Prints the ratios and writes bench/results/<date>-<cpu>-scaling.json. Not part of `npm test`.
 *
 *   npm run bench:scaling -- --rows 200000
 */
import * as arrow from 'apache-arrow';
import { Session } from '../ts/src/index.js';
import { native } from '../ts/src/native.js';
import { StandardScaler, denseVectorColumn } from '../ts/ml/index.js';
import { affineRowsJs, affineRowsRaw, colStatsAddJs, colStatsOfRows, colStatsZero } from '../ts/src/kernels/colstats.js';
import { gaussian, mulberry32 } from '../test/reference/rng.js';
import { bar, report, saveResults, time, timeAsync, type Timing } from './harness.js';

const arg = process.argv.indexOf('--rows');
const n = arg > 0 ? Number(process.argv[arg + 1]) : 10_000_000;
if (!Number.isInteger(n) || n < 1) throw new Error(`bench:scaling: --rows must be a positive integer, got ${process.argv[arg + 1]}`);
const d = 8;
const reps = n >= 5_000_000 ? 5 : 9;

const g = gaussian(mulberry32(11));
const x = new Float64Array(n * d);
for (let i = 0; i < x.length; i++) x[i] = 3 * g() + (i % d);

/** StandardScaler's fold before the colstats kernel: the mean, then the squared deviations (the JS reference). */
function oldStatsOfRows(xs: Float64Array, rows: number, dim: number): { mean: Float64Array; m2: Float64Array } {
  const mean = new Float64Array(dim);
  for (let i = 0; i < rows; i++) for (let j = 0; j < dim; j++) mean[j] += xs[i * dim + j]!;
  for (let j = 0; j < dim; j++) mean[j] /= rows;
  const m2 = new Float64Array(dim);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < dim; j++) {
      const dev = xs[i * dim + j]! - mean[j]!;
      m2[j] += dev * dev;
    }
  }
  return { mean, m2 };
}

const a = native();
const floor = time('memory-read floor (_streamSumF64)', () => a._streamSumF64(x), { reps });
const fold: Timing[] = [floor, time(`colStatsOfRows (${a.simdLevel()})`, () => colStatsOfRows(x, n, d), { reps })];
for (const v of a._variants()) fold.push(time(`colStatsOfRows ${v.isa}`, () => colStatsOfRows(x, n, d, v), { reps }));
fold.push(time('colStatsAddJs (JS twin)', () => colStatsAddJs(colStatsZero(d), x, n, d), { reps: Math.min(reps, 3) }));
fold.push(time('old JS statsOfRows (two passes)', () => oldStatsOfRows(x, n, d), { reps: Math.min(reps, 3) }));
report(`StandardScaler's fold over ${n} x ${d}`, fold, { baseline: 'old JS statsOfRows (two passes)', floorMs: floor.medianMs });

const fits: Timing[] = [];
const transforms: Timing[] = [];
for (const master of ['local', 'local[2]']) {
  const spark = await Session.builder().appName('bench-scaling').master(master).getOrCreate();
  try {
    const df = spark.createDataFrame(new arrow.Table({ features: arrow.makeVector(denseVectorColumn(x, d) as never) }));
    let model = await new StandardScaler({ inputCol: 'features', outputCol: 'scaled', withMean: true }).fit(df);
    fits.push(await timeAsync(`StandardScaler.fit ${master}`, async () => (model = await new StandardScaler({ inputCol: 'features', outputCol: 'scaled', withMean: true }).fit(df)), { reps: Math.min(reps, 5) }));
    if (master === 'local[2]') transforms.push(await timeAsync(`StandardScalerModel.transform(df).count() ${master}`, () => model.transform(df).count(), { reps: 3 }));
  } finally {
    await spark.stop();
  }
}
report(`StandardScaler.fit end to end, ${n} x ${d}`, [floor, ...fits], { floorMs: floor.medianMs });

const stats = colStatsOfRows(x, n, d);
const affine = { shift: stats.mean.slice(), scale: Float64Array.from(stats.m2, (m) => 1 / Math.sqrt(m / (n - 1))), offset: null };
transforms.unshift(time('affineRowsJs (JS twin)', () => affineRowsJs(x, n, d, affine, new Float64Array(n * d)), { reps: 3 }));
transforms.unshift(time(`affineRowsRaw (${a.simdLevel()})`, () => affineRowsRaw(x, n, d, affine), { reps }));
report(`StandardScalerModel's transform map, ${n} x ${d}`, [floor, ...transforms], { baseline: 'affineRowsJs (JS twin)', floorMs: floor.medianMs });

const kernelRatio = fold[1]!.medianMs / floor.medianMs;
const fitRatio = fits.find((f) => f.name.endsWith('local[2]'))!.medianMs / floor.medianMs;
const bars = [
  bar('the fit fold within 1.5x of the memory-read floor', kernelRatio <= 1.5, `${kernelRatio.toFixed(2)}x`),
  bar('StandardScaler.fit (local[2]) within 1.5x of the memory-read floor', fitRatio <= 1.5, `${fitRatio.toFixed(2)}x`),
];
const file = saveResults('scaling', { rows: n, d, simd: a.simdLevel(), fold, fits, transforms, floorMs: floor.medianMs, ratios: { kernel: kernelRatio, fit: fitRatio }, bars });
console.log(`\nresults: ${file}`);
