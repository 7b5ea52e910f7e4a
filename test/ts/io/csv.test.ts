// CSV reader and writer: Spark 3.5's inference, options, quoting, modes, streaming and errors,
// checked with exact values.
import t from 'tap';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as arrow from 'apache-arrow';
import { csvSource, writeCsvPart, type CsvOptions, type CsvWriteOptions } from '../../../ts/src/io/csv/index.js';
import { javaDoubleString, javaFloatString } from '../../../ts/src/io/text-common/java-format.js';
import type { ScanOptions } from '../../../ts/src/io/source.js';
import { Types, sparkTypeName } from '../../../ts/src/dataframe/types.js';

const FIX = path.join(import.meta.dirname, '../../fixtures/io');

/** A plain rendering of one cell: null, number, bigint, string, boolean, 'YYYY-MM-DD', ISO micros. */
function cell(data: arrow.Data, i: number): unknown {
  const j = data.offset + i;
  const bm = data.nullBitmap;
  if (bm && bm.length > 0 && ((bm[j >> 3]! >> (j & 7)) & 1) === 0) return null;
  const type = data.type;
  if (arrow.DataType.isDate(type)) return new Date((data.values as Int32Array)[j]! * 86_400_000).toISOString().slice(0, 10);
  if (arrow.DataType.isTimestamp(type)) {
    const us = (data.values as BigInt64Array)[j]!;
    const ms = us / 1000n;
    const frac = String(((us % 1_000_000n) + 1_000_000n) % 1_000_000n).padStart(6, '0');
    return `${new Date(Number(ms)).toISOString().slice(0, 19)}.${frac}Z`;
  }
  return arrow.makeVector(data).get(i);
}

interface Result { fields: string[]; rows: unknown[][]; sizes: number[] }

async function collect(file: string | string[], options?: CsvOptions, schema?: arrow.Schema, scan?: ScanOptions): Promise<Result> {
  const src = await csvSource(Array.isArray(file) ? file : [file], options, schema);
  const rows: unknown[][] = [];
  const sizes: number[] = [];
  let outFields: string[] | null = null;
  for await (const b of src.scan(scan)) {
    sizes.push(b.numRows);
    outFields ??= b.schema.fields.map((f) => `${f.name}:${sparkTypeName(f.type)}`);
    for (let i = 0; i < b.numRows; i++) rows.push(b.data.children.map((c) => cell(c, i)));
  }
  return { fields: src.schema.fields.map((f) => `${f.name}:${sparkTypeName(f.type)}`), rows, sizes };
}

/** What the helpers need of a tap test: its fixture directory. */
type TestLike = { testdir(): string };

let n = 0;
const dirs = new WeakMap<object, string>();
function tmp(t: TestLike, content: string | Uint8Array): string {
  let dir = dirs.get(t);
  if (dir === undefined) dirs.set(t, (dir = t.testdir()));
  const file = path.join(dir, `f${n++}.csv`);
  fs.writeFileSync(file, content);
  return file;
}

const schemaOf = (spec: [string, arrow.DataType][]) => new arrow.Schema(spec.map(([nm, ty]) => new arrow.Field(nm, ty, true)));

t.test('inference: types, header names and values of a fixture', async (t) => {
  const r = await collect(path.join(FIX, 'people.csv'), { header: 'true', inferSchema: 'true' });
  t.same(r.fields, ['id:int', 'name:string', 'score:double', 'born:date', 'active:boolean']);
  t.same(r.rows, [
    [1, 'Ann', 3.5, '1990-04-01', true],
    [2, 'Bob', null, '1985-12-24', false],
    [3, 'Lee, Jr.', 7, null, true],
  ]);
  const plain = await collect(path.join(FIX, 'people.csv'), { header: true });
  t.same(plain.fields, ['id:string', 'name:string', 'score:string', 'born:string', 'active:string'], 'without inferSchema every column is string');
  t.same(plain.rows[2], ['3', 'Lee, Jr.', '7', null, 'TRUE']);
});

