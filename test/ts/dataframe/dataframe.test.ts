// DataFrame transformations and actions against hand-computed values and Spark's documented
// semantics (nulls, NaN ordering, integer overflow, three-valued logic, join kinds).
import t from 'tap';
import { Session, col, lit, functions as F, when } from '../../../ts/src/index.js';
import { planDense } from '../../../ts/src/dataframe/dense-agg.js';
import { aggSpecs } from '../../../ts/src/dataframe/agg-states.js';

const spark = await Session.builder().appName('dataframe-test').master('local').getOrCreate();
t.teardown(() => spark.stop());

const cars = () =>
  spark.createDataFrame([
    { make: 'audi', price: 30000, hp: 150.5, fuel: 'diesel' },
    { make: 'bmw', price: 45000, hp: 200, fuel: 'gas' },
    { make: 'audi', price: 21000, hp: null, fuel: 'diesel' },
    { make: 'vw', price: 15000, hp: 90, fuel: null },
  ]);

t.test('createDataFrame infers Spark types (integral numbers → bigint, as PySpark)', async (t) => {
  const df = cars();
  t.same(df.dtypes, [['make', 'string'], ['price', 'bigint'], ['hp', 'double'], ['fuel', 'string']]);
  t.same(df.columns, ['make', 'price', 'hp', 'fuel']);
  t.equal(
    df.schemaString(),
    'root\n |-- make: string (nullable = true)\n |-- price: long (nullable = true)\n |-- hp: double (nullable = true)\n |-- fuel: string (nullable = true)\n',
  );
  t.equal(await df.count(), 4);
  t.same(await df.first(), { make: 'audi', price: 30000, hp: 150.5, fuel: 'diesel' });
  // printSchema uses Spark's typeName (integer, long, short, byte), dtypes its simpleString
  const typed = spark.createDataFrame([[1, 2n, ['a'], 1.5]], 'a int, b bigint, c array<string>, d float');
  t.equal(typed.schemaString(), 'root\n |-- a: integer (nullable = true)\n |-- b: long (nullable = true)\n |-- c: array (nullable = true)\n |    |-- element: string (containsNull = true)\n |-- d: float (nullable = true)\n');
  t.same(typed.dtypes, [['a', 'int'], ['b', 'bigint'], ['c', 'array<string>'], ['d', 'float']]);
});

t.test('createDataFrame from typed columns, DDL schemas and Arrow tables', async (t) => {
  const x = new Float64Array([1, 2, 3]);
  const df = spark.createDataFrame({ x, k: new Int32Array([7, 8, 9]) });
  t.same(df.dtypes, [['x', 'double'], ['k', 'int']]);
  const tbl = await df.toArrow();
  t.equal(tbl.numRows, 3);
  t.same(Array.from(tbl.getChild('x')!.toArray() as Float64Array), [1, 2, 3]);
  const viaDdl = spark.createDataFrame([['a', 1], ['b', null]], 'name string, age int');
  t.same(viaDdl.dtypes, [['name', 'string'], ['age', 'int']]);
  t.same(await viaDdl.collect(), [{ name: 'a', age: 1 }, { name: 'b', age: null }]);
  const back = spark.createDataFrame(tbl);
  t.same(await back.collect(), [{ x: 1, k: 7 }, { x: 2, k: 8 }, { x: 3, k: 9 }]);
  t.throws(() => spark.createDataFrame([{ a: null }]), /cannot infer the type of column a/);
  t.throws(() => spark.createDataFrame({ a: [1, 2], b: [1] }), /column b has 1 values, but column a has 2/);
  t.throws(() => spark.createDataFrame([{ a: 1 }, { a: 'x' }]), /column a mixes bigint and string/);
  t.throws(() => spark.createDataFrame([['a']], 'name string NOT NULL, age int'), /row 0 of data has 1 values, expected 2/);
});

