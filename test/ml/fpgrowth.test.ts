// FPGrowth / FPGrowthModel (ml.fpm) against Spark's documented examples, a brute-force
// enumeration of itemsets, rules and predictions on seeded random baskets, 1 vs several
// partitions and item groups, Spark's persistence layout, and Spark's bad-input behaviour.
//
// Spark's examples:
//   - the ML guide's FP-growth example (docs/ml-frequent-pattern-mining.md, code in
//     examples/src/main/{scala,python}/…/FPGrowthExample / fpgrowth_example.py): baskets
//     "1 2 5", "1 2 3 5", "1 2" (the Scala example splits strings, the Python one uses integers),
//     minSupport 0.5, minConfidence 0.6. The guide prints no output; the frequent itemsets of
//     the same data at minSupport 0.5 as Spark prints them (1:3, 2:3, [2,1]:3, 5:2, [5,2]:2,
//     [5,2,1]:2, [5,1]:2) are quoted on https://blog.csdn.net/wc781708249/article/details/78270813
//     and similar pages; rules and predictions follow from Spark 3's definitions (and agree with
//     the brute force below).
//   - the PySpark FPGrowth doctest (python/pyspark/ml/fpm.py, data/mllib/sample_fpgrowth.txt,
//     minSupport 0.2, minConfidence 0.7): the first freqItemsets/associationRules rows it shows
//     and `sorted(transform([t, s]).prediction) == ['x', 'y', 'z']`.
import t from 'tap';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parquetMetadata } from 'hyparquet';
import { Session } from '../../ts/src/index.js';
import type { DataFrame } from '../../ts/src/dataframe/dataframe.js';
import { FPGrowth, FPGrowthModel, Pipeline, PipelineModel, parseSparkJson, readData } from '../../ts/ml/index.js';
import { Session as SessionClass, createBackend } from '../../ts/src/session.js';
import { localContext, type Kept } from '../../ts/src/exec/task.js';
import type { PlainTree } from '../../ts/ml/fpm/fp-tree.js';
import { fpGrowthItems, fpGrowthMine, fpGrowthTrees, type TreesMeta } from '../../ts/ml/fpm/fpgrowth-tasks.js';
import { frequentItems, type Item, type ItemCounts } from '../../ts/ml/fpm/items.js';
import { listAt } from '../../ts/ml/fpm/ragged.js';

const spark = await Session.builder().appName('fpgrowth-test').master('local[2]').getOrCreate();
t.teardown(() => spark.stop());
const tmp = mkdtempSync(join(tmpdir(), 'kindling-fpgrowth-'));
t.teardown(() => rmSync(tmp, { recursive: true, force: true }));


/** mulberry32: a small seeded generator. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = a;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

const sortKey = (items: readonly unknown[]) => items.map(String).sort().join(',');

/** freqItemsets rows as `sorted items → freq`. */
async function itemsetMap(df: DataFrame): Promise<Map<string, number>> {
  const m = new Map<string, number>();
  for (const r of await df.collect()) m.set(sortKey(r.items as unknown[]), r.freq as number);
  return m;
}

/** associationRules rows as `sorted antecedent => consequent → [confidence, lift, support]`. */
async function ruleMap(df: DataFrame): Promise<Map<string, [number, number | null, number]>> {
  const m = new Map<string, [number, number | null, number]>();
  for (const r of await df.collect()) m.set(`${sortKey(r.antecedent as unknown[])}=>${sortKey(r.consequent as unknown[])}`, [r.confidence as number, r.lift as number | null, r.support as number]);
  return m;
}

// ----- brute force --------------------------------------------------------------------------------

