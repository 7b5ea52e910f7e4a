/**
 * Issue 10, "no crash, whatever the input": every public DataFrame method given garbage for an
 * argument either works or throws a kindling error with a code (ERR_KINDLING_…), never a bare
 * TypeError/RangeError from deep inside. The exact texts of the common cases are pinned below.
 */
import t from 'tap';
import { Session, col, lit, functions as F } from '../../../ts/src/index.js';
import { Column } from '../../../ts/src/dataframe/column.js';
import type { DataFrame } from '../../../ts/src/dataframe/dataframe.js';

const spark = await Session.builder().master('local').getOrCreate();
t.teardown(() => spark.stop());
const df = spark.createDataFrame([{ a: 1, b: 'x', c: 2.5 }, { a: 2, b: null, c: null }]);

const GARBAGE: unknown[] = [undefined, null, 42, NaN, -1, 1.5, '', 'nope', {}, [], [null], () => 1, Symbol('s'), 10n, new Date(NaN), Infinity];
const show = (g: unknown) => (typeof g === 'symbol' ? 'Symbol' : typeof g === 'bigint' ? `${g}n` : typeof g === 'function' ? 'fn' : g instanceof Date ? 'Invalid Date' : JSON.stringify(g) ?? String(g));

const CALLS: Array<[string, (g: never) => unknown]> = [
  ['select', (g) => df.select(g)], ['withColumn', (g) => df.withColumn('z', g)], ['withColumn name', (g) => df.withColumn(g, lit(1))],
  ['filter', (g) => df.filter(g)], ['groupBy', (g) => df.groupBy(g).count()], ['orderBy', (g) => df.orderBy(g)],
  ['limit', (g) => df.limit(g)], ['drop', (g) => df.drop(g)], ['join', (g) => df.join(g)], ['join on', (g) => df.join(df, g)],
  ['crossJoin', (g) => df.crossJoin(g)], ['sample', (g) => df.sample(g)], ['randomSplit', (g) => df.randomSplit(g)],
  ['repartition', (g) => df.repartition(g)], ['union', (g) => df.union(g)], ['unionByName', (g) => df.unionByName(g)],
  ['col', (g) => df.col(g)], ['take', (g) => df.take(g)], ['showString', (g) => df.showString(g)], ['describe', (g) => df.describe(g)],
  ['approxQuantile cols', (g) => df.approxQuantile(g, [0.5], 0.1)], ['approxQuantile probabilities', (g) => df.approxQuantile('a', g, 0.1)],
  ['na.fill', (g) => df.na.fill(g)], ['na.drop', (g) => df.na.drop(g)], ['withColumnRenamed', (g) => df.withColumnRenamed(g, 'q')],
  ['agg', (g) => df.agg(g)], ['F.col', (g) => df.select(F.col(g))], ['F.sum', (g) => df.select(F.sum(g))], ['lit', (g) => df.select(lit(g))],
  ['createDataFrame', (g) => spark.createDataFrame(g)], ['range', (g) => spark.range(g)], ['read.csv', (g) => spark.read.csv(g)],
  ['dropDuplicates', (g) => df.dropDuplicates(g)], ['coalesce', (g) => df.coalesce(g)], ['persist', (g) => (df.persist as (x: unknown) => DataFrame)(g)],
  ['cast', (g) => df.select(col('a').cast(g))], ['plus', (g) => df.select(col('a').plus(g))], ['isin', (g) => df.select(col('a').isin(g))],
  ['alias', (g) => df.select(col('a').alias(g))], ['substr', (g) => df.select(col('b').substr(g, 1))], ['write.mode', (g) => df.write.mode(g)],
];

/** Runs a call to its end (a DataFrame is collected) and returns the error it threw, or null. */
async function outcome(f: () => unknown): Promise<unknown> {
  try {
    const r = f();
    if (r instanceof Promise) await r;
    else if (r && typeof (r as DataFrame).collect === 'function') await (r as DataFrame).collect();
    return null;
  } catch (e) {
    return e;
  }
}