t.test('select, withColumn, rename and drop', async (t) => {
  const df = cars()
    .withColumn('price2', col('price').multiply(2))
    .withColumnRenamed('make', 'brand')
    .drop('fuel', 'nope')
    .select('brand', col('price2').alias('p'), col('hp').plus(1));
  t.same(df.columns, ['brand', 'p', '(hp + 1)']);
  t.same(await df.collect(), [
    { brand: 'audi', p: 60000, '(hp + 1)': 151.5 },
    { brand: 'bmw', p: 90000, '(hp + 1)': 201 },
    { brand: 'audi', p: 42000, '(hp + 1)': null },
    { brand: 'vw', p: 30000, '(hp + 1)': 91 },
  ]);
  // replacing a column keeps its position; names resolve case-insensitively
  const r = cars().withColumn('PRICE', lit(1));
  t.same(r.columns, ['make', 'PRICE', 'hp', 'fuel']);
  t.throws(() => cars().select('nope'), { code: 'ERR_KINDLING_SCHEMA', message: /select: cannot resolve column "nope" among \[make, price, hp, fuel\]/ });
  t.throws(() => cars().select(col('make').plus(1)), /cannot apply \+ to make \(string\): a numeric column is required/);
  t.throws(() => cars().filter(col('price').gt('abc')), /cannot compare price \(bigint\) with abc \(string\)/);
  t.throws(() => cars().filter(col('price')), /the condition price must be boolean/);
});

t.test('filter with three-valued logic: null rows are dropped', async (t) => {
  const df = cars();
  t.same((await df.filter(col('price').gt(20000).and(col('fuel').eq('diesel'))).collect()).map((r) => r.price), [30000, 21000]);
  // hp > 100 is null for the null hp row; OR true keeps it, AND drops it
  t.same((await df.filter(col('hp').gt(100).or(col('make').eq('audi'))).collect()).map((r) => r.price), [30000, 45000, 21000]);
  t.same((await df.filter(col('hp').gt(100).and(lit(true))).collect()).map((r) => r.price), [30000, 45000]);
  t.same((await df.where(col('fuel').isNull()).collect()).map((r) => r.make), ['vw']);
  t.same((await df.filter(col('make').isin('vw', 'bmw')).collect()).map((r) => r.make), ['bmw', 'vw']);
  t.same((await df.filter(col('price').between(20000, 30000)).collect()).map((r) => r.price), [30000, 21000]);
  t.same((await df.filter(col('hp').isNull().not()).collect()).length, 3);
});

t.test('arithmetic follows Spark: int overflow wraps, / is double, x / 0 is null, NaN compares largest', async (t) => {
  const df = spark.createDataFrame({ a: new Int32Array([2147483647, 7, -7, 0]), b: new Int32Array([1, 2, 2, 0]), d: new Float64Array([NaN, 1, -Infinity, 0]) });
  const rows = await df.select(
    col('a').plus(col('b')).alias('sum'),
    col('a').divide(col('b')).alias('div'),
    col('a').mod(col('b')).alias('mod'),
    col('a').multiply(col('a')).alias('sq'),
    col('d').gt(1e308).alias('nanbig'),
    col('d').eq(NaN).alias('naneq'),
  ).collect();
  t.same(rows.map((r) => r.sum), [-2147483648, 9, -5, 0]);
  t.same(rows.map((r) => r.div), [2147483647, 3.5, -3.5, null]);
  t.same(rows.map((r) => r.mod), [0, 1, -1, null]);
  t.same(rows.map((r) => r.sq), [1, 49, 49, 0]);
  t.same(rows.map((r) => r.nanbig), [true, false, false, false]);
  t.same(rows.map((r) => r.naneq), [true, false, false, false]);
  t.same(df.select(col('a').plus(col('d'))).dtypes, [['(a + d)', 'double']]);
  t.same(df.select(col('a').plus(lit(1n))).dtypes, [['(a + 1)', 'bigint']]);
});