function bruteForce(baskets: ReadonlyArray<readonly Item[] | null>, minSupport: number, minConfidence: number) {
  const rows = baskets.filter((b): b is readonly Item[] => b !== null);
  const n = rows.length;
  const minCount = Math.max(1, Math.ceil(minSupport * n));
  const universe = [...new Set(rows.flat())].sort((a, b) => (String(a) < String(b) ? -1 : 1));
  const freq = new Map<string, { items: Item[]; freq: number }>();
  for (let mask = 1; mask < 1 << universe.length; mask++) {
    const items = universe.filter((_, i) => (mask >> i) & 1);
    const f = rows.filter((b) => items.every((x) => b.includes(x))).length;
    if (f >= minCount) freq.set(sortKey(items), { items, freq: f });
  }
  const rules = new Map<string, [number, number | null, number]>();
  for (const { items, freq: fz } of freq.values()) {
    if (items.length < 2) continue;
    for (const y of items) {
      const x = items.filter((v) => v !== y);
      const fx = freq.get(sortKey(x))!.freq;
      const confidence = fz / fx;
      if (confidence < minConfidence) continue;
      const supY = freq.get(sortKey([y]))!.freq / n;
      rules.set(`${sortKey(x)}=>${String(y)}`, [confidence, confidence / supY, fz / n]);
    }
  }
  const predict = (row: readonly Item[] | null): string[] => {
    if (row === null) return [];
    const out = new Set<string>();
    for (const key of rules.keys()) {
      const [ante, cons] = key.split('=>') as [string, string];
      const a = ante.split(',');
      const have = new Set(row.map(String));
      if (a.every((v) => have.has(v)) && !have.has(cons)) out.add(cons);
    }
    return [...out].sort();
  };
  return { n, freq: new Map([...freq].map(([k, v]) => [k, v.freq])), rules, predict };
}

function randomBaskets(seed: number, rows: number, universe: number, ints: boolean): Array<Item[] | null> {
  const r = rng(seed);
  const out: Array<Item[] | null> = [];
  for (let i = 0; i < rows; i++) {
    if (r() < 0.05) {
      out.push(null);
      continue;
    }
    const basket: Item[] = [];
    for (let u = 0; u < universe; u++) if (r() < 0.45) basket.push(ints ? u + 1 : String.fromCharCode(97 + u));
    // shuffle: item order in a basket must not matter
    for (let k = basket.length - 1; k > 0; k--) {
      const j = Math.floor(r() * (k + 1));
      [basket[k], basket[j]] = [basket[j]!, basket[k]!];
    }
    out.push(basket);
  }
  return out;
}

const basketFrame = (baskets: ReadonlyArray<Item[] | null>, ints: boolean) =>
  spark.createDataFrame(baskets.map((items, id) => ({ id, items })), ints ? 'id bigint, items array<bigint>' : 'id bigint, items array<string>');

// ----- Spark's examples ---------------------------------------------------------------------------

t.test('the ML guide example (strings, as the Scala example): freqItemsets, associationRules, transform', async (t) => {
  const df = spark.createDataFrame([{ id: 0, items: '1 2 5'.split(' ') }, { id: 1, items: '1 2 3 5'.split(' ') }, { id: 2, items: '1 2'.split(' ') }]);
  const fp = new FPGrowth({ itemsCol: 'items', minSupport: 0.5, minConfidence: 0.6 });
  const model = await fp.fit(df);
  t.equal(model.uid, fp.uid, 'the model keeps the estimator uid');
  t.equal(model.parent, fp);
  t.same(model.freqItemsets.columns, ['items', 'freq']);
  t.same(model.freqItemsets.dtypes, [['items', 'array<string>'], ['freq', 'bigint']]);
  t.same(model.freqItemsets.schema.fields.map((f) => f.nullable), [false, false], 'items and freq are not nullable, as Spark');
  // Spark prints the itemsets in this order with these item orders (least frequent item first)
  t.same(await model.freqItemsets.collect(), [
    { items: ['1'], freq: 3 }, { items: ['2'], freq: 3 }, { items: ['2', '1'], freq: 3 },
    { items: ['5'], freq: 2 }, { items: ['5', '2'], freq: 2 }, { items: ['5', '2', '1'], freq: 2 }, { items: ['5', '1'], freq: 2 },
  ]);
  t.same(model.associationRules.columns, ['antecedent', 'consequent', 'confidence', 'lift', 'support']);
  t.same(model.associationRules.dtypes, [['antecedent', 'array<string>'], ['consequent', 'array<string>'], ['confidence', 'double'], ['lift', 'double'], ['support', 'double']]);
  const two = 2 / 3;
  t.same(await ruleMap(model.associationRules), new Map<string, [number, number | null, number]>([
    ['1,2=>5', [two, 1, two]], ['1,5=>2', [1, 1, two]], ['2,5=>1', [1, 1, two]],
    ['2=>1', [1, 1, 1]], ['2=>5', [two, 1, two]], ['1=>2', [1, 1, 1]], ['1=>5', [two, 1, two]],
    ['5=>1', [1, 1, two]], ['5=>2', [1, 1, two]],
  ]));
  const out = await model.transform(df).collect();
  t.same(out.map((r) => r.prediction), [[], [], ['5']]);
  t.same(model.transform(df).dtypes.at(-1), ['prediction', 'array<string>']);
  t.match(await model.associationRules.showString(), /\|\s+\[2, 1\]\|\s+\[5\]\|0\.6666666666666666\|\s*1\.0\|0\.6666666666666666\|/);
});