t.test("inference follows Spark's type lattice and merge rules", async (t) => {
  const cols = [
    ['ints', '1', '-2', '+3', '', '2147483647'],
    ['longs', '1', '2147483648', '', '-9223372036854775808', '5'],
    ['dbl', '1', '2.5', '1e3', '-0.5', '7'],
    ['intdbl', '1.0', '2', '3', '4', '5'],
    ['nan', '1', 'NaN', 'Inf', '-Inf', 'Infinity'],
    ['dates', '2024-01-15', '2023-12-31', '', '2020-02-29', '1999-01-01'],
    ['mixed_dt', '2024-01-15', '2024-01-15 10:30:00', '2024-01-16', '', '2024-01-15T10:30:00.5Z'],
    ['ts', '2024-01-15 10:30:00', '2024-1-5', '2024-01-15T10:30:00+01:00', '', '2024-01-15T10:30:00.123456Z'],
    ['bools', 'true', 'FALSE', 'True', '', 'false'],
    ['boolint', 'true', '1', 'false', '', 'true'],
    ['str', '1', 'x', '2.5', '', '3'],
    ['nulls', '', '', '', '', ''],
    ['bigger', '12345678901234567890', '1', '', '', ''],
    ['spaced', ' 1', '2', '', '', ''],
    ['suffix', '1.5d', '2f', '', '', ''],
  ];
  const lines = [cols.map((c) => c[0]).join(',')];
  for (let i = 1; i < 6; i++) lines.push(cols.map((c) => c[i]).join(','));
  const file = tmp(t, lines.join('\n') + '\n');
  const r = await collect(file, { header: true, inferSchema: true });
  t.same(r.fields, [
    'ints:int', 'longs:bigint', 'dbl:double', 'intdbl:double', 'nan:double', 'dates:date', 'mixed_dt:timestamp', 'ts:timestamp',
    'bools:boolean', 'boolint:string', 'str:string', 'nulls:string', 'bigger:double', 'spaced:double', 'suffix:double',
  ]);
  const col = (name: string) => r.rows.map((row) => row[cols.findIndex((c) => c[0] === name)]);
  t.same(col('ints'), [1, -2, 3, null, 2147483647]);
  t.same(col('longs'), [1n, 2147483648n, null, -9223372036854775808n, 5n]);
  t.same(col('dbl'), [1, 2.5, 1000, -0.5, 7]);
  t.same(col('nan'), [1, NaN, Infinity, -Infinity, Infinity]);
  t.same(col('mixed_dt'), ['2024-01-15T00:00:00.000000Z', '2024-01-15T10:30:00.000000Z', '2024-01-16T00:00:00.000000Z', null, '2024-01-15T10:30:00.500000Z']);
  t.same(col('ts'), ['2024-01-15T10:30:00.000000Z', '2024-01-05T00:00:00.000000Z', '2024-01-15T09:30:00.000000Z', null, '2024-01-15T10:30:00.123456Z']);
  t.same(col('bools'), [true, false, true, null, false]);
  t.same(col('spaced'), [1, 2, null, null, null], 'Java parseDouble trims whitespace');
  t.same(col('suffix'), [1.5, 2, null, null, null]);

  const custom = await collect(file, { header: true, inferSchema: true, timestampFormat: 'yyyy-MM-dd HH:mm:ss' });
  t.equal(custom.fields[6], 'mixed_dt:string', 'dates mixed with timestamps become string under a custom timestampFormat');
  const noDate = await collect(file, { header: true, inferSchema: true, preferDate: false });
  t.equal(noDate.fields[5], 'dates:timestamp', 'preferDate=false infers timestamp');
});

t.test('header handling: _c names, duplicates, empty names, nullValue', async (t) => {
  const file = tmp(t, 'a,A,,b,NA,a\n1,2,3,4,5,6\n');
  t.same((await collect(file, { header: true, nullValue: 'NA' })).fields, ['a0:string', 'A1:string', '_c2:string', 'b:string', '_c4:string', 'a5:string']);
  const r = await collect(file, {});
  t.same(r.fields, ['_c0:string', '_c1:string', '_c2:string', '_c3:string', '_c4:string', '_c5:string']);
  t.same(r.rows, [['a', 'A', null, 'b', 'NA', 'a'], ['1', '2', '3', '4', '5', '6']]);
  const multi = tmp(t, 'x,y\n1,2\n');
  const other = tmp(t, 'x,y\n3,4\n');
  t.same((await collect([multi, other], { header: true, inferSchema: true })).rows, [[1, 2], [3, 4]], "every file's header line is dropped");
});

t.test('quoting and escaping as univocity (Spark) tokenizes', async (t) => {
  const file = tmp(t, [
    'a,b,c',
    '"x, y","say ""hi""","back\\"slash"',
    '"a\\\\b",plain"quote,"after"text',
    '"",,"  padded  "',
    ' "not quoted",x,"tab\tin"',
    '"q" ,"r"  ,s',
  ].join('\n'));
  const r = await collect(file, { header: true });
  t.same(r.rows, [
    ['x, y', 'say "hi"', 'back"slash'],
    ['a\\b', 'plain"quote', 'after"text'],
    [null, null, '  padded  '],
    [' "not quoted"', 'x', 'tab\tin'],
    ['q', 'r', 's'],
  ]);
  const na = await collect(file, { header: true, nullValue: 'NA' });
  t.same(na.rows[2], ['', null, '  padded  '], 'with nullValue set, a quoted empty is "" and an unquoted empty is null');
  const ev = await collect(file, { header: true, emptyValue: 'EMPTY' });
  t.same(ev.rows[2], ['EMPTY', null, '  padded  '], 'emptyValue replaces a quoted empty');
  const noq = await collect(tmp(t, 'a,b\n"x","y"\n'), { header: true, quote: '' });
  t.same(noq.rows, [['"x"', '"y"']], "quote '' turns quoting off");
  const sq = await collect(tmp(t, "a;b\n'x;y';'it''s'\n"), { header: true, sep: ';', quote: "'", escape: "'" });
  t.same(sq.rows, [['x;y', "it's"]]);
  const trim = await collect(tmp(t, 'a,b\n  x  , "y" \n'), { header: true, ignoreLeadingWhiteSpace: true, ignoreTrailingWhiteSpace: 'true' });
  t.same(trim.rows, [['x', 'y']]);
});

