// Session, executor backends and treeAggregate: one algorithm body on one thread and on
// local[N], with Spark's merge order, errors rebuilt from workers, and the wire codecs.
import t from 'tap';
import * as arrow from 'apache-arrow';
import { Session, parseMaster, taskRef, functions as F, KindlingError, KindlingRangeError, KindlingTypeError } from '../../ts/src/index.js';
import { treeMerge, encodeSummary, decodeSummary, encodeError, decodeError, groupAggAdd, groupAggZero } from '../../ts/src/internals.js';
import { denseAggSummary, type DenseTables } from '../../ts/src/dataframe/dense-agg.js';
import { DataFrame } from '../../ts/src/dataframe/dataframe.js';
import { createBackend } from '../../ts/src/session.js';
import { gaussian, mulberry32, relClose } from '../reference/rng.js';

const rand = mulberry32(8);
const g = gaussian(rand);
const n = 20011;
const values = new Float64Array(n).map(() => 50 + 3 * g());
const keys = new Int32Array(n).map(() => Math.floor(rand() * 13));

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
  t.equal(treeMerge(letters, (a, b) => a + b, () => '', 2, (xs) => xs.join('')), 'aeimbfjncgkodhlp', 'mergeAll merges a group at once, in the same order');
  t.equal(treeMerge(letters.slice(0, 5), (a, b) => a + b, () => '', 2), 'abcde', 'few partials: plain fold');
  t.equal(treeMerge([], (a: string, b: string) => a + b, () => 'zero'), 'zero');
  t.throws(() => treeMerge(['a'], (a, b) => a + b, () => '', 0), { message: /depth/ });
});