t.test('the ML guide example with integer items (the Python example): item type kept everywhere', async (t) => {
  const df = spark.createDataFrame([{ id: 0, items: [1, 2, 5] }, { id: 1, items: [1, 2, 3, 5] }, { id: 2, items: [1, 2] }]);
  const model = await new FPGrowth({ minSupport: 0.5, minConfidence: 0.6 }).fit(df);
  t.same(model.freqItemsets.dtypes[0], ['items', 'array<bigint>']);
  t.same(await model.freqItemsets.collect(), [
    { items: [1], freq: 3 }, { items: [2], freq: 3 }, { items: [2, 1], freq: 3 },
    { items: [5], freq: 2 }, { items: [5, 2], freq: 2 }, { items: [5, 2, 1], freq: 2 }, { items: [5, 1], freq: 2 },
  ]);
  t.equal((await model.associationRules.collect()).length, 9);
  t.same(model.associationRules.dtypes.slice(0, 2), [['antecedent', 'array<bigint>'], ['consequent', 'array<bigint>']]);
  t.same((await model.transform(df).collect()).map((r) => r.prediction), [[], [], [5]]);
  const ints = spark.createDataFrame([{ items: [1, 2] }], 'items array<int>');
  const m2 = await new FPGrowth({ minSupport: 0.5 }).fit(ints);
  t.same(m2.freqItemsets.dtypes[0], ['items', 'array<int>']);
  t.same(await itemsetMap(m2.freqItemsets), new Map([['1', 1], ['2', 1], ['1,2', 1]]));
});

t.test('the PySpark doctest on sample_fpgrowth.txt', async (t) => {
  const lines = ['r z h k p', 'z y x w v u t s', 's x o n r', 'x z y m t s q e', 'z', 'x z y r q t p'];
  const data = spark.createDataFrame(lines.map((l) => ({ items: l.split(/\s+/) })));
  const fpm = await new FPGrowth({ minSupport: 0.2, minConfidence: 0.7 }).fit(data);
  const sets = await fpm.freqItemsets.collect();
  // the rows `freqItemsets.show(5)` prints (item order: least frequent first; r, s, t, y tie at 3)
  for (const row of [{ items: ['s'], freq: 3 }, { items: ['s', 'x'], freq: 3 }, { items: ['s', 'x', 'z'], freq: 2 }, { items: ['s', 'z'], freq: 2 }, { items: ['r'], freq: 3 }]) {
    t.ok(sets.some((r) => JSON.stringify(r) === JSON.stringify(row)), `freqItemsets has ${JSON.stringify(row)}`);
  }
  const rules = await fpm.associationRules.collect();
  for (const [a, c] of [[['t', 's'], ['y']], [['t', 's'], ['x']], [['t', 's'], ['z']], [['p'], ['r']], [['p'], ['z']]]) {
    t.ok(rules.some((r) => JSON.stringify(r.antecedent) === JSON.stringify(a) && JSON.stringify(r.consequent) === JSON.stringify(c) && r.confidence === 1), `rule ${a} => ${c} with confidence 1.0`);
  }
  const bf = bruteForce(lines.map((l) => l.split(/\s+/)), 0.2, 0.7);
  t.same(await itemsetMap(fpm.freqItemsets), bf.freq, 'every itemset (brute force)');
  t.same(await ruleMap(fpm.associationRules), bf.rules, 'every rule (brute force)');
  const newData = spark.createDataFrame([{ items: ['t', 's'] }]);
  t.same(((await fpm.transform(newData).first())!.prediction as string[]).slice().sort(), ['x', 'y', 'z']);
});

