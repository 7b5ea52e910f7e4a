// PrefixSpan (ml.fpm) against Spark's documented example, a brute-force enumeration of
// sequential patterns on seeded random sequence databases, invariance to partitioning and to
// maxLocalProjDBSize (distributed rounds vs local processing), and Spark's bad-input behaviour.
//
// Spark's example: the PrefixSpan section of the ML guide (docs/ml-frequent-pattern-mining.md,
// examples/src/main/python/ml/prefixspan_example.py) and the PySpark doctest of
// pyspark.ml.fpm.PrefixSpan (https://spark.apache.org/docs/latest/api/python/reference/api/pyspark.ml.fpm.PrefixSpan):
// sequences [[1, 2], [3]], [[1], [3, 2], [1, 2]], [[1, 2], [5]], [[6]] with minSupport 0.5,
// maxPatternLength 5, maxLocalProjDBSize 32000000 give
//   [[1]] 3, [[1], [3]] 2, [[1, 2]] 3, [[2]] 3, [[3]] 2
// (Spark 2.4's doctest prints [[1, 2]], Spark 3.x's [[2, 1]]: within an itemset Spark lists
// items by its frequency ranking, whose order among equally frequent items is not defined, so
// itemsets are compared as sets here).
import t from 'tap';
import { Session } from '../../ts/src/index.js';
import type { DataFrame } from '../../ts/src/dataframe/dataframe.js';
import { PipelineStage } from '../../ts/ml/stage.js';
import { PrefixSpan } from '../../ts/ml/index.js';
import { Session as SessionClass, createBackend } from '../../ts/src/session.js';
import { localContext } from '../../ts/src/exec/task.js';
import { Postfix, localPrefixSpan } from '../../ts/ml/fpm/postfix.js';
import { prefixSpanItems, prefixSpanPrefix } from '../../ts/ml/fpm/prefixspan-tasks.js';
import { RaggedBuilder } from '../../ts/ml/fpm/ragged.js';

const spark = await Session.builder().appName('prefixspan-test').master('local[2]').getOrCreate();
t.teardown(() => spark.stop());

type Itemset = Array<number | string>;
type Sequence = Itemset[];

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

const natural = (a: number | string, b: number | string) => (a < b ? -1 : a > b ? 1 : 0);
const patternKey = (seq: readonly Itemset[]) => JSON.stringify(seq.map((s) => s.slice().sort(natural)));

async function patternMap(df: DataFrame): Promise<Map<string, number>> {
  const m = new Map<string, number>();
  for (const r of await df.collect()) {
    const k = patternKey(r.sequence as Sequence);
    if (m.has(k)) throw new Error(`duplicate pattern ${k}`);
    m.set(k, r.freq as number);
  }
  return m;
}

/** Whether `seq` contains `pattern` (itemsets as subsets, in order). */
function contains(seq: readonly Itemset[], pattern: readonly Itemset[]): boolean {
  let j = 0;
  for (const set of pattern) {
    while (j < seq.length && !set.every((x) => seq[j]!.includes(x))) j++;
    if (j === seq.length) return false;
    j++;
  }
  return true;
}

/** Every pattern of at most maxLen items held by at least max(1, ceil(minSupport * n)) sequences. */
function bruteForce(db: ReadonlyArray<Sequence | null>, minSupport: number, maxLen: number): Map<string, number> {
  const rows = db.filter((s): s is Sequence => s !== null);
  const minCount = Math.max(1, Math.ceil(minSupport * rows.length));
  const universe = [...new Set(rows.flat(2))].sort(natural);
  const out = new Map<string, number>();
  const support = (p: Itemset[]) => rows.filter((s) => contains(s, p)).length;
  let frontier: Itemset[][] = [[]];
  for (let len = 1; len <= maxLen && frontier.length > 0; len++) {
    const next: Itemset[][] = [];
    for (const p of frontier) {
      const cands: Itemset[][] = universe.map((i) => [...p, [i]]);
      if (p.length > 0) {
        const last = p[p.length - 1]!;
        for (const i of universe) if (natural(i, last[last.length - 1]!) > 0) cands.push([...p.slice(0, -1), [...last, i]]);
      }
      for (const c of cands) {
        const f = support(c);
        if (f >= minCount) {
          out.set(patternKey(c), f);
          next.push(c);
        }
      }
    }
    frontier = next;
  }
  return out;
}