t.test('multiLine, line endings, BOM, blank and comment lines', async (t) => {
  const cars = await collect(path.join(FIX, 'cars-multiline.csv'), { header: true, inferSchema: true, multiLine: true });
  t.same(cars.fields, ['Year:int', 'Make:string', 'Model:string', 'Price:double', 'Comment:string']);
  t.same(cars.rows, [
    [1997, 'Ford', 'E350', 3000, 'ac, abs, moon'],
    [1999, 'Chevy', 'Venture "Extended Edition"', 4900, null],
    [1996, 'Jeep', 'Grand Cherokee', 4799, 'MUST SELL!\nair, moon roof, loaded'],
  ], 'CRLF inside a quoted value becomes LF as univocity normalizes it');
  const lines = tmp(t, '\ufeffa,b\r\n1,2\r3,4\n\n   \n#c,x\n5,6');
  t.same((await collect(lines, { header: true, comment: '#' })).rows, [['1', '2'], ['3', '4'], ['5', '6']]);
  t.same((await collect(lines, { header: true })).rows, [['1', '2'], ['3', '4'], ['#c', 'x'], ['5', '6']], 'no comment char by default');
  t.same((await collect(tmp(t, 'a,b;1,2;3,4;'), { header: true, lineSep: ';' })).rows, [['1', '2'], ['3', '4']]);
});

t.test('options: separators, special values, formats, sampling', async (t) => {
  t.same((await collect(tmp(t, 'a\tb\n1\t2\n'), { header: true, sep: '\\t' })).rows, [['1', '2']]);
  t.same((await collect(tmp(t, 'a\tb\n1\t2\n'), { header: true, delimiter: '\t' })).rows, [['1', '2']]);
  t.same((await collect(tmp(t, 'a||b\n1||2|3\n'), { header: true, sep: '||' })).rows, [['1', '2|3']], 'multi-character separator');
  const dbl = schemaOf([['x', Types.double()], ['y', Types.float()]]);
  const sp = await collect(tmp(t, 'x,y\nnan,nan\npinf,pinf\nminf,1.5\nNaN,Infinity\n-,-\n'), { header: true, nanValue: 'nan', positiveInf: 'pinf', negativeInf: 'minf', nullValue: '-' }, dbl);
  t.same(sp.rows, [[NaN, NaN], [Infinity, Infinity], [-Infinity, 1.5], [NaN, Infinity], [null, null]]);
  const dt = schemaOf([['d', Types.date()], ['ts', Types.timestamp()]]);
  const fm = await collect(tmp(t, 'd,ts\n15/01/2024,15.01.2024 10:30:05.25 +0100\n1/2/2024,01.02.2024 00:00:00.000 Z\n2024-01-15,bad\n'), { header: true, dateFormat: 'd/M/yyyy', timestampFormat: 'dd.MM.yyyy HH:mm:ss.SSS[ XX]' }, dt);
  t.same(fm.rows, [
    ['2024-01-15', '2024-01-15T09:30:05.250000Z'],
    ['2024-02-01', '2024-02-01T00:00:00.000000Z'],
    [null, null],
  ]);
  const lenient = await collect(tmp(t, 'd,ts\n2024-1-5,2024-01-15\n2024-01-15T10:00:00,2024-01-15T10:00:00.000001-08:00\n2024-02-30,2024-13-01\n'), { header: true }, dt);
  t.same(lenient.rows, [
    ['2024-01-05', '2024-01-15T00:00:00.000000Z'],
    ['2024-01-15', '2024-01-15T18:00:00.000001Z'],
    [null, null],
  ], 'no format: Spark\'s lenient date/timestamp parsing; invalid dates are null');
  // samplingRatio: deterministic, and only sampled rows shape the type
  const many = ['v', ...Array.from({ length: 200 }, (_, i) => (i === 150 ? 'text' : String(i)))].join('\n');
  const sampled = tmp(t, many);
  const a = await collect(sampled, { header: true, inferSchema: true, samplingRatio: 0.5 });
  const b = await collect(sampled, { header: true, inferSchema: true, samplingRatio: '0.5' });
  t.same(a.fields, b.fields, 'sampling is deterministic');
  t.same((await collect(sampled, { header: true, inferSchema: true })).fields, ['v:string']);
  t.same(await collect(tmp(t, 'A,b\n1,2\n'), { HEADER: 'TRUE', InferSchema: true, timeZone: 'UTC' } as CsvOptions).then((r) => r.fields), ['A:int', 'b:int'], 'option names are case-insensitive');
});