// ----- brute force on random baskets --------------------------------------------------------------

t.test('itemsets, rules and predictions equal a brute-force enumeration (seeded random baskets)', async (t) => {
  const cases = [
    { seed: 1, rows: 12, universe: 5, minSupport: 0.3, minConfidence: 0.6, ints: false },
    { seed: 2, rows: 25, universe: 6, minSupport: 0.2, minConfidence: 0.5, ints: true },
    { seed: 3, rows: 30, universe: 7, minSupport: 0.1, minConfidence: 0.8, ints: false, numPartitions: 3 },
    { seed: 4, rows: 8, universe: 4, minSupport: 0.5, minConfidence: 0, ints: true, numPartitions: 1 },
    { seed: 5, rows: 20, universe: 6, minSupport: 0.15, minConfidence: 1, ints: false, numPartitions: 5 },
    { seed: 6, rows: 40, universe: 7, minSupport: 0.25, minConfidence: 0.3, ints: true, numPartitions: 2 },
    { seed: 7, rows: 6, universe: 5, minSupport: 1, minConfidence: 0.5, ints: false },
    { seed: 8, rows: 15, universe: 5, minSupport: 0.05, minConfidence: 0.7, ints: true, numPartitions: 4 },
  ];
  for (const c of cases) {
    const baskets = randomBaskets(c.seed, c.rows, c.universe, c.ints);
    const df = basketFrame(baskets, c.ints);
    const fp = new FPGrowth({ minSupport: c.minSupport, minConfidence: c.minConfidence, numPartitions: c.numPartitions });
    const model = await fp.fit(df);
    const bf = bruteForce(baskets, c.minSupport, c.minConfidence);
    t.equal(model.numTrainingRecords, bf.n, `seed ${c.seed}: null rows are not counted`);
    t.same(await itemsetMap(model.freqItemsets), bf.freq, `seed ${c.seed}: frequent itemsets`);
    t.same(await ruleMap(model.associationRules), bf.rules, `seed ${c.seed}: association rules (confidence, lift, support exactly)`);
    const preds = (await model.transform(df).collect()).map((r) => (r.prediction as unknown[]).map(String).sort());
    t.same(preds, baskets.map(bf.predict), `seed ${c.seed}: predictions`);
    // each itemset lists its items from the least to the most frequent
    const single = await itemsetMap(model.freqItemsets);
    for (const r of await model.freqItemsets.collect()) {
      const f = (r.items as unknown[]).map((x) => single.get(String(x))!);
      t.ok(f.every((v, i) => i === 0 || f[i - 1]! <= v), `seed ${c.seed}: ${JSON.stringify(r.items)} in ascending item frequency`);
    }
  }
});

t.test('1 partition vs several, and any number of item groups, give the same output (same order)', async (t) => {
  const baskets = randomBaskets(42, 60, 8, false);
  const df = basketFrame(baskets, false);
  const ref = await new FPGrowth({ minSupport: 0.1, minConfidence: 0.4, numPartitions: 1 }).fit(df.repartition(1));
  const want = { sets: await ref.freqItemsets.collect(), rules: await ref.associationRules.collect(), pred: await ref.transform(df).collect() };
  t.ok(want.sets.length > 30, `a non-trivial case (${want.sets.length} itemsets)`);
  for (const parts of [1, 2, 5, 8]) {
    for (const numPartitions of [undefined, 1, 3, 7, 20]) {
      const m = await new FPGrowth({ minSupport: 0.1, minConfidence: 0.4, numPartitions }).fit(df.repartition(parts));
      t.same(await m.freqItemsets.collect(), want.sets, `${parts} partitions, numPartitions ${numPartitions}: freqItemsets`);
      t.same(await m.associationRules.collect(), want.rules, `${parts} partitions, numPartitions ${numPartitions}: associationRules`);
      t.same(await m.transform(df).collect(), want.pred, `${parts} partitions, numPartitions ${numPartitions}: transform`);
    }
  }
});

