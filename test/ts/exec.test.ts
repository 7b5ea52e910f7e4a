// Session, executor backends and treeAggregate: one algorithm body on one thread and on
// local[N], with Spark's merge order, errors rebuilt from workers, and the wire codecs.
import t from 'tap';
import {
  Session, parseMaster, treeMerge, summaryRef, encodeSummary, decodeSummary, encodeError, decodeError,
  MOMENTS_MODULE, GROUP_AGG_MODULE, KMEANS_STEP_MODULE, moments, groupAggAdd, groupAggZero,
  kmeansStepAdd, kmeansStepZero, KindlingError, KindlingRangeError, KindlingTypeError,
  type Moments, type GroupAggState, type KMeansStepStats,
} from '../../ts/src/index.js';
import { gaussian, mulberry32, relClose } from '../reference/rng.js';

const rand = mulberry32(8);
const g = gaussian(rand);
const n = 20011;
const values = new Float64Array(n).map(() => 50 + 3 * g());
const keys = new Int32Array(n).map(() => Math.floor(rand() * 13));
const d = 4;
const pts = new Float64Array(n * d).map(() => g());
const centers = new Float64Array([0, 0, 0, 0, 1, 1, 1, 1, -1, 0, 1, 0]);

function split(parts: number): Array<[number, number]> {
  return Array.from({ length: parts }, (_, p) => [Math.floor((p * n) / parts), Math.floor(((p + 1) * n) / parts)] as [number, number]);
}

t.test('parseMaster follows Spark for local modes', async (t) => {
  t.same(parseMaster('local'), { kind: 'inline', threads: 1 });
  t.same(parseMaster('local[3]'), { kind: 'local', threads: 3 });
  t.ok(parseMaster('local[*]').threads >= 1);
  t.same(parseMaster('kindling://127.0.0.1:7077'), { kind: 'cluster', threads: 0, url: 'kindling://127.0.0.1:7077' });
  t.throws(() => parseMaster('local[0]'), { message: /^Session\.builder: expected local\[N\] with 1 <= N <= 1024 for master, got "local\[0\]"/ });
  t.throws(() => parseMaster('yarn'), { code: 'ERR_KINDLING_INVALID_ARG', message: /for master, got "yarn"/ });
  t.throws(() => Session.builder().appName(''), { message: /appName/ });
});

t.test('treeMerge uses Spark treeAggregate grouping', async (t) => {
  const letters = 'abcdefghijklmnop'.split('');
  t.equal(treeMerge(letters, (a, b) => a + b, () => '', 2), 'aeimbfjncgkodhlp', '16 partials, depth 2: regrouped by index mod 4');
  t.equal(treeMerge(letters.slice(0, 5), (a, b) => a + b, () => '', 2), 'abcde', 'few partials: plain fold');
  t.equal(treeMerge([], (a: string, b: string) => a + b, () => 'zero'), 'zero');
  t.throws(() => treeMerge(['a'], (a, b) => a + b, () => '', 0), { message: /depth/ });
});

for (const master of ['local', 'local[2]']) {
  t.test(`treeAggregate on ${master} equals one pass, for 1, 2, 5 and 8 partitions`, async (t) => {
    const spark = await Session.builder().appName('exec-test').master(master).getOrCreate();
    t.equal(spark.master, master);
    t.equal(await Session.builder().getOrCreate(), spark, 'getOrCreate returns the active session');
    const wholeM = moments(values);
    const wholeG = groupAggAdd(groupAggZero(13), keys, values);
    const wholeK = kmeansStepAdd(kmeansStepZero(3, d), pts, d, centers);
    for (const parts of [1, 2, 5, 8]) {
      const ranges = split(parts);
      const m = await spark.treeAggregate<Moments, unknown, null>(summaryRef(MOMENTS_MODULE, 'momentsSummary'), ranges.map(([a, b]) => ({ values: values.subarray(a, b) })), null);
      t.equal(m.count, wholeM.count);
      t.ok(relClose(m.mean, wholeM.mean, 1e-14) && relClose(m.m2, wholeM.m2, 1e-11), `${parts} partitions: moments`);
      const gs = await spark.treeAggregate<GroupAggState, unknown, { numGroups: number }>(summaryRef(GROUP_AGG_MODULE, 'groupAggSummary'), ranges.map(([a, b]) => ({ keys: keys.subarray(a, b), values: values.subarray(a, b) })), { numGroups: 13 });
      t.ok(gs.acc.every((v, i) => relClose(v, wholeG.acc[i]!, 1e-13)), `${parts} partitions: group-by`);
      const ks = await spark.treeAggregate<KMeansStepStats, unknown, unknown>(summaryRef(KMEANS_STEP_MODULE, 'kmeansStepSummary'), ranges.map(([a, b]) => ({ x: pts.subarray(a * d, b * d) })), { k: 3, d, centers, measure: 'squaredEuclidean' });
      t.same(Array.from(ks.weights), Array.from(wholeK.weights), `${parts} partitions: KMeans assignment counts`);
      t.ok(relClose(ks.cost, wholeK.cost, 1e-12), `${parts} partitions: KMeans cost`);
    }
    await spark.stop();
    t.equal(Session.active, null);
    await t.rejects(spark.treeAggregate(summaryRef(MOMENTS_MODULE, 'momentsSummary'), [], null), { message: /stopped/ });
  });
}