t.test('explicit schema: conversions as UnivocityParser does', async (t) => {
  const schema = schemaOf([
    ['i', Types.int()], ['l', Types.bigint()], ['b', Types.boolean()], ['t8', Types.tinyint()], ['s16', Types.smallint()], ['f', Types.float()], ['s', Types.string()],
  ]);
  const r = await collect(tmp(t, [
    '1,9007199254740993,true,127,-32768,0.1,x',
    '1.0,-9223372036854775808,yes,128,32768,1e40,',
    ' 2,9223372036854775808,FALSE,-128,7,-2.5f,"y"',
    '2147483648,+5,,1,1,NaN,z',
  ].join('\n')), {}, schema);
  t.same(r.rows, [
    [1, 9007199254740993n, true, 127, -32768, Math.fround(0.1), 'x'],
    [null, -9223372036854775808n, null, null, null, Infinity, null],
    [null, null, false, -128, 7, -2.5, 'y'],
    [null, 5n, null, 1, 1, NaN, 'z'],
  ]);
  await t.rejects(csvSource([tmp(t, 'a\n')], {}, schemaOf([['a', Types.array(Types.int())]])), { code: 'ERR_KINDLING_SCHEMA', message: /^csv: column a has type array<int>, which the CSV data source cannot read/ });
  await t.rejects(csvSource([tmp(t, 'a\n')], {}, schemaOf([['_corrupt_record', Types.int()]])), { message: /^csv: the corrupt record column _corrupt_record must be a nullable string, got int$/ });
});

t.test('parse modes: PERMISSIVE partial results, DROPMALFORMED, FAILFAST', async (t) => {
  const content = 'id,price,name\n1,10,a\n2,abc,b\n3,30\n4,40,d,extra\n5,"50,e\n6,60,f\n';
  const file = tmp(t, content);
  const schema = schemaOf([['id', Types.int()], ['price', Types.int()], ['name', Types.string()]]);
  const withCorrupt = schemaOf([['id', Types.int()], ['price', Types.int()], ['name', Types.string()], ['_corrupt_record', Types.string()]]);
  t.same((await collect(file, { header: true }, schema)).rows, [
    [1, 10, 'a'], [2, null, 'b'], [3, 30, null], [4, 40, 'd'], [5, null, null], [6, 60, 'f'],
  ], 'bad fields are null, short rows padded, long rows cut');
  t.same((await collect(file, { header: true, mode: 'permissive' }, withCorrupt)).rows, [
    [1, 10, 'a', null], [2, null, 'b', '2,abc,b'], [3, 30, null, '3,30'], [4, 40, 'd', '4,40,d,extra'], [5, null, null, '5,"50,e'], [6, 60, 'f', null],
  ], 'the raw record goes to the corrupt-record column');
  const renamed = schemaOf([['id', Types.int()], ['bad', Types.string()], ['price', Types.int()], ['name', Types.string()]]);
  t.same((await collect(file, { header: true, columnNameOfCorruptRecord: 'bad' }, renamed, { columns: ['bad', 'id'] })).rows.slice(0, 3), [[null, 1], [null, 2], ['3,30', 3]],
    'only the selected columns are parsed (Spark column pruning): the unselected bad price does not make row 2 malformed');
  t.same((await collect(file, { header: true, mode: 'DROPMALFORMED' }, schema)).rows, [[1, 10, 'a'], [6, 60, 'f']]);
  await t.rejects(collect(file, { header: true, mode: 'FAILFAST' }, schema), {
    code: 'ERR_KINDLING_SCHEMA',
    message: new RegExp(`^csv: malformed record at ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} line 3: cannot parse "abc" as int for column price \\(mode FAILFAST\\)$`),
  });
  await t.rejects(collect(tmp(t, 'a,b\n1,2\n3\n'), { header: true, mode: 'FAILFAST' }), { message: /line 3: expected 2 fields, found 1 \(mode FAILFAST\)$/ });
  await t.rejects(collect(tmp(t, 'a,b\n1,"2\n3,4\n'), { header: true, mode: 'FAILFAST', multiLine: true }), {
    message: /line 2: unterminated quoted field in column b \(the quote is still open at the end of the file\) \(mode FAILFAST\)$/,
  });
  await t.rejects(collect(tmp(t, 'a,b\n1,"2\n'), { header: true, mode: 'FAILFAST' }), { message: /line 2: unterminated quoted field in column b \(a quoted value may span lines: set multiLine\)/ });
  await t.rejects(collect(tmp(t, 'a,b\n1,2,3,4\n'), { header: true, maxColumns: 3 }), { message: /^csv: record at .* line 2 has more than 3 columns \(option maxColumns\)$/ });
  const multi = await collect(tmp(t, 'a,b\n1,"x\ny"\n2,z\n\n3,"q'), { header: true, multiLine: true }, schemaOf([['a', Types.int()], ['b', Types.string()], ['_corrupt_record', Types.string()]]));
  t.same(multi.rows, [[1, 'x\ny', null], [2, 'z', null], [3, 'q', '3,"q']], 'line numbers and raw text follow multi-line records');
});