t.test('cast, when/otherwise, coalesce, string and math functions', async (t) => {
  const df = spark.createDataFrame([
    { s: ' Hello World ', n: '42', x: 2.675, y: null },
    { s: 'a,b,,c', n: 'x1', x: -1.5, y: 3 },
  ]);
  const rows = await df.select(
    F.trim('s').alias('trim'),
    F.upper('s').alias('up'),
    F.length('s').alias('len'),
    F.split('s', ',').alias('parts'),
    F.regexp_replace('s', '[aeiou]', '_').alias('re'),
    F.concat(col('n'), lit('-'), col('s')).alias('cat'),
    col('n').cast('int').alias('ni'),
    col('x').cast('int').alias('xi'),
    col('x').cast('string').alias('xs'),
    F.round('x', 2).alias('r2'),
    F.abs('x').alias('abs'),
    F.sqrt(F.abs('x')).alias('sqrt'),
    F.log('x').alias('ln'),
    F.pow('x', 2).alias('pow'),
    F.coalesce('y', lit(0)).alias('co'),
    when(col('x').gt(0), 'pos').when(col('x').lt(0), 'neg').otherwise('zero').alias('sign'),
  ).collect();
  t.same(rows[0], {
    trim: 'Hello World', up: ' HELLO WORLD ', len: 13, parts: [' Hello World '], re: ' H_ll_ W_rld ', cat: '42- Hello World ',
    ni: 42, xi: 2, xs: '2.675', r2: 2.68, abs: 2.675, sqrt: Math.sqrt(2.675), ln: Math.log(2.675), pow: 2.675 ** 2, co: 0, sign: 'pos',
  });
  t.same(rows[1], {
    trim: 'a,b,,c', up: 'A,B,,C', len: 6, parts: ['a', 'b', '', 'c'], re: '_,b,,c', cat: 'x1-a,b,,c',
    ni: null, xi: -1, xs: '-1.5', r2: -1.5, abs: 1.5, sqrt: Math.sqrt(1.5), ln: null, pow: 2.25, co: 3, sign: 'neg',
  });
  t.same(df.select(col('y').cast('double')).dtypes, [['CAST(y AS DOUBLE)', 'double']]);
  t.throws(() => df.select(col('s').cast('nonsense')), /expected a Spark type name/);
});

t.test('groupBy().agg(): Spark aggregates with nulls skipped', async (t) => {
  const df = spark.createDataFrame([
    { k: 'a', v: 1, w: 1.5 },
    { k: 'b', v: 2, w: null },
    { k: 'a', v: 3, w: 2.5 },
    { k: null, v: 4, w: 4 },
    { k: 'a', v: null, w: NaN },
  ]);
  const rows = await df.groupBy('k').agg(
    F.count('*').alias('n'), F.count('v').alias('nv'), F.sum('v').alias('s'), F.avg('v').alias('m'),
    F.min('w').alias('mn'), F.max('w').alias('mx'), F.stddev('v').alias('sd'), F.stddev_pop('v').alias('sdp'),
    F.variance('v').alias('var'), F.first('w').alias('f'), F.last('v').alias('l'), F.last('v', true).alias('lnn'),
    F.countDistinct('v').alias('cd'), F.collect_list('v').alias('cl'),
  ).orderBy('k').collect();
  t.same(rows, [
    { k: null, n: 1, nv: 1, s: 4, m: 4, mn: 4, mx: 4, sd: null, sdp: 0, var: null, f: 4, l: 4, lnn: 4, cd: 1, cl: [4] },
    { k: 'a', n: 3, nv: 2, s: 4, m: 2, mn: 1.5, mx: NaN, sd: Math.SQRT2, sdp: 1, var: 2, f: 1.5, l: null, lnn: 3, cd: 2, cl: [1, 3] },
    { k: 'b', n: 1, nv: 1, s: 2, m: 2, mn: null, mx: null, sd: null, sdp: 0, var: null, f: null, l: 2, lnn: 2, cd: 1, cl: [2] },
  ]);
  t.same(df.groupBy('k').agg(F.sum('v'), F.avg('w')).dtypes, [['k', 'string'], ['sum(v)', 'bigint'], ['avg(w)', 'double']]);
  // a global aggregate over no rows is one row: count 0, the rest null
  const none = await df.filter(lit(false)).agg(F.count('*').alias('n'), F.max('v').alias('mx')).collect();
  t.same(none, [{ n: 0, mx: null }]);
  t.same(await df.filter(lit(false)).groupBy('k').count().collect(), []);
  t.same(await df.groupBy('k').agg({ v: 'max' }).orderBy('k').collect(), [{ k: null, 'max(v)': 4 }, { k: 'a', 'max(v)': 3 }, { k: 'b', 'max(v)': 2 }]);
  t.throws(() => df.groupBy('k').agg(col('v')), /v is not an aggregate function/);
  t.throws(() => df.groupBy('k').agg(F.sum('k')), /sum\(k\) needs a numeric column, got string/);
});

