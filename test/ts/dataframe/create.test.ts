// createDataFrame checks every value against its column's type, as PySpark's verifySchema=True
// (_make_type_verifier): type, range, whole numbers, NOT NULL, nested values; the error names the
// row, the column (and the path inside a nested value), the type and the value. Every input kind
// it accepted before still round-trips.
import t from 'tap';
import * as arrow from 'apache-arrow';
import { Session, Types } from '../../../ts/src/index.js';
import { Vectors } from '../../../ts/ml/index.js';

const spark = await Session.builder().appName('create-test').master('local').getOrCreate();
t.teardown(() => spark.stop());

const bad = (message: string) => ({ name: 'KindlingRangeError', code: 'ERR_KINDLING_INVALID_ARG', message: `createDataFrame: ${message}` });

t.test('integers: type, whole numbers and range per width (the values issue 10 found wrapped or zeroed)', async (t) => {
  t.throws(() => spark.createDataFrame([[1], ['x']], 'a int'), bad('row 1 of column a (int) holds "x" (string), not an int'));
  t.throws(() => spark.createDataFrame([[{}]], 'a int'), bad('row 0 of column a (int) holds Object (object), not an int'));
  t.throws(() => spark.createDataFrame([[true]], 'a int'), bad('row 0 of column a (int) holds true (boolean), not an int'));
  t.throws(() => spark.createDataFrame([[3e9]], 'a int'), bad('row 0 of column a (int) holds 3000000000 (number), outside the int range [-2147483648, 2147483647]'));
  t.throws(() => spark.createDataFrame([[1e300]], 'a int'), bad('row 0 of column a (int) holds 1e+300 (number), outside the int range [-2147483648, 2147483647]'));
  t.throws(() => spark.createDataFrame([[-2147483649]], 'a int'), bad('row 0 of column a (int) holds -2147483649 (number), outside the int range [-2147483648, 2147483647]'));
  t.throws(() => spark.createDataFrame([[2, 1.5]], 'a int, b int'), bad('row 0 of column b (int) holds 1.5 (number), not a whole number'));
  t.throws(() => spark.createDataFrame([[NaN]], 'a bigint'), bad('row 0 of column a (bigint) holds NaN (number), not a whole number'));
  t.throws(() => spark.createDataFrame([[128]], 'a tinyint'), bad('row 0 of column a (tinyint) holds 128 (number), outside the tinyint range [-128, 127]'));
  t.throws(() => spark.createDataFrame([[-32769]], 'a smallint'), bad('row 0 of column a (smallint) holds -32769 (number), outside the smallint range [-32768, 32767]'));
  t.throws(() => spark.createDataFrame([[2n ** 31n]], 'a int'), bad('row 0 of column a (int) holds 2147483648n (bigint), outside the int range [-2147483648, 2147483647]'));
  t.throws(() => spark.createDataFrame([[2n ** 70n]], 'a bigint'), bad('row 0 of column a (bigint) holds 1180591620717411303424n (bigint), outside the bigint range [-9223372036854775808, 9223372036854775807]'));
  t.throws(() => spark.createDataFrame([[2 ** 63]], 'a bigint'), bad('row 0 of column a (bigint) holds 9223372036854776000 (number), outside the bigint range [-9223372036854775808, 9223372036854775807]'));
  t.throws(() => spark.createDataFrame([{ a: 1e20 }]), bad('row 0 of column a (bigint) holds 100000000000000000000 (number), outside the bigint range [-9223372036854775808, 9223372036854775807]'), 'an inferred column is checked too');
  t.throws(() => spark.createDataFrame({ a: new Float64Array([1, 2.5]) }, 'a int'), bad('row 1 of column a (int) holds 2.5 (number), not a whole number'), 'a typed array of another type is checked value by value');
});