t.test('empty inputs', async (t) => {
  const empty = await collect(tmp(t, ''), { header: true, inferSchema: true });
  t.same(empty, { fields: [], rows: [], sizes: [] }, 'an empty file has an empty schema');
  const headerOnly = await collect(tmp(t, 'a,b\r\n'), { header: true, inferSchema: true });
  t.same(headerOnly, { fields: ['a:string', 'b:string'], rows: [], sizes: [] }, 'header only: all-null columns are string');
  const blank = await collect(tmp(t, '\n\n  \n'), {});
  t.same(blank.fields, []);
  const two = await collect([tmp(t, ''), tmp(t, 'x\n1\n')], { header: true, inferSchema: true });
  t.same(two, { fields: ['x:int'], rows: [[1]], sizes: [1] }, 'the header comes from the first non-empty file');
});

t.test('columns subset, batch boundaries, chunk boundaries', async (t) => {
  const file = tmp(t, 'a,b,c\n1,x,1.5\n2,y,2.5\n3,z,3.5\n4,w,4.5\n5,v,5.5\n');
  const opts = { header: true, inferSchema: true };
  const sub = await collect(file, opts, undefined, { columns: ['c', 'a'], batchSize: 2 });
  t.same(sub.rows, [[1.5, 1], [2.5, 2], [3.5, 3], [4.5, 4], [5.5, 5]]);
  t.same(sub.sizes, [2, 2, 1]);
  const src = await csvSource([file], opts);
  const first = await src.scan({ columns: ['c', 'a'] })[Symbol.asyncIterator]().next();
  t.same(first.value.schema.fields.map((f: arrow.Field) => f.name), ['c', 'a']);
  const none = await collect(file, opts, undefined, { columns: [], batchSize: 4 });
  t.same(none.sizes, [4, 1], 'no columns: row counts only');
  await t.rejects(async () => {
    for await (const _ of src.scan({ columns: ['nope'] }));
  }, { message: /^csv: unknown column "nope" in columns \(schema has: a, b, c\)$/ });
  await t.rejects(async () => {
    for await (const _ of src.scan({ batchSize: 0 }));
  }, { message: /^csv: expected an integer >= 1 for batchSize, got 0 \(number\)$/ });

  // every chunk size splits quotes, escapes, CRLF and multi-byte characters somewhere
  const tricky = '\ufeffid,txt,n\r\n1,"a ""quoted"", value",1.25\r\n2,"multi\r\nline ünïcödé",-3\r\n3,"back\\"slash",\r\n4,plain,1e3\r\n';
  const tf = tmp(t, tricky);
  const expected = await collect(tf, { header: true, inferSchema: true, multiLine: true });
  t.same(expected.rows, [[1, 'a "quoted", value', 1.25], [2, 'multi\nline ünïcödé', -3], [3, 'back"slash', null], [4, 'plain', 1000]]);
  for (let chunk = 1; chunk <= 24; chunk++) {
    const got = await collect(tf, { header: true, inferSchema: true, multiLine: true, _chunkSize: chunk });
    t.same(got, expected, `chunk size ${chunk}`);
  }
});

t.test('bytes that are not UTF-8 become U+FFFD', async (t) => {
  const file = tmp(t, Buffer.concat([Buffer.from('a\nok\nbad'), Buffer.from([0xff, 0xfe]), Buffer.from('x\n')]));
  t.same((await collect(file, { header: true })).rows, [['ok'], ['bad\ufffd\ufffdx']]);
});