t.test('groupBy over integer keys (dense path) and multiple keys agree with a hand count', async (t) => {
  const n = 5000;
  const k = Int32Array.from({ length: n }, (_, i) => (i * 7919) % 97 - 40);
  const v = Float64Array.from({ length: n }, (_, i) => (i % 13) * 0.5);
  const g = new Int32Array(n).map((_, i) => i % 3);
  const df = spark.createDataFrame({ k, v, g });
  const expect = new Map<number, { n: number; s: number }>();
  for (let i = 0; i < n; i++) {
    const e = expect.get(k[i]!) ?? { n: 0, s: 0 };
    e.n++;
    e.s += v[i]!;
    expect.set(k[i]!, e);
  }
  const rows = await df.groupBy('k').agg(F.count('*').alias('n'), F.sum('v').alias('s')).orderBy('k').collect();
  t.equal(rows.length, expect.size);
  for (const r of rows) {
    const e = expect.get(r.k as number)!;
    t.equal(r.n, e.n);
    t.ok(Math.abs((r.s as number) - e.s) < 1e-9);
  }
  const multi = await df.groupBy('g', 'k').count().collect();
  t.equal(multi.length, new Set(Array.from(k, (x, i) => `${g[i]}|${x}`)).size);
  t.equal(multi.reduce((s, r) => s + (r.count as number), 0), n);
});

t.test('orderBy: nulls first ascending, NaN largest, stable, multiple keys', async (t) => {
  const df = spark.createDataFrame([
    { a: 2, b: 'x', c: 1.0 }, { a: null, b: 'y', c: NaN }, { a: 1, b: 'z', c: -1 }, { a: 2, b: 'w', c: null }, { a: 1, b: 'a', c: 5 },
  ]);
  t.same((await df.orderBy('a').collect()).map((r) => r.b), ['y', 'z', 'a', 'x', 'w']);
  t.same((await df.orderBy(col('a').desc()).collect()).map((r) => r.b), ['x', 'w', 'z', 'a', 'y']);
  t.same((await df.orderBy(col('a').asc(), col('b').desc()).collect()).map((r) => r.b), ['y', 'z', 'a', 'x', 'w']);
  t.same((await df.orderBy('c').collect()).map((r) => r.b), ['w', 'z', 'x', 'a', 'y']);
  t.same((await df.orderBy(col('c').descNullsLast()).collect()).map((r) => r.b), ['y', 'a', 'x', 'z', 'w']);
  t.same((await df.sort(['a', 'b'], { ascending: [false, true] }).collect()).map((r) => r.b), ['w', 'x', 'a', 'z', 'y']);
  t.same((await df.orderBy('b').limit(2).collect()).map((r) => r.b), ['a', 'w']);
});