function randomDb(seed: number, rows: number, universe: number, strings: boolean): Array<Sequence | null> {
  const r = rng(seed);
  const out: Array<Sequence | null> = [];
  for (let i = 0; i < rows; i++) {
    if (r() < 0.05) {
      out.push(null);
      continue;
    }
    const seq: Sequence = [];
    const len = 1 + Math.floor(r() * 4);
    for (let k = 0; k < len; k++) {
      const set: Itemset = [];
      for (let u = 0; u < universe; u++) if (r() < 0.35) set.push(strings ? String.fromCharCode(97 + u) : u + 1);
      if (set.length === 0) set.push(strings ? 'a' : 1);
      for (let q = set.length - 1; q > 0; q--) {
        const j = Math.floor(r() * (q + 1));
        [set[q], set[j]] = [set[j]!, set[q]!];
      }
      seq.push(set);
    }
    out.push(seq);
  }
  return out;
}

const seqFrame = (db: ReadonlyArray<Sequence | null>, strings: boolean) =>
  spark.createDataFrame(db.map((sequence) => ({ sequence })), strings ? 'sequence array<array<string>>' : 'sequence array<array<int>>');

const guide = () => spark.createDataFrame([{ sequence: [[1, 2], [3]] }, { sequence: [[1], [3, 2], [1, 2]] }, { sequence: [[1, 2], [5]] }, { sequence: [[6]] }]);

t.test("Spark's documented example", async (t) => {
  const ps = new PrefixSpan({ minSupport: 0.5, maxPatternLength: 5, maxLocalProjDBSize: 32000000 });
  const out = ps.findFrequentSequentialPatterns(guide());
  t.same(out.columns, ['sequence', 'freq']);
  t.same(out.dtypes, [['sequence', 'array<array<bigint>>'], ['freq', 'bigint']]);
  t.same(out.schema.fields.map((f) => f.nullable), [false, false]);
  t.same(await patternMap(out), new Map([['[[1]]', 3], ['[[1],[3]]', 2], ['[[1,2]]', 3], ['[[2]]', 3], ['[[3]]', 2]]));
  t.same(await out.collect(), [
    { sequence: [[1]], freq: 3 }, { sequence: [[1, 2]], freq: 3 }, { sequence: [[1], [3]], freq: 2 }, { sequence: [[2]], freq: 3 }, { sequence: [[3]], freq: 2 },
  ], "kindling's order: depth first, items by frequency then value");
  // the same through the setters, as the PySpark doctest does
  const p2 = new PrefixSpan();
  t.equal(p2.getMaxLocalProjDBSize(), 32000000);
  t.equal(p2.getSequenceCol(), 'sequence');
  p2.setMinSupport(0.5).setMaxPatternLength(5);
  t.same(await patternMap(p2.findFrequentSequentialPatterns(guide())), await patternMap(out));
  // every small prefix processed by distributed rounds instead of locally
  t.same(await p2.setMaxLocalProjDBSize(1).findFrequentSequentialPatterns(guide()).collect(), await out.collect());
  const ints = spark.createDataFrame([{ s: [[1, 2], [3]] }, { s: [[1], [3, 2], [1, 2]] }, { s: [[1, 2], [5]] }, { s: [[6]] }], 's array<array<int>>');
  const o3 = new PrefixSpan({ minSupport: 0.5, maxPatternLength: 5, sequenceCol: 's' }).findFrequentSequentialPatterns(ints);
  t.same(o3.dtypes[0], ['sequence', 'array<array<int>>'], 'the item type of the input');
  t.same(await patternMap(o3), await patternMap(out));
});

t.test('patterns equal a brute-force enumeration (seeded random sequence databases)', async (t) => {
  const cases = [
    { seed: 1, rows: 10, universe: 3, minSupport: 0.3, maxPatternLength: 4, strings: false },
    { seed: 2, rows: 16, universe: 4, minSupport: 0.25, maxPatternLength: 5, strings: true },
    { seed: 3, rows: 20, universe: 4, minSupport: 0.4, maxPatternLength: 10, strings: false, maxLocalProjDBSize: 1 },
    { seed: 4, rows: 12, universe: 5, minSupport: 0.2, maxPatternLength: 3, strings: false, maxLocalProjDBSize: 25 },
    { seed: 5, rows: 8, universe: 3, minSupport: 0.5, maxPatternLength: 1, strings: true },
    { seed: 6, rows: 14, universe: 4, minSupport: 0.1, maxPatternLength: 4, strings: false, maxLocalProjDBSize: 8 },
    { seed: 7, rows: 6, universe: 3, minSupport: 1, maxPatternLength: 6, strings: false },
  ];
  for (const c of cases) {
    const db = randomDb(c.seed, c.rows, c.universe, c.strings);
    const ps = new PrefixSpan({ minSupport: c.minSupport, maxPatternLength: c.maxPatternLength, maxLocalProjDBSize: c.maxLocalProjDBSize });
    const got = await patternMap(ps.findFrequentSequentialPatterns(seqFrame(db, c.strings)));
    const want = bruteForce(db, c.minSupport, c.maxPatternLength);
    t.ok(want.size > 0, `seed ${c.seed}: ${want.size} patterns`);
    t.same(got, want, `seed ${c.seed}: every frequent pattern with its count`);
  }
});