t.test('option validation names the option and the value', async (t) => {
  const file = tmp(t, 'a\n1\n');
  const bad: [CsvOptions, RegExp][] = [
    [{ headr: true } as CsvOptions, /^csv: unknown option "headr" \(supported: .*header.*\)$/],
    [{ header: 'yes' }, /^csv: expected true or false \(a boolean or the string 'true'\/'false'\) for option header, got "yes" \(string\)$/],
    [{ inferSchema: 1 as unknown as boolean }, /for option inferSchema, got 1 \(number\)$/],
    [{ mode: 'LENIENT' }, /^csv: expected one of PERMISSIVE, DROPMALFORMED, FAILFAST for option mode, got "LENIENT" \(string\)$/],
    [{ quote: '""' }, /^csv: expected a single ASCII character, or '' to turn it off for option quote, got "\\"\\"" \(string\)$/],
    [{ sep: '' }, /^csv: expected a non-empty separator string for option sep, got "" \(string\)$/],
    [{ sep: '\\' }, /for option sep, got "\\\\" \(string\)$/],
    [{ samplingRatio: 0 }, /^csv: expected a number in \(0, 1\] for option samplingRatio, got 0 \(number\)$/],
    [{ encoding: 'latin1' }, /^csv: expected UTF-8 \(the only encoding supported\) for option encoding, got "latin1" \(string\)$/],
    [{ dateFormat: 'yyyy-ww' }, /^csv: expected a datetime pattern \(unsupported letter 'w'.*\) for option dateFormat, got "yyyy-ww" \(string\)$/],
    [{ nullValue: 0 as unknown as string }, /^csv: expected a string for option nullValue, got 0 \(number\)$/],
    [{ lineSep: '\n\n' }, /for option lineSep/],
    [{ timeZone: 'America/New_York' }, /^csv: expected UTC \(timestamps are read and written in UTC only\) for option timeZone, got "America\/New_York" \(string\)$/],
  ];
  for (const [opts, re] of bad) await t.rejects(csvSource([file], opts), { code: 'ERR_KINDLING_INVALID_ARG', message: re }, JSON.stringify(opts));
  await t.rejects(csvSource([path.join(FIX, 'missing.csv')]), { code: 'ERR_KINDLING_INVALID_ARG', message: /^csv: file not found: .*missing\.csv$/ });
  await t.rejects(csvSource([FIX]), { message: /^csv: expected a file, got a directory: / });
  await t.rejects(csvSource('a.csv' as unknown as string[]), { message: /^csv: expected an array of file paths for paths/ });
  const hdr = tmp(t, 'x,y\n1,2\n');
  await t.rejects(collect(hdr, { header: true, enforceSchema: false }, schemaOf([['x', Types.int()], ['z', Types.int()]])), {
    code: 'ERR_KINDLING_SCHEMA', message: /^csv: the header of .* does not conform to the schema: expected z but found y in column 1/,
  });
  t.same((await collect(hdr, { header: true, enforceSchema: false }, schemaOf([['X', Types.int()], ['Y', Types.int()]]))).rows, [[1, 2]], 'header check is case-insensitive');
});

t.test('javaDoubleString / javaFloatString match Java', async (t) => {
  const cases: [number, string][] = [
    [1, '1.0'], [0, '0.0'], [-0, '-0.0'], [1.5, '1.5'], [100, '100.0'], [0.001, '0.001'], [0.0001, '1.0E-4'], [1234567, '1234567.0'],
    [1e7, '1.0E7'], [12345678.9, '1.23456789E7'], [1e10, '1.0E10'], [-2.5e-5, '-2.5E-5'], [0.1 + 0.2, '0.30000000000000004'],
    [NaN, 'NaN'], [Infinity, 'Infinity'], [-Infinity, '-Infinity'], [Number.MAX_VALUE, '1.7976931348623157E308'], [5e-324, '4.9E-324'], [1e21, '1.0E21'],
  ];
  for (const [x, s] of cases) t.equal(javaDoubleString(x), s, String(x));
  t.equal(javaFloatString(0.1), '0.1');
  t.equal(javaFloatString(1 / 3), '0.33333334');
  t.equal(javaFloatString(1e10), '1.0E10');
  t.equal(javaFloatString(16777216), '1.6777216E7');
});

async function writeRead(t: TestLike, schema: arrow.Schema, cols: arrow.Data[], n: number, options?: CsvWriteOptions): Promise<string> {
  const file = tmp(t, '').replace(/\.csv$/, `-w${n}.csv`);
  const data = arrow.makeData({ type: new arrow.Struct(schema.fields), length: cols[0]!.length, nullCount: 0, children: cols });
  await writeCsvPart(file, schema, [new arrow.RecordBatch(schema, data)], options);
  return fs.readFileSync(file, 'utf8');
}

const strings = (xs: (string | null)[]) => arrow.vectorFromArray(xs, new arrow.Utf8()).data[0]!;