t.test('a user summary module is loaded by its file: URL in the workers', async (t) => {
  const spark = await Session.builder().master('local[2]').getOrCreate();
  const url = new URL('../fixtures/sum-summary.mjs', import.meta.url).href;
  const parts = [{ values: [1, 2, 3] }, { values: [4] }, { values: [] }, { values: [5, 6] }];
  const r = await spark.treeAggregate<{ sum: number; n: number }, unknown, { scale: number }>(summaryRef(url, 'sumSummary'), parts, { scale: 10 });
  t.same(r, { sum: 210, n: 6 });
  await t.rejects(spark.treeAggregate(summaryRef(url, 'notASummary'), parts, { scale: 1 }), { message: /a module exporting a Summary \(zero\/add\/merge\) named notASummary/ });
  await spark.stop();
});

t.test('an error inside a worker comes back with its class, code and message', async (t) => {
  const spark = await Session.builder().master('local[2]').getOrCreate();
  const bad = new Int32Array([0, 1, 99]);
  await t.rejects(
    spark.treeAggregate(summaryRef(GROUP_AGG_MODULE, 'groupAggSummary'), [{ keys: bad, values: new Float64Array(3) }], { numGroups: 5 }),
    { name: 'KindlingRangeError', code: 'ERR_KINDLING_INVALID_ARG', message: /^groupAgg: row 2 of keys holds group code 99, outside \[0, 5\)/ },
  );
  await t.rejects(spark.treeAggregate(summaryRef(GROUP_AGG_MODULE, 'noSuchSummary'), [{}], {}), { message: /named noSuchSummary/ });
  await spark.stop();
  t.throws(() => summaryRef('./relative.js', 'x'), { message: /^summaryRef: expected a built-in summary module \(kindling:moments, kindling:group-agg, kindling:distance, [^)]*kindling:stage[^)]*\) or a file: URL for module/ });
});

t.test('wire: summaries round-trip, malformed frames are clear errors', async (t) => {
  const value = {
    k: 3, cost: -1.5e300, name: 'kmeans', ok: true, none: null, big: 12345678901234567890n,
    sums: new Float64Array([1, NaN, -Infinity]), counts: new Int32Array([-1, 2]), bytes: new Uint8Array([0, 255]),
    nested: [{ f32: new Float32Array([0.5]) }, [1, 'two']],
  };
  const back = decodeSummary(encodeSummary(value)) as typeof value;
  t.same(back.k, 3);
  t.equal(back.big, 12345678901234567890n);
  t.ok(back.sums instanceof Float64Array && Number.isNaN(back.sums[1]) && back.sums[2] === -Infinity);
  t.same(Array.from(back.counts), [-1, 2]);
  t.ok(back.nested[0] && (back.nested[0] as { f32: Float32Array }).f32 instanceof Float32Array);
  t.same(back.nested[1], [1, 'two']);
  const sub = new Float64Array([9, 8, 7, 6]).subarray(1, 3);
  t.same(Array.from(decodeSummary(encodeSummary(sub)) as Float64Array), [8, 7], 'a subarray view encodes only its elements');
  const frame = encodeSummary(value);
  for (const cut of [0, 3, 5, 12, frame.length - 1]) {
    t.throws(() => decodeSummary(frame.subarray(0, cut)), { code: 'ERR_KINDLING_TRANSPORT' }, `truncated at ${cut}`);
  }
  t.throws(() => decodeSummary(new Uint8Array([1, 2, 3, 4, 0])), { message: /bad magic/ });
  const badTag = encodeSummary(1);
  badTag[4] = 77;
  t.throws(() => decodeSummary(badTag), { message: /unknown tag 77/ });
  const hugeArray = encodeSummary([]);
  new DataView(hugeArray.buffer).setUint32(5, 0xffffffff, true);
  t.throws(() => decodeSummary(hugeArray), { message: /array length 4294967295 exceeds the input/ });
  t.throws(() => decodeSummary(new Uint8Array([...encodeSummary(1), 0])), { message: /1 trailing bytes/ });
  t.throws(() => encodeSummary({ f: () => 1 }), { message: /plain data/ });
  t.throws(() => encodeSummary(new Map()), { message: /plain data/ });
});

t.test('wire: errors keep class, code, message, stack and cause', async (t) => {
  const inner = new KindlingTypeError('inner: expected x for y, got z (string)');
  const outer = new KindlingRangeError('outer: row 3 of x is NaN', 'ERR_KINDLING_INVALID_ARG', { cause: inner });
  const back = decodeError(JSON.parse(JSON.stringify(encodeError(outer))));
  t.ok(back instanceof KindlingRangeError);
  t.equal((back as KindlingError).code, 'ERR_KINDLING_INVALID_ARG');
  t.equal(back.message, outer.message);
  t.equal(back.stack, outer.stack);
  t.ok(back.cause instanceof KindlingTypeError);
  const plain = decodeError(encodeError(Object.assign(new TypeError('boom'), { code: 'ERR_X' })));
  t.ok(plain instanceof TypeError);
  t.equal((plain as { code?: string }).code, 'ERR_X');
  const other = decodeError(encodeError('a string'));
  t.ok(other instanceof KindlingError && (other as KindlingError).code === 'ERR_KINDLING_WORKER');
});