t.test('1 partition vs several, local vs distributed growth: the same output in the same order', async (t) => {
  const db = randomDb(77, 40, 5, false);
  const df = seqFrame(db, false);
  const base = new PrefixSpan({ minSupport: 0.08, maxPatternLength: 6 });
  const want = await base.findFrequentSequentialPatterns(df.repartition(1)).collect();
  t.ok(want.length > 30, `a non-trivial case (${want.length} patterns)`);
  for (const parts of [1, 3, 8]) {
    for (const size of [32000000, 200, 40, 1]) {
      const got = await base.copy().setMaxLocalProjDBSize(size).findFrequentSequentialPatterns(df.repartition(parts)).collect();
      t.same(got, want, `${parts} partitions, maxLocalProjDBSize ${size}`);
    }
  }
  t.same(await patternMap(base.findFrequentSequentialPatterns(df)), bruteForce(db, 0.08, 6));
});

t.test('local and local[2], 1 partition or several: the same patterns in the same order', async (t) => {
  const inline = new SessionClass('prefixspan-inline', 'local', createBackend('local'), new Map());
  t.teardown(() => inline.stop());
  const db = randomDb(21, 2_000, 5, false);
  const frame = (session: SessionClass) => session.createDataFrame(db.map((sequence) => ({ sequence })), 'sequence array<array<int>>');
  for (const size of [32000000, 2000]) {
    const ps = new PrefixSpan({ minSupport: 0.05, maxPatternLength: 4, maxLocalProjDBSize: size });
    const want = await ps.findFrequentSequentialPatterns(frame(inline)).collect();
    t.ok(want.length > 50, `maxLocalProjDBSize ${size}: a non-trivial case (${want.length} patterns)`);
    t.same(await ps.findFrequentSequentialPatterns(frame(inline).repartition(3)).collect(), want, `maxLocalProjDBSize ${size}: local, 3 partitions`);
    t.same(await ps.findFrequentSequentialPatterns(frame(spark)).collect(), want, `maxLocalProjDBSize ${size}: local[2], 2 partitions`);
    t.same(await ps.findFrequentSequentialPatterns(frame(spark).repartition(5)).collect(), want, `maxLocalProjDBSize ${size}: local[2], 5 partitions`);
  }
});

t.test('a null itemset is named by its row over the whole DataFrame (partition order)', async (t) => {
  const rows = [{ sequence: [[1]] }, { sequence: [[2]] }, { sequence: [[1], [2]] }, { sequence: [[3]] }, { sequence: [[1], null] }, { sequence: [null] }];
  const df = spark.createDataFrame(rows, 'sequence array<array<int>>');
  for (const d of [df, df.repartition(3), df.repartition(1)]) {
    const seen = (await d.collect()).map((r) => r.sequence as Array<unknown[] | null>);
    const row = seen.findIndex((s) => s.includes(null));
    await t.rejects(new PrefixSpan().findFrequentSequentialPatterns(d).collect(), { message: `PrefixSpan: row ${row} of column sequence holds a null itemset at position ${seen[row]!.indexOf(null)} (itemsets must be arrays)` });
  }
  // the summary: whatever the merge order, the earliest partition's bad row, and every partition's rows
  const parts = await df.repartition(3).select('sequence').partitions();
  const b = { column: 'sequence' };
  const partials = parts.map((p, i) => prefixSpanItems.add(prefixSpanItems.zero(b), p, b, localContext(i)));
  const merged = partials.reduceRight((x, y) => prefixSpanItems.merge(x, y));
  const firstBad = partials.findIndex((s) => s.bad !== null);
  t.same(merged.bad, partials[firstBad]!.bad);
  const rowsOf = (flat: number[]) => Array.from({ length: flat.length / 3 }, (_, k) => [flat[3 * k]!, flat[3 * k + 1]!]);
  t.same(rowsOf(merged.parts).sort((x, y) => x[0]! - y[0]!), parts.map((p, i) => [i, p.numRows]));
});