t.test('joins: every kind, null keys never match, duplicates multiply', async (t) => {
  const l = spark.createDataFrame([{ id: 1, x: 'a' }, { id: 2, x: 'b' }, { id: null, x: 'n' }, { id: 2, x: 'b2' }]);
  const r = spark.createDataFrame([{ id: 2, y: 'B' }, { id: 3, y: 'C' }, { id: null, y: 'N' }, { id: 2, y: 'B2' }]);
  const pick = async (how: string) => (await l.join(r, 'id', how).collect()).map((o) => `${o.id}:${o.x ?? '-'}:${o.y ?? '-'}`);
  t.same(await pick('inner'), ['2:b:B', '2:b:B2', '2:b2:B', '2:b2:B2']);
  t.same(await pick('left'), ['1:a:-', '2:b:B', '2:b:B2', 'null:n:-', '2:b2:B', '2:b2:B2']);
  t.same(await pick('right'), ['2:b:B', '2:b:B2', '2:b2:B', '2:b2:B2', '3:-:C', 'null:-:N']);
  t.same(await pick('full'), ['1:a:-', '2:b:B', '2:b:B2', 'null:n:-', '2:b2:B', '2:b2:B2', '3:-:C', 'null:-:N']);
  t.same((await l.join(r, 'id', 'left_semi').collect()).map((o) => o.x), ['b', 'b2']);
  t.same((await l.join(r, 'id', 'left_anti').collect()).map((o) => o.x), ['a', 'n']);
  t.same(l.join(r, 'id').columns, ['id', 'x', 'y']);
  // expression joins keep both sides' columns
  const r2 = r.withColumnRenamed('id', 'rid');
  const e = await l.join(r2, col('id').eq(col('rid')).and(col('y').ne('B2')), 'inner').collect();
  t.same(e.map((o) => `${o.x}${o.y}`), ['bB', 'b2B']);
  t.equal(await l.crossJoin(r2).count(), 16);
  t.throws(() => l.join(r, 'nope'), /join \(left side\): cannot resolve column "nope"/);
  t.throws(() => l.join(r, 'id', 'sideways'), /expected one of inner/);
  t.throws(() => l.join(r.withColumn('id', col('y')), 'id'), /key id has type bigint on the left and string on the right/);
});

t.test('union, unionByName, distinct, dropDuplicates', async (t) => {
  const a = spark.createDataFrame([{ x: 1, y: 'a' }, { x: 1, y: 'a' }, { x: 2, y: 'b' }]);
  const b = spark.createDataFrame([{ y: 'c', x: 3 }]);
  t.equal(await a.union(a).count(), 6);
  t.same(await a.unionByName(b).collect(), [{ x: 1, y: 'a' }, { x: 1, y: 'a' }, { x: 2, y: 'b' }, { x: 3, y: 'c' }]);
  t.throws(() => a.unionByName(spark.createDataFrame([{ x: 1 }])), /column y is missing on one side/);
  t.same(await a.unionByName(spark.createDataFrame([{ x: 9 }]), true).orderBy(col('x').desc()).first(), { x: 9, y: null });
  t.throws(() => a.union(spark.createDataFrame([{ x: 1 }])), /union needs the same number/);
  t.same(await a.distinct().collect(), [{ x: 1, y: 'a' }, { x: 2, y: 'b' }]);
  t.same(await a.dropDuplicates(['y']).count(), 2);
});

t.test('sample and randomSplit: deterministic for a seed, disjoint and complete', async (t) => {
  const df = spark.range(10000).withColumn('v', col('id').mod(7));
  const [x, y, z] = df.randomSplit([1, 2, 7], 42);
  const ids = async (d: typeof df) => (await d.collect()).map((r) => r.id as number);
  const [ix, iy, iz] = [await ids(x!), await ids(y!), await ids(z!)];
  t.equal(ix.length + iy.length + iz.length, 10000);
  t.equal(new Set([...ix, ...iy, ...iz]).size, 10000);
  t.ok(Math.abs(ix.length - 1000) < 150, `split 1 has ${ix.length} rows`);
  t.ok(Math.abs(iz.length - 7000) < 300, `split 3 has ${iz.length} rows`);
  t.same(await ids(df.randomSplit([1, 2, 7], 42)[0]!), ix);
  const s1 = await df.sample(0.1, 3).count();
  t.equal(await df.sample(0.1, 3).count(), s1);
  t.ok(Math.abs(s1 - 1000) < 150);
  t.throws(() => df.randomSplit([1, -1]), /expected a finite number >= 0 for weights\[1\], got -1/);
  t.throws(() => df.randomSplit([0, 0]), /positive sum/);
  t.throws(() => df.sample(1.5), /expected a number in \[0, 1\] for fraction/);
});