t.test("local and local[2], 1 partition or several: the same itemsets and rules; the baskets never travel", async (t) => {
  const inline = new SessionClass('fpgrowth-inline', 'local', createBackend('local'), new Map());
  t.teardown(() => inline.stop());
  const fp = new FPGrowth({ minSupport: 0.05, minConfidence: 0.3 });
  const output = async (m: FPGrowthModel) => ({ sets: await m.freqItemsets.collect(), rules: await m.associationRules.collect(), n: m.numTrainingRecords });
  const fit = async (df: DataFrame) => output(await fp.fit(df));
  const frame = (session: SessionClass, baskets: ReadonlyArray<Item[] | null>) => session.createDataFrame(baskets.map((items) => ({ items })), 'items array<bigint>');
  const small = randomBaskets(12, 2_000, 8, true);
  const want = await fit(frame(inline, small));
  t.ok(want.sets.length > 60, `a non-trivial case (${want.sets.length} itemsets, ${want.rules.length} rules)`);
  t.same(await fit(frame(inline, small).repartition(4)), want, 'local, 4 partitions');
  t.same(await fit(frame(spark, small).repartition(1)), want, 'local[2], 1 partition');
  t.same(await fit(frame(spark, small).repartition(4)), want, 'local[2], 4 partitions');
  // 60,000 rows: on local[2] the passes over the DataFrame run on the pool's threads (smaller jobs run on the calling thread)
  const big = randomBaskets(11, 60_000, 8, true);
  const wantBig = await fit(frame(inline, big));
  const df = frame(spark, big).cache();
  await df.count(); // places the partitions on the executors, once
  const before = spark.metrics;
  const model = await fp.fit(df);
  // the passes read the placed partitions where they are: what goes to the executors is broadcast state, not baskets
  const sent = spark.metrics.bytesToExecutors - before.bytesToExecutors;
  const received = spark.metrics.bytesFromExecutors - before.bytesFromExecutors;
  t.ok(received > 0, `the passes ran on the pool's threads (${spark.metrics.tasks - before.tasks} tasks, ${received} bytes of summaries and itemsets back)`);
  t.ok(sent < 4096, `bytes sent to the executors by the fit: ${sent} (the baskets hold more than 1 MB)`);
  t.same(await output(model), wantBig, 'local[2], 60,000 rows in 2 partitions');
});

t.test('the executor tasks: summary algebra, kept trees mined by group, plain data', async (t) => {
  const baskets = randomBaskets(9, 30, 6, false);
  const df = basketFrame(baskets, false).select('items');
  const parts = await df.repartition(3).partitions();
  const whole = (await df.repartition(1).partitions())[0]!;
  const b = { api: 'FPGrowth' };
  const fold = (batch: (typeof parts)[0], i: number) => fpGrowthItems.add(fpGrowthItems.zero(b), batch, b, localContext(i));
  const one = fold(parts[0]!, 0);
  t.same(fpGrowthItems.merge(fpGrowthItems.zero(b), one), one, 'merge(zero, s) = s');
  const merged = parts.map(fold).reduce((x, y) => fpGrowthItems.merge(x, y));
  const all = fold(whole, 0);
  const asMap = (s: ItemCounts) => new Map(s.items.map((it, i) => [it, s.counts[i]]));
  t.same(asMap(merged), asMap(all), 'per-partition counts merge to the counts of all rows');
  t.equal(merged.n, all.n);
  // each partition keeps a tree per item group; a group's trees of all partitions mine as the group's tree of all rows
  const tb = { items: frequentItems(all, 1).items, numGroups: 2 };
  const keep = async (batch: (typeof parts)[0], i: number) => (await fpGrowthTrees.run(batch, tb, localContext(i))) as Kept<TreesMeta>;
  const perPart = await Promise.all(parts.map(keep));
  const allKept = await keep(whole, 0);
  const treesOf = (k: Kept<TreesMeta>, g: number) => k.meta.groups.flatMap((gg, j) => (gg === g ? [k.kept[j] as PlainTree] : []));
  const mine = async (trees: PlainTree[], g: number) => {
    const m = await fpGrowthMine.run(trees, { numGroups: 2, minCount: 1 }, localContext(g));
    return Array.from(m.freqs, (f, i) => `${listAt(m.itemsets, i).join(',')}:${f}`).sort();
  };
  for (const g of [0, 1]) {
    t.equal(treesOf(allKept, g).length, 1, `group ${g}: one tree of all rows`);
    t.same(await mine(perPart.flatMap((k) => treesOf(k, g)), g), await mine(treesOf(allKept, g), g), `group ${g}: the merged trees mine the same itemsets`);
  }
  t.ok(Object.values(treesOf(allKept, 0)[0]!).every((v) => ArrayBuffer.isView(v)), 'trees are typed arrays');
});