t.test('every public DataFrame call given garbage works or throws a coded kindling error', async (t) => {
  const uncoded: string[] = [];
  for (const [name, call] of CALLS) {
    for (const g of GARBAGE) {
      const e = await outcome(() => call(g as never));
      const code = (e as { code?: unknown } | null)?.code;
      if (e !== null && !(typeof code === 'string' && code.startsWith('ERR_KINDLING_'))) uncoded.push(`${name}(${show(g)}): ${String(e)}`);
    }
  }
  t.same(uncoded, [], `${CALLS.length} calls x ${GARBAGE.length} values`);
});

t.test('every function of F and every Column method given garbage works or throws a coded error', async (t) => {
  const few: unknown[] = [undefined, null, 'nope', {}, [null], () => 1, Symbol('s'), new Date(NaN)];
  const uncoded: string[] = [];
  let calls = 0;
  const check = async (label: string, f: () => unknown) => {
    calls++;
    const e = await outcome(f);
    const code = (e as { code?: unknown } | null)?.code;
    if (e !== null && !(typeof code === 'string' && code.startsWith('ERR_KINDLING_'))) uncoded.push(`${label}: ${String(e)}`);
  };
  for (const [name, fn] of Object.entries(F)) {
    if (typeof fn !== 'function') continue;
    const f = fn as (...a: unknown[]) => Column;
    for (const g of few) {
      await check(`F.${name}(${show(g)})`, () => df.select(f(g)));
      await check(`F.${name}('a', ${show(g)})`, () => df.select(f('a', g)));
      await check(`F.${name}(b, ${show(g)}, ${show(g)})`, () => df.select(f(col('b'), g, g)));
    }
  }
  const methods = Object.getOwnPropertyNames(Column.prototype).filter((m) => m !== 'constructor');
  for (const m of methods) {
    for (const g of few) {
      await check(`col.${m}(${show(g)})`, () => df.select((col('a') as unknown as Record<string, (...a: unknown[]) => Column>)[m]!(g)));
    }
  }
  t.same(uncoded, [], `${calls} calls`);
});

t.test('the texts of the usual mistakes name the argument', async (t) => {
  t.throws(() => df.col(42 as never), { code: 'ERR_KINDLING_INVALID_ARG', message: 'DataFrame.col: expected a column name (a string) for column, got 42 (number)' });
  t.throws(() => df.union({} as never), { code: 'ERR_KINDLING_INVALID_ARG', message: /^union: expected a DataFrame for other, got / });
  t.throws(() => df.crossJoin(null as never), { code: 'ERR_KINDLING_INVALID_ARG', message: /^crossJoin: expected a DataFrame for other, got null/ });
  t.throws(() => df.drop(null as never), { code: 'ERR_KINDLING_INVALID_ARG', message: /^drop: expected column names or Columns for columns, got null/ });
  t.throws(() => df.select(['a', null] as never), { code: 'ERR_KINDLING_INVALID_ARG', message: /^select: expected column names or Columns for columns, got null/ });
  t.throws(() => lit(new Date(NaN)), { code: 'ERR_KINDLING_INVALID_ARG', message: /^lit: expected a valid Date for value, got "Invalid Date"/ });
  t.throws(() => lit(Symbol('s') as never), { code: 'ERR_KINDLING_INVALID_ARG', message: /^lit: expected a number, bigint, string, boolean, Date or null for value, got / });
  await t.rejects(df.approxQuantile(7 as never, [0.5], 0), { code: 'ERR_KINDLING_INVALID_ARG', message: /^approxQuantile: expected a column name or an array of them for col, got 7/ });
  t.throws(() => df.na.drop({ subset: 'a' } as never), { code: 'ERR_KINDLING_INVALID_ARG', message: /^na\.drop: expected an array of column names for subset, got "a"/ });
  t.same(await df.join(df.select(col('a').alias('a2')), []).count(), 4, 'join on [] is a join without a condition, as on undefined');
});