t.test('na.drop / na.fill as Spark (NaN counts as missing in numeric columns)', async (t) => {
  const df = spark.createDataFrame([{ a: 1.5, b: 'x' }, { a: NaN, b: null }, { a: null, b: 'y' }, { a: 2, b: null }]);
  t.equal(await df.na.drop().count(), 1);
  t.equal(await df.na.drop('all').count(), 3);
  t.equal(await df.na.drop({ subset: ['b'] }).count(), 2);
  t.equal(await df.na.drop('any', 1).count(), 3); // thresh 1: the NaN/null row has no valid value
  t.same(await df.na.fill(0).na.fill('?').collect(), [{ a: 1.5, b: 'x' }, { a: 0, b: '?' }, { a: 0, b: 'y' }, { a: 2, b: '?' }]);
  t.same(await df.na.fill({ b: 'z' }).select('b').collect(), [{ b: 'x' }, { b: 'z' }, { b: 'y' }, { b: 'z' }]);
});

t.test('show() prints Spark\'s table', async (t) => {
  const df = spark.createDataFrame([{ name: 'a very long string value here', n: 1, d: 1e7, z: null }, { name: 'b', n: 22, d: 0.5, z: null }], 'name string, n int, d double, z string');
  t.equal(
    await df.showString(),
    '+--------------------+---+-----+----+\n' +
      '|                name|  n|    d|   z|\n' +
      '+--------------------+---+-----+----+\n' +
      '|a very long strin...|  1|1.0E7|null|\n' +
      '|                   b| 22|  0.5|null|\n' +
      '+--------------------+---+-----+----+\n',
  );
  t.equal(
    await df.showString(1, false),
    '+-----------------------------+---+-----+----+\n' +
      '|name                         |n  |d    |z   |\n' +
      '+-----------------------------+---+-----+----+\n' +
      '|a very long string value here|1  |1.0E7|null|\n' +
      '+-----------------------------+---+-----+----+\n' +
      'only showing top 1 row\n',
  );
});

t.test('approxQuantile: exact at relativeError 0, nulls and NaN ignored', async (t) => {
  const df = spark.createDataFrame({ x: [5, 1, 4, null, 2, 3, NaN, 10] }, 'x double');
  t.same(await df.approxQuantile('x', [0, 0.25, 0.5, 0.75, 1], 0), [1, 2, 3, 5, 10]);
  t.same(await df.approxQuantile(['x'], [0.5], 0.01), [[3]]);
  await t.rejects(df.approxQuantile('x', [1.5], 0), /probabilities/);
  await t.rejects(df.approxQuantile('x', [0.5], -1), /relativeError/);
});

t.test('range, repartition by hash (Spark Murmur3 pmod) and cache', async (t) => {
  const df = spark.range(0, 20, 3);
  t.same((await df.collect()).map((r) => r.id), [0, 3, 6, 9, 12, 15, 18]);
  const parts = await df.repartition(3, 'id').partitions();
  t.equal(parts.length, 3);
  const { hashLong, nonNegativeMod } = await import('../../../ts/src/kernels/hash.js');
  parts.forEach((p, i) => {
    for (const v of p.getChild('id')!.toArray() as BigInt64Array) t.equal(nonNegativeMod(hashLong(v, 42), 3), i);
  });
  const cached = df.withColumn('r', F.rand(1)).cache();
  const first = await cached.collect();
  t.same(await cached.collect(), first);
  t.equal(spark.range(5).explain().includes('Range (0, 5'), true);
});

t.test('the optimiser fuses filters and prunes projections', async (t) => {
  const df = cars().filter(col('price').gt(1)).select('make', 'price').filter(col('make').eq('audi'));
  const plan = df.explain();
  t.match(plan, /Filter \(\(price > 1\) AND \(make = audi\)\)/);
  t.same(await df.collect(), [{ make: 'audi', price: 30000 }, { make: 'audi', price: 21000 }]);
});