// ----- nulls, empty baskets, minConfidence changes -------------------------------------------------

t.test('null rows are ignored by fit and predict []; empty baskets count as baskets', async (t) => {
  const df = spark.createDataFrame([{ items: ['a', 'b'] }, { items: null }, { items: ['a'] }, { items: [] }], 'items array<string>');
  const model = await new FPGrowth({ minSupport: 0.5, minConfidence: 0.5 }).fit(df);
  t.equal(model.numTrainingRecords, 3, 'the null row is not a basket; the empty one is');
  t.same(await itemsetMap(model.freqItemsets), new Map([['a', 2]]), 'minCount = ceil(0.5 * 3) = 2');
  const m2 = await new FPGrowth({ minSupport: 0.3, minConfidence: 0.5 }).fit(df);
  t.same(await itemsetMap(m2.freqItemsets), new Map([['a', 2], ['b', 1], ['a,b', 1]]));
  t.same(await ruleMap(m2.associationRules), new Map<string, [number, number | null, number]>([['a=>b', [0.5, 0.5 / (1 / 3), 1 / 3]], ['b=>a', [1, 1 / (2 / 3), 1 / 3]]]));
  t.same((await m2.transform(df).collect()).map((r) => r.prediction), [[], [], ['b'], []], 'a null row predicts []');
  const empty = await new FPGrowth().fit(spark.createDataFrame([{ items: [] }, { items: [] }], 'items array<string>'));
  t.equal(empty.numTrainingRecords, 2);
  t.same(await empty.freqItemsets.collect(), []);
  t.same(await empty.associationRules.collect(), []);
});

t.test('minConfidence can change on the model; rules follow (cached per value)', async (t) => {
  const df = spark.createDataFrame([{ items: ['1', '2', '5'] }, { items: ['1', '2', '3', '5'] }, { items: ['1', '2'] }]);
  const model = await new FPGrowth({ minSupport: 0.5, minConfidence: 0.6 }).fit(df);
  const r1 = model.associationRules;
  t.equal(model.associationRules, r1, 'the same DataFrame while minConfidence is unchanged');
  t.equal((await r1.collect()).length, 9);
  model.setMinConfidence(0.9);
  t.equal((await model.associationRules.collect()).length, 6, "the 6 rules of confidence 1.0");
  t.same((await model.transform(df).collect()).map((r) => r.prediction), [[], [], []]);
  const copy = model.copy();
  t.equal((await copy.freqItemsets.collect()).length, 7, 'copy keeps the itemsets');
  t.equal(copy.getMinConfidence(), 0.9);
  t.equal(String(model), `FPGrowthModel: uid=${model.uid}, numTrainingRecords=3`);
});

// ----- persistence ---------------------------------------------------------------------------------

