// Casts from string to date and timestamp with Spark's (non-ANSI) semantics: Spark's
// DateTimeUtils.stringToDate / stringToTimestamp (the formats in their docs), the session time
// zone UTC, and null for anything they reject. Expected day numbers and microseconds are
// proleptic Gregorian counts from 1970-01-01 (checked with Python's datetime).
import t from 'tap';
import type * as arrow from 'apache-arrow';
import { Session, col, type DataFrame } from '../../../ts/src/index.js';

const spark = await Session.builder().appName('cast-test').master('local').getOrCreate();
t.teardown(() => spark.stop());

/** The stored values of one column (days for dates, microseconds for timestamps), null where null. */
async function stored(df: DataFrame, name: string): Promise<unknown[]> {
  const out: unknown[] = [];
  for (const d of (await df.toArrow()).getChild(name)!.data as arrow.Data[]) {
    for (let i = 0; i < d.length; i++) out.push(d.getValid(i) ? (d.values as ArrayLike<unknown>)[i] : null);
  }
  return out;
}

const castAll = (values: (string | null)[], to: string) =>
  spark.createDataFrame({ s: values }, 's string').select(col('s').cast(to).alias('v'));

t.test('string → date: Spark stringToDate', async (t) => {
  const cases: [string | null, number | null][] = [
    ['2021-01-05', 18632],
    ['2021-1-5', 18632], // [m]m and [d]d
    [' 2021-01-05 ', 18632], // trimmed
    ['2021-01-05T12:00:00', 18632], // yyyy-[m]m-[d]dT*
    ['2021-01-05 12:00:00', 18632], // yyyy-[m]m-[d]d *
    ['2021', 18628], // yyyy: January 1st
    ['2021-3', 18687], // yyyy-[m]m: the 1st
    ['+2021-01-05', 18632],
    ['0050-01-01', -701265], // year 50, not 1950
    ['-0001-01-01', -719893], // 0001-01-01 is -719162; years 0 (leap) and -1 come before it
    ['5881580-07-11', 2147483647], // the last day an Int holds
    ['2021-02-30', null], // no such day
    ['2021-13-01', null],
    ['21-01-05', null], // fewer than 4 year digits
    ['12345678-01-01', null], // more than 7
    ['5881580-07-12', null], // past the Int range of days
    ['2021-01-05x', null],
    ['2021/01/05', null],
    ['2021 01', null], // yyyy and yyyy-[m]m must take the whole string
    ['', null],
    ['abc', null],
    [null, null],
  ];
  const df = castAll(cases.map((c) => c[0]), 'date');
  t.same(df.dtypes, [['v', 'date']]);
  t.same(await stored(df, 'v'), cases.map((c) => c[1]));
});

t.test('string → timestamp: Spark stringToTimestamp in UTC', async (t) => {
  const cases: [string | null, bigint | null][] = [
    ['2021-01-05 12:00:00', 1609848000000000n],
    ['2021-01-05T12:00:00', 1609848000000000n],
    [' 2021-01-05 12:00:00 ', 1609848000000000n],
    ['2021-01-05 12:00:00.123456', 1609848000123456n],
    ['2021-01-05 12:00:00.1234569', 1609848000123456n], // digits past microseconds are dropped
    ['2021-01-05 23:59:59.999999', 1609891199999999n],
    ['2021-01-05 12:00', 1609848000000000n],
    ['2021-01-05', 1609804800000000n],
    ['2021-1-5', 1609804800000000n],
    ['2021-01-05 12:00:00Z', 1609848000000000n],
    ['2021-01-05 12:00:00+01:00', 1609844400000000n],
    ['2021-01-05T12:30:00-05:30', 1609869600000000n],
    ['2021-01-05 12:00:00 UTC', 1609848000000000n],
    ['0050-01-01 00:00:00', -60589296000000000n], // year 50, not 1950
    ['2021-02-30 00:00:00', null],
    ['2021-01-05 24:00:00', null],
    ['2021-01-05 12:60:00', null],
    ['294248-01-01', null], // past the Long range of microseconds
    ['1234567-01-01', null], // more than 6 year digits
    ['2021-01-05 12:00:00 +25:00', null],
    ['abc', null],
    [null, null],
  ];
  const df = castAll(cases.map((c) => c[0]), 'timestamp');
  t.same(df.dtypes, [['v', 'timestamp']]);
  t.same(await stored(df, 'v'), cases.map((c) => c[1]));
});