t.test('floats, strings, booleans, dates, timestamps, binary: the type, and the float range', async (t) => {
  t.throws(() => spark.createDataFrame([[1.5], ['x']], 'a double'), bad('row 1 of column a (double) holds "x" (string), not a double'));
  t.throws(() => spark.createDataFrame([[{ v: 1 }]], 'a double'), bad('row 0 of column a (double) holds Object (object), not a double'));
  t.throws(() => spark.createDataFrame([[2n]], 'a double'), bad('row 0 of column a (double) holds 2n (bigint), not a double'));
  t.throws(() => spark.createDataFrame([[1e300]], 'a float'), bad('row 0 of column a (float) holds 1e+300 (number), outside the float range [-3.4028234663852886e+38, 3.4028234663852886e+38]'));
  t.throws(() => spark.createDataFrame([[1]], 'a string'), bad('row 0 of column a (string) holds 1 (number), not a string'));
  t.throws(() => spark.createDataFrame([[1]], 'a boolean'), bad('row 0 of column a (boolean) holds 1 (number), not a boolean'));
  t.throws(() => spark.createDataFrame([['2021-13-45x']], 'a date'), bad('row 0 of column a (date) holds "2021-13-45x" (string), not a date (a Date, a date string or a whole day number)'));
  t.throws(() => spark.createDataFrame([[new Date(NaN)]], 'a timestamp'), bad('row 0 of column a (timestamp) holds Date (object), an invalid Date'));
  t.throws(() => spark.createDataFrame([[1.5]], 'a timestamp'), bad('row 0 of column a (timestamp) holds 1.5 (number), not a timestamp (a Date, a date string or whole epoch milliseconds)'));
  t.throws(() => spark.createDataFrame([['ab']], 'a binary'), bad('row 0 of column a (binary) holds "ab" (string), not binary (a Uint8Array)'));
});

t.test('NOT NULL, nested values and rows: the path inside the value, the first bad value row by row', async (t) => {
  t.throws(() => spark.createDataFrame([[1], [null]], 'a int NOT NULL'), bad('row 1 of column a (int) is null, but it is declared NOT NULL'));
  t.throws(() => spark.createDataFrame([{ b: 1 }], 'a string NOT NULL, b int'), bad('row 0 of column a (string) is null, but it is declared NOT NULL'), 'a missing key is null');
  t.throws(() => spark.createDataFrame({ a: [1, undefined] }, new arrow.Schema([new arrow.Field('a', Types.int(), false)])), bad('row 1 of column a (int) is null, but it is declared NOT NULL'), 'columns input honours NOT NULL');
  t.throws(() => spark.createDataFrame([[1, 'x'], ['y', 1]], 'a int, b int'), bad('row 0 of column b (int) holds "x" (string), not an int'), 'row 0 is checked before row 1');
  t.throws(() => spark.createDataFrame([[[1, 2]], [[3, 'x']]], 'a array<int>'), bad('row 1 of column a[1] (int) holds "x" (string), not an int'));
  t.throws(() => spark.createDataFrame([['ab']], 'a array<string>'), bad('row 0 of column a (array<string>) holds "ab" (string), not an array'));
  t.throws(() => spark.createDataFrame([[[[1], [2, 3e10]]]], 'a array<array<int>>'), bad('row 0 of column a[1][1] (int) holds 30000000000 (number), outside the int range [-2147483648, 2147483647]'));
  const st = new arrow.Schema([new arrow.Field('s', new arrow.Struct([new arrow.Field('b', Types.int(), false), new arrow.Field('c', Types.array(Types.double()), true)]), true)]);
  t.throws(() => spark.createDataFrame([[{ b: 1, c: [0.5] }], [{ b: null }]], st), bad('row 1 of column s.b (int) is null, but it is declared NOT NULL'));
  t.throws(() => spark.createDataFrame([[{ b: 1, c: [0.5, 'x'] }]], st), bad('row 0 of column s.c[1] (double) holds "x" (string), not a double'));
  t.throws(() => spark.createDataFrame([[5]], st), bad('row 0 of column s (struct<b:int,c:array<double>>) holds 5 (number), not a struct (an object)'));
  const notNullElems = new arrow.Schema([new arrow.Field('a', Types.array(Types.double(), false), true)]);
  t.throws(() => spark.createDataFrame([[[1, null]]], notNullElems), bad('row 0 of column a[1] (double) is null, but it is declared NOT NULL'));
  const mapType = new arrow.Map_(new arrow.Field('entries', new arrow.Struct<{ key: arrow.Utf8; value: arrow.Int32 }>([new arrow.Field('key', new arrow.Utf8(), false), new arrow.Field('value', new arrow.Int32(), true)]), false));
  t.throws(() => spark.createDataFrame([[new Map<string, unknown>([['k', 1], ['j', 'x']])]], new arrow.Schema([new arrow.Field('m', mapType, true)])), bad('row 0 of column m["j"] (int) holds "x" (string), not an int'));
  t.throws(() => spark.createDataFrame([[1], null as never], 'a int'), bad('row 1 of data holds null (null), not a row (an object, or an array of values)'));
  t.throws(() => spark.createDataFrame([[1], 7 as never], 'a int'), bad('row 1 of data holds 7 (number), not a row (an object, or an array of values)'));
});