for (const master of ['local', 'local[2]']) {
  t.test(`treeAggregate on ${master}: a built-in summary over DataFrame partitions equals one pass, for 1, 2, 5 and 8 partitions`, async (t) => {
    const spark = await Session.builder().appName('exec-test').master(master).getOrCreate();
    t.equal(spark.master, master);
    t.equal(await Session.builder().getOrCreate(), spark, 'getOrCreate returns the active session');
    const whole = groupAggAdd(groupAggZero(13), keys, values);
    for (const parts of [1, 2, 5, 8]) {
      const df = spark.createDataFrame({ k: keys, v: values }).repartition(parts);
      // the dense group-by route: count/sum/min/max tables per partition, merged on the driver
      const tables = await spark.treeAggregate<DenseTables>(denseAggSummary, df, { key: 'k', base: 0, range: 13, inputs: ['v'] });
      const acc = tables.tables![0]!;
      for (let g = 0; g < 13; g++) {
        t.equal(acc[g * 4], whole.acc[g * 4], `${parts} partitions: count of group ${g}`);
        t.ok(relClose(acc[g * 4 + 1]!, whole.acc[g * 4 + 1]!, 1e-12), `${parts} partitions: sum of group ${g}`);
        t.equal(acc[g * 4 + 2], whole.acc[g * 4 + 2], `${parts} partitions: min of group ${g}`);
        t.equal(acc[g * 4 + 3], whole.acc[g * 4 + 3], `${parts} partitions: max of group ${g}`);
      }
    }
    await spark.stop();
    t.equal(Session.active, null);
    await t.rejects(spark.treeAggregate(denseAggSummary, [], { key: 'k', base: 0, range: 1, inputs: [] }), { message: /stopped/ });
  });

  t.test(`user tasks on ${master}: loaded by file: URL, blocks kept on the executors, errors in partition order`, async (t) => {
    const spark = await Session.builder().master(master).getOrCreate();
    t.teardown(() => spark.stop());
    const url = new URL('../fixtures/user-tasks.mjs', import.meta.url).href;
    const parts = [{ values: [1, 2, 3] }, { values: [4] }, { values: [] }, { values: [5, 6] }];
    t.same(await spark.treeAggregate(taskRef(url, 'sumSummary'), parts, { scale: 10 }), { sum: 210, n: 6 });
    const blocks = await spark.keepTasks<unknown, null, { n: number; partition: number }>(taskRef(url, 'squares'), parts, null);
    t.same(blocks.parts.map((p) => p.meta), [{ n: 3, partition: 0 }, { n: 1, partition: 1 }, { n: 0, partition: 2 }, { n: 2, partition: 3 }]);
    t.equal(blocks.ids.length, 4);
    const before = spark.metrics;
    t.equal(await spark.treeAggregate(taskRef(url, 'scaledSum'), blocks, { factor: 2 }), 2 * (1 + 4 + 9 + 16 + 25 + 36));
    t.equal(spark.metrics.bytesToExecutors - before.bytesToExecutors, 0, 'tasks name kept blocks by id: nothing is copied to the executors');
    blocks.release();
    t.throws(() => blocks.source(), { message: /released/ });
    const held = (spark.backend as unknown as { store: { size: number } }).store.size;
    await t.rejects(spark.keepTasks(taskRef(url, 'failOnOne'), parts, null), { name: 'KindlingError', code: 'ERR_KINDLING_WORKER', message: 'task failOnOne failed on partition 1: RangeError: partition 1 refused', cause: { name: 'RangeError', message: 'partition 1 refused', stack: /failOnOne|user-tasks\.mjs/ } }, 'partitions 1 to 3 fail: the first in partition order is reported, coded, the original as its cause');
    t.equal((spark.backend as unknown as { store: { size: number } }).store.size, held, 'a failed job keeps nothing (partition 0 kept a block, dropped with the failure)');
    await t.rejects(spark.runTasks(taskRef(url, 'throwsObject'), parts, null), { code: 'ERR_KINDLING_WORKER', message: "task throwsObject failed on partition 0: it threw a non-Error value { reason: 'bad', n: 3 }" });
    await t.rejects(spark.runTasks(taskRef(url, 'readsMissing'), parts, null), { code: 'ERR_KINDLING_WORKER', message: "task readsMissing failed on partition 0: TypeError: Cannot read properties of undefined (reading 'here')", cause: { name: 'TypeError' } });
    await t.rejects(spark.runTasks(taskRef(url, 'returnsFunction'), parts, null), { code: 'ERR_KINDLING_WORKER', message: 'task returnsFunction on partition 0 returned a value that cannot be sent between threads (structured clone): result.model.predict is a function; return plain data' }, 'the same on every backend');
    await t.rejects(spark.runTasks({ module: 'kindling', name: 'dataframe.stage' }, [null], null), { code: 'ERR_KINDLING_WORKER', message: /^task dataframe\.stage failed on partition 0: TypeError: /, cause: { name: 'TypeError' } }, 'a built-in task fed garbage: coded, its TypeError the cause');
    const df = spark.range(0, 20_000, 1, 2);
    await t.rejects(spark.runTasks(taskRef(url, 'readsMissing'), df, null), { code: 'ERR_KINDLING_WORKER', message: /^task readsMissing failed on partition 0: TypeError: Cannot read properties of undefined \(reading 'here'\)$/ }, 'behind a DataFrame stage the user task is named, not the stage');
    await t.rejects(spark.treeAggregate(taskRef(url, 'notASummary'), parts, null), { message: /a module exporting a Summary \(zero\/add\/merge\) or a task \(run\) named notASummary/ });
    await t.rejects(spark.treeAggregate({ module: 'kindling', name: 'noSuchTask' }, parts, null), { message: /no built-in named noSuchTask/ });
    await t.rejects(spark.treeAggregate(undefined as never, parts, null), { code: 'ERR_KINDLING_INVALID_ARG', message: /^resolveTask: expected a task, or a TaskRef \{ module, name \} \(taskRef\(url, name\)\) for ref, got undefined/ });
    await t.rejects(spark.treeAggregate(taskRef(new URL('../fixtures/no-such-module.mjs', import.meta.url).href, 'x'), parts, null), { code: 'ERR_KINDLING_LOAD', message: /^resolveTask: cannot load the module of task x, file:.*no-such-module\.mjs: Cannot find module/ });
    t.throws(() => taskRef('./relative.js', 'x'), { message: /^taskRef: expected 'kindling' \(built-in tasks\) or a file: URL for module, got "\.\/relative\.js"/ });
  });
}