t.test('writer: Spark defaults for quoting, nulls, numbers, dates and timestamps', async (t) => {
  const schema = schemaOf([['s', Types.string()], ['d', Types.double()], ['i', Types.int()], ['l', Types.bigint()], ['b', Types.boolean()], ['day', Types.date()], ['ts', Types.timestamp()], ['f', Types.float()]]);
  const cols = [
    strings(['plain', 'a,b', 'say "hi"', 'back\\slash', 'back\\sl"ash', '  padded  ', '', null, 'line\nbreak', '"starts']),
    arrow.vectorFromArray([1, 1e10, NaN, -0.5, 1e-4, Infinity, 0, null, 123456789, 0.1], new arrow.Float64()).data[0]!,
    arrow.vectorFromArray([1, -2, 3, 4, 5, 6, 7, null, 9, 10], new arrow.Int32()).data[0]!,
    arrow.vectorFromArray([1n, 2n ** 62n, -3n, 4n, 5n, 6n, 7n, null, 9n, 10n], new arrow.Int64()).data[0]!,
    arrow.vectorFromArray([true, false, true, false, true, false, true, null, true, false], new arrow.Bool()).data[0]!,
    arrow.makeData({ type: new arrow.DateDay(), length: 10, nullCount: 0, data: new Int32Array([19737, 0, -1, 1, 2, 3, 4, 5, 6, 7]) }),
    arrow.makeData({ type: new arrow.TimestampMicrosecond('UTC'), length: 10, nullCount: 0, data: new BigInt64Array([1705314600123456n, 0n, -1n, 1n, 2n, 3n, 4n, 5n, 6n, 7n]) }),
    arrow.vectorFromArray([0.1, 1, 2, 3, 4, 5, 6, 7, 8, 9], new arrow.Float32()).data[0]!,
  ];
  const text = await writeRead(t, schema, cols, 0, { header: 'true' });
  t.equal(text, [
    's,d,i,l,b,day,ts,f',
    'plain,1.0,1,1,true,2024-01-15,2024-01-15T10:30:00.123Z,0.1',
    '"a,b",1.0E10,-2,4611686018427387904,false,1970-01-01,1970-01-01T00:00:00.000Z,1.0',
    '"say \\"hi\\"",NaN,3,-3,true,1969-12-31,1969-12-31T23:59:59.999Z,2.0',
    'back\\slash,-0.5,4,4,false,1970-01-02,1970-01-01T00:00:00.000Z,3.0',
    '"back\\\\sl\\"ash",1.0E-4,5,5,true,1970-01-03,1970-01-01T00:00:00.000Z,4.0',
    'padded,Infinity,6,6,false,1970-01-04,1970-01-01T00:00:00.000Z,5.0',
    '"",0.0,7,7,true,1970-01-05,1970-01-01T00:00:00.000Z,6.0',
    ',,,,,1970-01-06,1970-01-01T00:00:00.000Z,7.0',
    '"line\nbreak",1.23456789E8,9,9,true,1970-01-07,1970-01-01T00:00:00.000Z,8.0',
    '"\\"starts",0.1,10,10,false,1970-01-08,1970-01-01T00:00:00.000Z,9.0',
    '',
  ].join('\n'));
  const s1 = schemaOf([['s', Types.string()], ['n', Types.int()]]);
  const c1 = [strings(['a', null, 'x"y', '']), arrow.vectorFromArray([1, null, 3, 4], new arrow.Int32()).data[0]!];
  t.equal(await writeRead(t, s1, c1, 1, {}), 'a,1\n,\nx"y,3\n"",4\n'.replace('x"y', '"x\\"y"'), 'no header by default');
  t.equal(await writeRead(t, s1, c1, 2, { quoteAll: true }), '"a","1"\n"",""\n"x\\"y","3"\n"","4"\n');
  t.equal(await writeRead(t, s1, c1, 3, { nullValue: 'NA', emptyValue: 'EMPTY', escapeQuotes: false, sep: ';' }), 'a;1\nNA;NA\nx"y;3\nEMPTY;4\n');
  t.equal(await writeRead(t, s1, c1, 4, { ignoreLeadingWhiteSpace: false, lineSep: '\r\n', dateFormat: 'dd/MM/yyyy' }), 'a,1\r\n,\r\n"x\\"y",3\r\n"",4\r\n');
  const dts = schemaOf([['d', Types.date()], ['t', Types.timestamp()]]);
  const dc = [
    arrow.makeData({ type: new arrow.DateDay(), length: 1, nullCount: 0, data: new Int32Array([19737]) }),
    arrow.makeData({ type: new arrow.TimestampMicrosecond('UTC'), length: 1, nullCount: 0, data: new BigInt64Array([1705314600123456n]) }),
  ];
  t.equal(await writeRead(t, dts, dc, 5, { dateFormat: 'dd/MM/yyyy', timestampFormat: 'yyyy-MM-dd HH:mm:ss.SSSSSS' }), '15/01/2024,2024-01-15 10:30:00.123456\n');
  const dict = arrow.vectorFromArray(['x', 'y', 'x'], new arrow.Dictionary(new arrow.Utf8(), new arrow.Int32()));
  t.equal(await writeRead(t, new arrow.Schema([new arrow.Field('k', dict.type, true)]), [dict.data[0]!], 6), 'x\ny\nx\n', 'dictionary-encoded strings');
  const listSchema = schemaOf([['a', Types.array(Types.int())]]);
  await t.rejects(writeCsvPart(tmp(t, ''), listSchema, []), { code: 'ERR_KINDLING_SCHEMA', message: /^csv: cannot write column a of type array<int> \(the CSV data source supports atomic types only\)$/ });
  await t.rejects(writeCsvPart(tmp(t, ''), s1, [], { compression: 'gzip' }), { message: /for option compression, got "gzip"/ });
});