t.test("Spark's Postfix and LocalPrefixSpan on the internal format", async (t) => {
  // <(12)(31)1> = [0,1,2,0,1,3,0,1,0]; its postfix w.r.t. <1> is <(_2)(13)1> (Spark's doc comment)
  const seq = Int32Array.from([0, 1, 2, 0, 1, 3, 0, 1, 0]);
  const p = new Postfix(seq).project(1);
  t.equal(p.start, 1, 'Spark keeps the matched position as the start');
  t.same(p.partialStarts, [2, 5]);
  t.same([...p.genPrefixItems()], [[-2, 6], [-3, 3], [1, 4], [3, 3]]);
  t.same(p.project(-3).partialStarts, []);
  t.same(new Postfix(seq).projectPrefix([0, 1, 3]).start, 6, 'projection by the prefix <(13)>');
  t.same(p.compressed().items, Int32Array.from([1, 2, 0, 1, 3, 0, 1, 0]));
  t.same(p.compressed().partialStarts, [1, 4]);
  const out: string[] = [];
  localPrefixSpan(2, 10, [], [new Postfix(seq), new Postfix(Int32Array.from([0, 1, 0, 3, 0]))], (pattern, count) => out.push(`${pattern.join('')}:${count}`));
  t.same(out, ['010:2', '01030:2', '030:2']);
  // a round of prefix growth over two partitions of encoded sequences merges to the round over both
  const S = prefixSpanPrefix;
  const b = { prefixes: [{ id: 0, items: new Int32Array(0), length: 0 }, { id: 1, items: Int32Array.of(0, 1), length: 1 }] };
  const part1 = new RaggedBuilder().push(seq).build();
  const part2 = new RaggedBuilder().push([0, 1, 0, 3, 0]).push([0, 1, 3, 0]).build();
  const both = new RaggedBuilder().push(seq).push([0, 1, 0, 3, 0]).push([0, 1, 3, 0]).build();
  const round = (p: typeof both, i: number) => S.add(S.zero(b), p, b, localContext(i));
  const z = S.zero(b);
  t.same(S.merge(z, round(part1, 0)), round(part1, 0), 'merge(zero, s) = s');
  const entries = (s: ReturnType<typeof round>) => Array.from(s.ids, (id, i) => `${id},${s.items[i]}:${s.counts[i]}/${s.sizes[i]}`).sort();
  t.same(entries(S.merge(round(part1, 0), round(part2, 1))), entries(round(both, 0)), 'per-partition counts merge to the counts of all sequences');
  t.ok(entries(round(both, 0)).includes('0,1:3/12'), 'item 1 extends the empty prefix in all 3 sequences (postfix sizes 7 + 3 + 2)');
});

t.test('nulls, empty input and bad input', async (t) => {
  const withNull = spark.createDataFrame([{ sequence: [[1]] }, { sequence: null }, { sequence: [[1]] }, { sequence: [[2]] }], 'sequence array<array<int>>');
  t.same(await patternMap(new PrefixSpan({ minSupport: 0.6 }).findFrequentSequentialPatterns(withNull)), new Map([['[[1]]', 2]]), 'null rows are ignored: minCount = ceil(0.6 * 3) = 2');
  const empty = spark.createDataFrame([{ sequence: [] }, { sequence: [[]] }], 'sequence array<array<int>>');
  t.same(await new PrefixSpan({ minSupport: 0 }).findFrequentSequentialPatterns(empty).collect(), []);

  t.throws(() => new PrefixSpan({ minSupport: -0.1 }), /PrefixSpan: expected a number >= 0 for minSupport, got -0\.1/);
  t.throws(() => new PrefixSpan({ maxPatternLength: 0 }), /PrefixSpan: expected integer > 0 for maxPatternLength, got 0/);
  t.throws(() => new PrefixSpan().setMaxLocalProjDBSize(0), /expected integer > 0 for maxLocalProjDBSize/);
  const ps = new PrefixSpan({ minSupport: 1.5 });
  t.equal(ps.getMinSupport(), 1.5, 'the ML param only asks for >= 0, as Spark');
  t.throws(() => ps.findFrequentSequentialPatterns(guide()), /PrefixSpan: The minimum support value must be in \[0, 1\], but got 1\.5\./);
  const flat = spark.createDataFrame([{ sequence: [1, 2] }]);
  t.throws(() => new PrefixSpan().findFrequentSequentialPatterns(flat), {
    message: 'PrefixSpan: The input column must be ArrayType and the array element type must also be ArrayType, but got ArrayType(LongType,true).',
  });
  t.throws(() => new PrefixSpan({ sequenceCol: 'seq' }).findFrequentSequentialPatterns(flat), /cannot resolve column "seq"/);
  const nullSet = spark.createDataFrame([{ sequence: [[1], null] }], 'sequence array<array<int>>');
  await t.rejects(new PrefixSpan().findFrequentSequentialPatterns(nullSet).collect(), /PrefixSpan: row 0 of column sequence holds a null itemset at position 1/);
  t.notOk((new PrefixSpan() as unknown) instanceof PipelineStage, 'not a pipeline stage, as in Spark');
  t.equal(new PrefixSpan().explainParam('maxPatternLength'), 'maxPatternLength: The maximal length of the sequential pattern. (default: 10)');
});