for (const master of ['local', 'local[2]']) {
  t.test(`a task over a DataFrame knows its partition's first row until an operator drops rows (${master})`, async (t) => {
    const spark = await Session.builder().master(master).getOrCreate();
    t.teardown(() => spark.stop());
    const url = new URL('../fixtures/user-tasks.mjs', import.meta.url).href;
    const df = spark.createDataFrame({ x: Float64Array.from({ length: 30 }, (_, i) => i) }).repartition(3);
    t.same(await spark.runTasks(taskRef(url, 'whereAmI'), df, null), [{ partition: 0, rowBase: 0, rows: 10 }, { partition: 1, rowBase: 10, rows: 10 }, { partition: 2, rowBase: 20, rows: 10 }]);
    t.same(await spark.runTasks(taskRef(url, 'whereAmI'), df.select(df.col('x').multiply(2).alias('y')), null), [{ partition: 0, rowBase: 0, rows: 10 }, { partition: 1, rowBase: 10, rows: 10 }, { partition: 2, rowBase: 20, rows: 10 }], 'a projection keeps the rows');
    const filtered = (await spark.runTasks(taskRef(url, 'whereAmI'), df.filter(df.col('x').geq(5)), null)) as Array<{ rowBase: number | null; rows: number }>;
    t.same(filtered.map((p) => p.rowBase), [null, null, null], 'after a filter the global row is unknown');
    t.equal(filtered.reduce((s, p) => s + p.rows, 0), 25);
  });

  t.test(`mapInArrow with a task runs on the executors (${master}), fused with the operators around it`, async (t) => {
    const spark = await Session.builder().master(master).getOrCreate();
    t.teardown(() => spark.stop());
    const url = new URL('../fixtures/user-tasks.mjs', import.meta.url).href;
    const n = 80_000;
    const df = spark.createDataFrame({ id: Int32Array.from({ length: n }, (_, i) => i), s: Float64Array.from({ length: n }, (_, i) => i / 2) });
    const schema = new arrow.Schema([new arrow.Field('id', new arrow.Int32(), true), new arrow.Field('y', new arrow.Float64(), true)]);
    const mapped = df.filter(df.col('id').lt(1000)).mapInArrow(taskRef(url, 'scaleIds'), schema, { factor: 3 });
    t.match(mapped.explain(), /MapInArrow scaleIds/);
    const rows = await mapped.filter(mapped.col('y').geq(2997)).orderBy('id').collect();
    t.same(rows, [{ id: 999, y: 2997 }]);
    t.equal(await mapped.count(), 1000);
    const agg = await mapped.groupBy().agg(F.sum('y').alias('s')).collect();
    t.equal(agg[0]!.s, 3 * (999 * 1000) / 2);
    const wrong = new arrow.Schema([new arrow.Field('id', new arrow.Int32(), true), new arrow.Field('y', new arrow.Utf8(), true)]);
    await t.rejects(df.mapInArrow(taskRef(url, 'scaleIds'), wrong, { factor: 1 }).count(), { code: 'ERR_KINDLING_SCHEMA', message: /^mapInArrow scaleIds: partition 0 returned column 2 \(y\) as double, the schema declares y string$/ });
    await t.rejects(df.mapInArrow(() => df as never, schema).count(), { message: /^mapInArrow \(function\): expected a RecordBatch for result/ });
    // names and NOT NULL columns are checked too, on the executors, and the error reaches the driver with its code
    const renamed = new arrow.Schema([new arrow.Field('id', new arrow.Int32(), true), new arrow.Field('z', new arrow.Float64(), true)]);
    await t.rejects(df.mapInArrow(taskRef(url, 'scaleIds'), renamed, { factor: 1 }).count(), { code: 'ERR_KINDLING_SCHEMA', message: /^mapInArrow scaleIds: partition 0 returned column 2 named y, the schema declares z$/ });
    const notNull = new arrow.Schema([new arrow.Field('id', new arrow.Int32(), true), new arrow.Field('y', new arrow.Float64(), false)]);
    await t.rejects(df.mapInArrow(taskRef(url, 'nullY'), notNull).count(), { code: 'ERR_KINDLING_SCHEMA', message: /^mapInArrow nullY: partition 0 returned a null in row 2 of column 2 \(y\), which the schema declares NOT NULL$/ });
    const ys = (await df.mapInArrow(taskRef(url, 'nullY'), schema).filter(mapped.col('id').lt(4)).collect()).map((r) => r.y);
    t.same(ys, [0, 1, null, 3], 'a nullable column may hold the nulls');
    const idNotNull = new arrow.Schema([new arrow.Field('id', new arrow.Int32(), false), new arrow.Field('s', new arrow.Float64(), true)]);
    t.equal(await df.mapInArrow((b) => b, idNotNull).count(), n, 'NOT NULL over a column without nulls passes');
  });
}