t.test('local[2] gives the same results as local', async (t) => {
  const n = 120_000;
  const k = Int32Array.from({ length: n }, (_, i) => (i * 31) % 1000);
  const v = Float64Array.from({ length: n }, (_, i) => Math.sin(i));
  const inline = spark.createDataFrame({ k, v });
  const want = await inline.filter(col('v').gt(0)).groupBy('k').agg(F.count('*').alias('n'), F.sum('v').alias('s'), F.max('v').alias('m')).orderBy('k').collect();
  const { Session: S, createBackend } = await import('../../../ts/src/session.js');
  const local2 = new S('local2', 'local[2]', createBackend('local[2]'), new Map());
  t.teardown(() => local2.stop());
  const df2 = local2.createDataFrame({ k, v }).cache();
  const got = await df2.filter(col('v').gt(0)).groupBy('k').agg(F.count('*').alias('n'), F.sum('v').alias('s'), F.max('v').alias('m')).orderBy('k').collect();
  t.equal(got.length, want.length);
  for (let i = 0; i < got.length; i++) {
    t.equal(got[i]!.n, want[i]!.n);
    t.ok(Math.abs((got[i]!.s as number) - (want[i]!.s as number)) < 1e-9);
    t.equal(got[i]!.m, want[i]!.m);
  }
  t.equal(await df2.count(), n);
});


t.test('the dense integer-key aggregation path equals the general path (NaN, negative keys, filters, nulls in a second input)', async (t) => {
  const n = 3000;
  const k = Int32Array.from({ length: n }, (_, i) => ((i * 7) % 50) - 20);
  const v = Float64Array.from({ length: n }, (_, i) => (i % 17 === 0 ? NaN : i * 0.25));
  const w = Array.from({ length: n }, (_, i) => (i % 5 === 0 ? null : i));
  const df = spark.createDataFrame({ k, v, w: Float64Array.from(w, (x) => x ?? 0) });
  const withNulls = spark.createDataFrame({ k: Array.from(k), v: Array.from(v), w }, 'k int, v double, w double');
  const aggs = [F.count('*').alias('n'), F.sum('v').alias('s'), F.avg('v').alias('a'), F.min('v').alias('lo'), F.max('v').alias('hi'), F.count('w').alias('nw'), F.sum('w').alias('sw')];
  for (const d of [df, withNulls]) {
    const dense = await d.filter(col('k').ne(3)).groupBy('k').agg(...aggs).orderBy('k').collect();
    // stddev is not on the dense path: the same query through the hash path
    const general = await d.filter(col('k').ne(3)).groupBy('k').agg(...aggs, F.stddev('v').alias('sd')).orderBy('k').collect();
    t.equal(dense.length, 49);
    t.same(dense, general.map(({ sd: _sd, ...rest }) => rest));
    const parts = await d.partitions();
    t.not(planDense([{ k: 'col', name: 'k' }], aggSpecs(aggs.map((a) => a.expr)), [], parts), null, 'the first query takes the dense route');
    t.equal(planDense([{ k: 'col', name: 'k' }], aggSpecs([...aggs, F.stddev('v').alias('sd')].map((a) => a.expr)), [], parts), null, 'the second the hash route');
  }
  t.match(df.groupBy('k').agg(F.sum('v')).explain(), /HashAggregate\(keys=\[k\]/);
});

t.test('multi-key joins, string/double keys and mixed numeric key types match a nested-loop join', async (t) => {
  const L = Array.from({ length: 60 }, (_, i) => ({ a: i % 4 === 3 ? null : `k${i % 5}`, b: i % 3, x: i, d: (i % 7) / 2 }));
  const R = Array.from({ length: 40 }, (_, i) => ({ a: i % 6 === 5 ? null : `k${i % 5}`, b: i % 2, y: i, d: (i % 5) / 2 }));
  const l = spark.createDataFrame(L, 'a string, b int, x int, d double');
  const r = spark.createDataFrame(R, 'a string, b bigint, y int, d double');
  const got = (await l.join(r, ['a', 'b']).collect()).map((o) => `${o.x}-${o.y}`);
  const want: string[] = [];
  for (const p of L) for (const q of R) if (p.a !== null && q.a !== null && p.a === q.a && p.b === q.b) want.push(`${p.x}-${q.y}`);
  t.same(got, want);
  const gotD = (await l.join(r.withColumnRenamed('a', 'ra').withColumnRenamed('b', 'rb').withColumnRenamed('d', 'rd'), col('d').eq(col('rd'))).collect()).map((o) => `${o.x}-${o.y}`);
  const wantD: string[] = [];
  for (const p of L) for (const q of R) if (p.d === q.d) wantD.push(`${p.x}-${q.y}`);
  t.same(gotD, wantD);
});

t.test('multi-key sorts with strings (UTF-8 byte order) and repartition by a string column', async (t) => {
  const rows = ['b', 'a', 'é', 'Z', 'a', null, 'ab'].map((s, i) => ({ s, i: i % 2 }));
  const df = spark.createDataFrame(rows, 's string, i int');
  t.same((await df.orderBy('i', 's').collect()).map((o) => `${o.i}${o.s}`), ['0a', '0ab', '0b', '0é', '1null', '1Z', '1a']);
  t.same((await df.orderBy(col('s').desc(), col('i')).collect()).map((o) => o.s), ['é', 'b', 'ab', 'a', 'a', 'Z', null]);
  // Spark's hash() (and HashPartitioning) hashes strings with hashUnsafeBytes, the legacy tail
  const { murmur3BytesJs, nonNegativeMod } = await import('../../../ts/src/kernels/hash.js');
  const legacy = (s: string) => { const b = new TextEncoder().encode(s); return murmur3BytesJs(b, 0, b.length, 42, true); };
  const parts = await df.repartition(3, 's').partitions();
  parts.forEach((p, i) => {
    for (const row of p.toArray()) {
      const s = row.s as string | null;
      t.equal(s === null ? nonNegativeMod(42, 3) : nonNegativeMod(legacy(s), 3), i, `row ${s}`);
    }
  });
});

t.test('approxQuantile on 200,000 values over several partitions stays within relativeError in rank', async (t) => {
  const n = 200_000;
  const x = new Float64Array(n);
  let s = 12345;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    x[i] = s / 2 ** 32;
  }
  const df = spark.createDataFrame({ x }).repartition(4);
  const sorted = Float64Array.from(x).sort();
  const rel = 0.01;
  const qs = [0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99];
  const got = (await df.approxQuantile('x', qs, rel)) as number[];
  qs.forEach((q, i) => {
    const rank = sorted.indexOf(got[i]!) + 1;
    t.ok(Math.abs(rank - Math.ceil(q * n)) <= rel * n, `q ${q}: rank ${rank} vs ${Math.ceil(q * n)}`);
  });
  t.same(await df.approxQuantile('x', [0.5], 0), [sorted[n / 2 - 1]]);
});