t.test("persistence: Spark's layout, round trip, Spark 2.3 metadata, pipelines", async (t) => {
  const df = spark.createDataFrame([{ id: 0, items: ['1', '2', '5'] }, { id: 1, items: ['1', '2', '3', '5'] }, { id: 2, items: ['1', '2'] }]);
  const fp = new FPGrowth({ minSupport: 0.5, minConfidence: 0.6 });
  const model = await fp.fit(df);
  const dir = join(tmp, 'model');
  await model.save(dir);
  const line = readFileSync(join(dir, 'metadata', 'part-00000'), 'utf8').trim();
  const md = parseSparkJson(line) as Record<string, unknown>;
  t.same(Object.keys(md), ['class', 'timestamp', 'sparkVersion', 'uid', 'paramMap', 'defaultParamMap', 'numTrainingRecords', 'kindlingVersion']);
  t.equal(md.class, 'org.apache.spark.ml.fpm.FPGrowthModel');
  t.equal(md.numTrainingRecords, 3);
  t.match(line, /"paramMap":\{"minConfidence":0\.6,"minSupport":0\.5\}/);
  t.match(line, /"defaultParamMap":\{"itemsCol":"items","minConfidence":0\.8,"minSupport":0\.3,"predictionCol":"prediction"\}/);
  const part = readdirSync(join(dir, 'data')).find((f) => f.endsWith('.snappy.parquet'))!;
  t.ok(part, 'data/ holds a Parquet part file');
  const buf = readFileSync(join(dir, 'data', part));
  const meta = parquetMetadata(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
  const rowMeta = JSON.parse(meta.key_value_metadata!.find((kv) => kv.key === 'org.apache.spark.sql.parquet.row.metadata')!.value!);
  t.same(rowMeta.fields, [
    { name: 'items', type: { type: 'array', elementType: 'string', containsNull: true }, nullable: false, metadata: {} },
    { name: 'freq', type: 'long', nullable: false, metadata: {} },
  ], "Spark's schema of freqItemsets");
  const table = await readData(dir);
  t.equal(table.numRows, 7);

  const loaded = await FPGrowthModel.load(dir);
  t.equal(loaded.uid, model.uid);
  t.equal(loaded.getMinConfidence(), 0.6);
  t.equal(loaded.numTrainingRecords, 3);
  t.same(await loaded.freqItemsets.collect(), await model.freqItemsets.collect());
  t.same(await loaded.associationRules.collect(), await model.associationRules.collect(), 'rules with lift and support after loading');
  t.same(await loaded.transform(df).collect(), await model.transform(df).collect());

  // a model as Spark 2.3 saved it: no numTrainingRecords, so no item support
  const old = join(tmp, 'model-2.3');
  await model.save(old);
  const oldMd = { ...md, sparkVersion: '2.3.0' } as Record<string, unknown>;
  delete oldMd.numTrainingRecords;
  delete oldMd.defaultParamMap;
  writeFileSync(join(old, 'metadata', 'part-00000'), `${JSON.stringify(oldMd)}\n`);
  const m23 = await FPGrowthModel.load(old);
  t.equal(m23.numTrainingRecords, 0);
  const rules23 = await m23.associationRules.collect();
  t.equal(rules23.length, 9);
  t.ok(rules23.every((r) => r.lift === null && r.support === Infinity), 'lift null and support freq/0 as Spark');

  // the estimator, alone and in a pipeline
  const est = join(tmp, 'estimator');
  await fp.write().overwrite().save(est);
  t.equal((parseSparkJson(readFileSync(join(est, 'metadata', 'part-00000'), 'utf8').trim()) as Record<string, unknown>).class, 'org.apache.spark.ml.fpm.FPGrowth');
  const fp2 = await FPGrowth.load(est);
  t.equal(fp2.getMinSupport(), 0.5);
  t.equal(fp2.isSet('numPartitions'), false);
  const pm = await new Pipeline({ stages: [new FPGrowth({ minSupport: 0.5, minConfidence: 0.6, numPartitions: 3 })] }).fit(df);
  const pdir = join(tmp, 'pipeline');
  await pm.save(pdir);
  const pm2 = await PipelineModel.load(pdir);
  t.same(await pm2.transform(df).collect(), await pm.transform(df).collect());
  t.equal((pm2.stages[0] as FPGrowthModel).getNumPartitions(), 3);
});

// ----- errors ----------------------------------------------------------------------------------------

t.test("bad input fails as Spark's", async (t) => {
  t.throws(() => new FPGrowth({ minSupport: 1.5 }), /FPGrowth: expected a number in \[0, 1\] for minSupport, got 1\.5 \(number\)/);
  t.throws(() => new FPGrowth().setMinSupport(-0.1), /expected a number in \[0, 1\] for minSupport/);
  t.throws(() => new FPGrowth().setMinConfidence(1.01), /FPGrowth: expected a number in \[0, 1\] for minConfidence, got 1\.01/);
  t.throws(() => new FPGrowth({ numPartitions: 0 }), /FPGrowth: expected integer >= 1 for numPartitions, got 0/);
  t.throws(() => new FPGrowth({ numPartitions: 1.5 }), /numPartitions/);
  t.throws(() => new FPGrowth({ itemCol: 'x' } as never), /param names among/);
  const model = await new FPGrowth({ minSupport: 0.5 }).fit(spark.createDataFrame([{ items: ['a'] }]));
  t.throws(() => model.setMinConfidence(2), /expected a number in \[0, 1\] for minConfidence/);
  t.equal(new FPGrowth().explainParam('minSupport'), 'minSupport: the minimal support level of a frequent pattern (default: 0.3)');
  t.equal(new FPGrowth().explainParam('numPartitions'), 'numPartitions: Number of partitions used by parallel FP-growth (undefined)');

  const dup = spark.createDataFrame([{ items: ['a', 'b'] }, { items: ['a', 'b', 'a'] }]);
  await t.rejects(new FPGrowth().fit(dup), { message: 'FPGrowth: Items in a transaction must be unique but got WrappedArray(a, b, a).' });
  const dupInts = spark.createDataFrame([{ items: [1, 2, 2] }]);
  await t.rejects(new FPGrowth().fit(dupInts), /must be unique but got WrappedArray\(1, 2, 2\)\./);
  const dupDoubles = spark.createDataFrame([{ items: [1.5, 1.5] }]);
  await t.rejects(new FPGrowth().fit(dupDoubles), /must be unique but got WrappedArray\(1\.5, 1\.5\)\./);

  const notArray = spark.createDataFrame([{ items: 'a b' }]);
  await t.rejects(new FPGrowth().fit(notArray), /FPGrowth: The input column must be array, but got string\./);
  const withPred = spark.createDataFrame([{ items: ['a'], prediction: 1 }]);
  await t.rejects(new FPGrowth().fit(withPred), /FPGrowth: Column prediction already exists\./);
  t.throws(() => model.transform(withPred), /Column prediction already exists\./);
  await t.rejects(new FPGrowth({ itemsCol: 'basket' }).fit(notArray), /cannot resolve column "basket"/);
  t.throws(() => model.transform(notArray), /The input column must be array, but got string\./);
  const nested = spark.createDataFrame([{ items: [['a']] }]);
  await t.rejects(new FPGrowth().fit(nested), /items of type array<string> in column items are not supported/);
  t.throws(() => new FPGrowthModel().freqItemsets, { code: 'ERR_KINDLING_NOT_FITTED' });
});

t.test('items as booleans and doubles keep their type', async (t) => {
  const df = spark.createDataFrame([{ items: [true, false] }, { items: [true] }]);
  const m = await new FPGrowth({ minSupport: 0.5, minConfidence: 0 }).fit(df);
  t.same(m.freqItemsets.dtypes[0], ['items', 'array<boolean>']);
  t.same(await itemsetMap(m.freqItemsets), new Map([['true', 2], ['false', 1], ['false,true', 1]]));
  const d = spark.createDataFrame([{ items: [0.5, 1.25] }, { items: [0.5] }]);
  const md = await new FPGrowth({ minSupport: 0.5, minConfidence: 0 }).fit(d);
  t.same(md.freqItemsets.dtypes[0], ['items', 'array<double>']);
  t.same((await md.transform(spark.createDataFrame([{ items: [1.25] }])).collect())[0]!.prediction, [0.5]);
});