t.test('local[2]: a DataFrame made on the driver is read in place by its first action, placed once by its second; later actions copy nothing', async (t) => {
  const spark = await Session.builder().master('local[2]').getOrCreate();
  t.teardown(() => spark.stop());
  const n = 1_000_000; // 12 MB: over the pool's 8 MB bar for copying a job's partitions to its threads
  const k = Int32Array.from({ length: n }, (_, i) => i % 100);
  const v = Float64Array.from({ length: n }, (_, i) => i * 0.5);
  const df = spark.createDataFrame({ k, v });
  const q = () => df.filter(df.col('k').geq(0)).groupBy('k').agg(F.sum('v').alias('s')).count();
  const start = spark.metrics;
  t.equal(await df.count(), n);
  t.equal(await df.count(), n);
  t.equal((await df.partitions()).reduce((s, b) => s + b.numRows, 0), n);
  t.equal(spark.metrics.bytesToExecutors - start.bytesToExecutors, 0, 'reads that send no task (count, partitions) neither copy nor count as a use');
  const m0 = spark.metrics;
  t.equal(await q(), 100);
  const m1 = spark.metrics;
  t.equal(m1.bytesToExecutors - m0.bytesToExecutors, 0, 'the first action copies nothing: it runs where the data is, on the calling thread');
  t.equal(await q(), 100);
  const m2 = spark.metrics;
  const placed = m2.bytesToExecutors - m1.bytesToExecutors;
  t.ok(placed >= n * 12 && placed < n * 12 + 4096, `the second places the columns in shared memory (${placed} bytes)`);
  t.equal(await q(), 100);
  const m3 = spark.metrics;
  t.ok(m3.tasks > m2.tasks, 'the third action ran tasks');
  t.equal(m3.bytesToExecutors - m2.bytesToExecutors, 0, 'and copied no partition to them');
});

t.test('a placed batch names its block only to its own backend: another session sends it as a value', async (t) => {
  const pool = await Session.builder().master('local[2]').getOrCreate();
  t.teardown(() => pool.stop());
  const one = new Session('other', 'local', createBackend('local'), new Map());
  await one.backend.ready();
  t.teardown(() => one.stop());
  const df = pool.createDataFrame({ k: Int32Array.from({ length: 20_000 }, (_, i) => i % 7) });
  t.equal(await df.filter(df.col('k').eq(3)).count(), 2857);
  t.equal(await df.filter(df.col('k').eq(3)).count(), 2857, 'placed on the pool');
  const moved = new DataFrame(one, { op: 'memory', schema: df.schema, partitions: await df.partitions() });
  t.equal(await moved.filter(moved.col('k').eq(3)).count(), 2857, 'the other session reads the same rows');
});

t.test('an error inside a worker comes back with its class, code and message', async (t) => {
  const spark = await Session.builder().master('local[2]').getOrCreate();
  t.teardown(() => spark.stop());
  const n = 100_000;
  const df = spark.createDataFrame({ k: Int32Array.from({ length: n }, (_, i) => (i === n - 1 ? 99 : i % 5)), v: new Float64Array(n) });
  await t.rejects(
    spark.treeAggregate(denseAggSummary, df, { key: 'k', base: 0, range: 5, inputs: ['v'] }),
    { name: 'KindlingRangeError', code: 'ERR_KINDLING_INVALID_ARG', message: /^groupAgg: row \d+ of keys holds group code 99, outside \[0, 5\)/ },
  );
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