t.test('collect_set, first/last in partition order, sample with replacement is deterministic', async (t) => {
  const df = spark.createDataFrame([{ k: 1, v: 'a' }, { k: 1, v: 'b' }, { k: 1, v: 'a' }, { k: 2, v: null }, { k: 2, v: 'c' }]);
  const rows = await df.groupBy('k').agg(F.collect_set('v').alias('s'), F.first('v').alias('f'), F.first('v', true).alias('fnn'), F.last('v').alias('l')).orderBy('k').collect();
  t.same(rows, [{ k: 1, s: ['a', 'b'], f: 'a', fnn: 'a', l: 'a' }, { k: 2, s: ['c'], f: null, fnn: 'c', l: 'c' }]);
  const big = spark.range(2000);
  const a = await big.sample(true, 0.5, 9).count();
  t.equal(await big.sample(true, 0.5, 9).count(), a);
  t.ok(Math.abs(a - 1000) < 150, `with replacement: ${a} rows`);
});

t.test('aggregate column names follow the function name used, as Spark', async (t) => {
  const df = spark.createDataFrame({ x: new Float64Array([1, 2, 4]) });
  t.same(df.agg(F.stddev('x'), F.stddev_samp('x'), F.stddev_pop('x'), F.variance('x'), F.var_samp('x'), F.mean('x'), F.count('*'), F.countDistinct('x')).columns,
    ['stddev(x)', 'stddev_samp(x)', 'stddev_pop(x)', 'variance(x)', 'var_samp(x)', 'avg(x)', 'count(1)', 'count(DISTINCT x)']);
  t.same(df.agg({ x: 'stddev' }).columns, ['stddev(x)']);
  const [row] = await df.agg(F.stddev('x').alias('a'), F.stddev_samp('x').alias('b')).collect();
  t.equal(row!.a, row!.b);
});