t.test('vectors: dense and VectorUDT columns take vectors, Float64Arrays and number arrays only', async (t) => {
  t.throws(() => spark.createDataFrame([[Vectors.dense(1, 2)], ['x']], 'f vector'), bad('row 1 of column f (vector) holds "x" (string), not a vector'));
  t.throws(() => spark.createDataFrame([[['a', 1]]], 'f vector'), bad('row 0 of column f.values[0] (double) holds "a" (string), not a double'));
  const shaped = { size: 2, indices: [0, 5], values: [1, 2], toArray: () => [1, 0] };
  t.throws(() => spark.createDataFrame([[shaped]], 'f vector'), bad('row 0 of column f (vector) holds Object (object), a sparse vector whose index 5 at position 1 is out of order or outside [0, 2)'));
  t.throws(() => spark.createDataFrame([[{ ...shaped, indices: [-1, 0] }]], 'f vector'), bad('row 0 of column f (vector) holds Object (object), a sparse vector whose index -1 at position 0 is out of order or outside [0, 2)'));
  t.throws(() => spark.createDataFrame([[{ ...shaped, indices: [1, 1] }]], 'f vector'), bad('row 0 of column f (vector) holds Object (object), a sparse vector whose index 1 at position 1 is out of order or outside [0, 2)'));
  t.throws(() => spark.createDataFrame([[{ ...shaped, indices: [0] }]], 'f vector'), bad('row 0 of column f (vector) holds Object (object), a sparse vector with 1 indices but 2 values'));
  t.throws(() => spark.createDataFrame([[{ ...shaped, indices: [0, 1.5] }]], 'f vector'), bad('row 0 of column f.indices[1] (int) holds 1.5 (number), not a whole number'));
  const dense2 = new arrow.Schema([new arrow.Field('f', Types.vector(2), true)]);
  t.throws(() => spark.createDataFrame([[new Float64Array(3)]], dense2), bad('row 0 of column f (vector) holds Float64Array(3) (object), a vector of size 3, not 2'));
  t.throws(() => spark.createDataFrame([{ f: Vectors.dense(1, 2) }, { f: 'x' }]), { code: 'ERR_KINDLING_SCHEMA', message: 'createDataFrame: column f mixes vector and string values' }, 'inference names a mixed column first');
});