t.test('round trip: write then read gives the same values', async (t) => {
  const schema = schemaOf([['s', Types.string()], ['d', Types.double()], ['i', Types.int()], ['l', Types.bigint()], ['b', Types.boolean()], ['day', Types.date()], ['ts', Types.timestamp()]]);
  const cols = [
    strings(['a,b', 'q"uote', 'multi\nline', 'ünï', null, 'back\\slash']),
    arrow.vectorFromArray([1.5, -2.25e-7, NaN, 1e300, null, 0.1 + 0.2], new arrow.Float64()).data[0]!,
    arrow.vectorFromArray([1, -2147483648, 2147483647, 0, null, 5], new arrow.Int32()).data[0]!,
    arrow.vectorFromArray([2n ** 63n - 1n, -(2n ** 63n), 0n, 1n, null, 9007199254740993n], new arrow.Int64()).data[0]!,
    arrow.vectorFromArray([true, false, true, false, null, true], new arrow.Bool()).data[0]!,
    arrow.makeData({ type: new arrow.DateDay(), length: 6, nullCount: 1, nullBitmap: new Uint8Array([0b101111]), data: new Int32Array([19737, -719162, 2932896, 0, 0, 1]) }),
    arrow.makeData({ type: new arrow.TimestampMicrosecond('UTC'), length: 6, nullCount: 1, nullBitmap: new Uint8Array([0b101111]), data: new BigInt64Array([1705314600123000n, -1000n, 0n, 86_400_000_000n, 0n, 1n]) }),
  ];
  const file = tmp(t, '');
  const data = arrow.makeData({ type: new arrow.Struct(schema.fields), length: 6, nullCount: 0, children: cols });
  await writeCsvPart(file, schema, (async function* () { yield new arrow.RecordBatch(schema, data); })(), { header: true });
  const back = await collect(file, { header: true, multiLine: true }, schema);
  t.same(back.rows, [
    ['a,b', 1.5, 1, 9223372036854775807n, true, '2024-01-15', '2024-01-15T10:30:00.123000Z'],
    ['q"uote', -2.25e-7, -2147483648, -9223372036854775808n, false, '0001-01-01', '1969-12-31T23:59:59.999000Z'],
    ['multi\nline', NaN, 2147483647, 0n, true, '9999-12-31', '1970-01-01T00:00:00.000000Z'],
    ['ünï', 1e300, 0, 1n, false, '1970-01-01', '1970-01-02T00:00:00.000000Z'],
    [null, null, null, null, null, null, null],
    ['back\\slash', 0.30000000000000004, 5, 9007199254740993n, true, '1970-01-02', '1970-01-01T00:00:00.000000Z'],
  ], 'timestamps keep milliseconds (the default write format has .SSS)');
  const inferred = await collect(file, { header: true, multiLine: true, inferSchema: true });
  t.same(inferred.fields, ['s:string', 'd:double', 'i:int', 'l:bigint', 'b:boolean', 'day:date', 'ts:timestamp']);
});

t.test('line numbers count blank, comment and multi-line records; metadata; filters are hints', async (t) => {
  const file = tmp(t, 'a,b\r\n\r\n# note\r\n1,"x\r\ny"\r\n2,z\r\nbad,w\r\n');
  await t.rejects(collect(file, { header: true, comment: '#', multiLine: true, mode: 'FAILFAST' }, schemaOf([['a', Types.int()], ['b', Types.string()]])), {
    message: /line 7: cannot parse "bad" as int for column a \(mode FAILFAST\)$/,
  });
  t.same((await collect(file, { header: true, comment: '#', multiLine: true, lineSep: '\r\n' })).rows, [['1', 'x\ny'], ['2', 'z'], ['bad', 'w']]);
  const src = await csvSource([file, file], { header: true, comment: '#', multiLine: true });
  t.equal(src.description, `csv [${file}, ${file}]`);
  t.same(src.files, [file, file]);
  let rows = 0;
  for await (const b of src.scan({ filters: [{ column: 'a', op: '=', value: '2' }] })) rows += b.numRows;
  t.equal(rows, 6, 'filters never drop rows (the engine re-applies them)');
});

t.test('custom escape, quoted header names, comment char inside a multi-line value', async (t) => {
  const r = await collect(tmp(t, '"id,x","na""me"\n1,"a|"b||c\\d"\n'), { header: true, escape: '|' });
  t.same(r.fields, ['id,x:string', 'na"me:string']);
  t.same(r.rows, [['1', 'a"b|c\\d']]);
  const m = await collect(tmp(t, 'a,b\n1,"first\n# not a comment"\n# a comment\n2,x\n'), { header: true, multiLine: true, comment: '#' });
  t.same(m.rows, [['1', 'first\n# not a comment'], ['2', 'x']]);
  const ints = await collect(tmp(t, 'a\n""\n" 7"\n'), { header: true }, schemaOf([['a', Types.int()]]));
  t.same(ints.rows, [[null], [null]], 'a quoted empty is null; " 7" does not parse as int (no trimming)');
});