t.test('every input kind accepted before still round-trips', async (t) => {
  const ints = spark.createDataFrame([[5n, -2147483648, 2147483647, -128, 32767]], 'a int, b int, c int, d tinyint, e smallint');
  t.same(await ints.collect(), [{ a: 5, b: -2147483648, c: 2147483647, d: -128, e: 32767 }]);
  const longs = spark.createDataFrame([[2n ** 62n], [1e18], [-(2n ** 63n)], [2n ** 63n - 1n], [-(2 ** 53)], [null], [undefined]], 'a bigint');
  t.same((await longs.collect()).map((r) => r.a), [2n ** 62n, 10n ** 18n, -(2n ** 63n), 2n ** 63n - 1n, -(2 ** 53), null, null]);
  const floats = spark.createDataFrame([[NaN, Infinity], [-Infinity, 1e300], [3.4028234663852886e38, 0.1], [0.1, -0]], 'f float, d double');
  const fr = await floats.collect();
  t.same(fr.map((r) => r.f), [NaN, -Infinity, 3.4028234663852886e38, Math.fround(0.1)]);
  t.same(fr.map((r) => r.d), [Infinity, 1e300, 0.1, -0]);
  const when = new Date(Date.UTC(2021, 0, 5, 12));
  const dates = spark.createDataFrame([[when, when], ['2021-01-05', '2021-01-05T12:00:00Z'], [18632, when.getTime()]], 'd date, ts timestamp');
  t.same((await dates.collect()).map((r) => [(r.d as Date).toISOString(), (r.ts as Date).toISOString()]), [
    ['2021-01-05T00:00:00.000Z', '2021-01-05T12:00:00.000Z'], ['2021-01-05T00:00:00.000Z', '2021-01-05T12:00:00.000Z'], ['2021-01-05T00:00:00.000Z', '2021-01-05T12:00:00.000Z'],
  ]);
  // an Arrow schema's timestamp unit is honoured (milliseconds were stored as if microseconds)
  for (const unit of [arrow.TimestampSecond, arrow.TimestampMillisecond, arrow.TimestampMicrosecond, arrow.TimestampNanosecond]) {
    const ts = spark.createDataFrame([[when], ['2021-01-05T12:00:00Z'], [when.getTime()]], new arrow.Schema([new arrow.Field('ts', new unit('UTC'), true)]));
    t.same((await ts.collect()).map((r) => (r.ts as Date).toISOString()), Array(3).fill('2021-01-05T12:00:00.000Z'), unit.name);
  }
  const nested = spark.createDataFrame([[[1n, 2], new Float64Array([0.5, 1.5]), 'x', true, Uint8Array.of(1, 2)], [[], [], null, false, null]], 'a array<int>, b array<double>, s string, ok boolean, bin binary');
  const nr = await nested.collect();
  t.same(nr.map((r) => [r.a, r.b, r.s, r.ok]), [[[1, 2], [0.5, 1.5], 'x', true], [[], [], null, false]]);
  t.same(Array.from(nr[0]!.bin as Uint8Array), [1, 2]);
  const st = new arrow.Schema([new arrow.Field('s', new arrow.Struct([new arrow.Field('b', Types.int(), false), new arrow.Field('c', Types.string(), true)]), true)]);
  t.same(await spark.createDataFrame([[{ b: 1, c: 'x', extra: 9 }], [{ b: 2 }], [null]], st).collect(), [{ s: { b: 1, c: 'x' } }, { s: { b: 2, c: null } }, { s: null }]);
  const vecs = spark.createDataFrame([[Vectors.dense(1, 2)], [Vectors.sparse(2, [1], [5])], [new Float64Array([3, 4])], [[5, 6]], [null]], 'f vector');
  t.same((await vecs.collect()).map((r) => (r.f === null ? null : Array.from((r.f as { toArray(): Float64Array }).toArray()))), [[1, 2], [0, 5], [3, 4], [5, 6], null]);
  const inferred = spark.createDataFrame([{ f: Vectors.dense(1, 2), n: 1, x: 0.5 }, { f: Vectors.sparse(2, [0], [7]), n: 2n, x: 2 }]);
  t.same(inferred.dtypes, [['f', 'vector'], ['n', 'bigint'], ['x', 'double']]);
  t.same((await inferred.collect()).map((r) => [r.n, r.x]), [[1, 0.5], [2, 2]]);
  const cols = spark.createDataFrame({ a: [1, 2, null], b: new Float64Array([1, 2, 3]) }, 'a int, b int');
  t.same(await cols.collect(), [{ a: 1, b: 1 }, { a: 2, b: 2 }, { a: null, b: 3 }], 'a Float64Array of whole numbers fits an int column');
});

t.test('verifySchema: false skips the value check, as PySpark (the option is checked itself)', async (t) => {
  t.same(await spark.createDataFrame([[1.5]], 'a bigint', { verifySchema: false }).collect(), [{ a: 1 }], 'unchecked: converted as arrow builds it');
  t.same(await spark.createDataFrame([[1]], 'a int', { verifySchema: true }).collect(), [{ a: 1 }]);
  t.throws(() => spark.createDataFrame([[1]], 'a int', { verifySchema: 'no' as never }), { name: 'KindlingTypeError', code: 'ERR_KINDLING_INVALID_ARG', message: 'createDataFrame: expected a boolean for options.verifySchema, got "no" (string)' });
  t.throws(() => spark.createDataFrame([[null]], 'a int NOT NULL', { verifySchema: false }), { code: 'ERR_KINDLING_SCHEMA', message: 'createDataFrame: column a is declared NOT NULL but holds nulls' }, 'NOT NULL is checked either way');
  t.throws(() => spark.createDataFrame([['x']], 'a timestamp', { verifySchema: false }), { code: 'ERR_KINDLING_SCHEMA', message: /^createDataFrame: column a does not fit type timestamp: / }, 'a value arrow cannot convert is still a coded error');
});
