// JSON-lines reader and writer: Spark 3.5's JsonInferSchema, JacksonParser and JacksonGenerator
// behaviour, parse modes, streaming and errors, checked with exact values.
import t from 'tap';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as arrow from 'apache-arrow';
import { jsonSource, writeJsonPart, type JsonOptions, type JsonWriteOptions } from '../../../ts/src/io/json/index.js';
import type { ScanOptions } from '../../../ts/src/io/source.js';
import { Types, sparkTypeName } from '../../../ts/src/dataframe/types.js';

const FIX = path.join(import.meta.dirname, '../../fixtures/io');

/** Plain rendering: null, number, bigint, string, boolean, 'YYYY-MM-DD', ISO micros, arrays, objects. */
function cell(data: arrow.Data, i: number): unknown {
  const j = data.offset + i;
  const bm = data.nullBitmap;
  if (bm && bm.length > 0 && ((bm[j >> 3]! >> (j & 7)) & 1) === 0) return null;
  const type = data.type;
  if (arrow.DataType.isDate(type)) return new Date((data.values as Int32Array)[j]! * 86_400_000).toISOString().slice(0, 10);
  if (arrow.DataType.isTimestamp(type)) {
    const us = (data.values as BigInt64Array)[j]!;
    const frac = String(((us % 1_000_000n) + 1_000_000n) % 1_000_000n).padStart(6, '0');
    return `${new Date(Number(us / 1000n)).toISOString().slice(0, 19)}.${frac}Z`;
  }
  if (arrow.DataType.isList(type)) {
    const o = data.valueOffsets as Int32Array;
    const out: unknown[] = [];
    for (let k = o[j]!; k < o[j + 1]!; k++) out.push(cell(data.children[0]!, k));
    return out;
  }
  if (arrow.DataType.isStruct(type)) {
    const out: Record<string, unknown> = {};
    type.children.forEach((f, k) => { out[f.name] = cell(data.children[k]!, i); });
    return out;
  }
  if (arrow.DataType.isBinary(type)) return Buffer.from(arrow.makeVector(data).get(i) as Uint8Array).toString('hex');
  return arrow.makeVector(data).get(i);
}

interface Result { fields: string[]; rows: unknown[][]; sizes: number[] }

async function collect(file: string | string[], options?: JsonOptions, schema?: arrow.Schema, scan?: ScanOptions): Promise<Result> {
  const src = await jsonSource(Array.isArray(file) ? file : [file], options, schema);
  const rows: unknown[][] = [];
  const sizes: number[] = [];
  for await (const b of src.scan(scan)) {
    sizes.push(b.numRows);
    for (let i = 0; i < b.numRows; i++) rows.push(b.data.children.map((c) => cell(c, i)));
  }
  return { fields: src.schema.fields.map((f) => `${f.name}:${sparkTypeName(f.type)}`), rows, sizes };
}

type TestLike = { testdir(): string };
let n = 0;
const dirs = new WeakMap<object, string>();
function tmp(t: TestLike, content: string | Uint8Array): string {
  let dir = dirs.get(t);
  if (dir === undefined) dirs.set(t, (dir = t.testdir()));
  const file = path.join(dir, `f${n++}.json`);
  fs.writeFileSync(file, content);
  return file;
}

const schemaOf = (spec: [string, arrow.DataType][]) => new arrow.Schema(spec.map(([nm, ty]) => new arrow.Field(nm, ty, true)));
const struct = (spec: [string, arrow.DataType][]) => new arrow.Struct(spec.map(([nm, ty]) => new arrow.Field(nm, ty, true)));

t.test('inference: fixture with nested values, fields sorted by name', async (t) => {
  const r = await collect(path.join(FIX, 'people.jsonl'));
  t.same(r.fields, ['address:struct<city:string,zip:string>', 'extra:boolean', 'id:bigint', 'name:string', 'score:double', 'tags:array<string>']);
  t.same(r.rows, [
    [{ city: 'Oslo', zip: '0150' }, null, 1n, 'Ann', 3.5, ['a', 'b']],
    [null, null, 2n, 'Bob', 7, []],
    [null, true, 3n, null, null, null],
  ]);
});

t.test("inference follows JsonInferSchema's merge rules", async (t) => {
  const lines = [
    '{"l":1,"d":1,"mix":1,"s":"x","e":"","n":null,"arr":[1,2.5],"empty":[],"o":{},"conf":{"a":1},"big":9223372036854775807,"huge":92233720368547758070,"b":true,"neg":-0}',
    '{"l":2,"d":2.0,"mix":"one","s":"y","e":"","n":null,"arr":[],"empty":[],"o":{},"conf":[1],"big":-9223372036854775808,"huge":1,"b":false,"neg":1e2}',
    '',
    '   ',
    '{"nested":{"z":1,"a":{"y":[{"q":1},{"r":"s"}]}}}',
  ];
  const r = await collect(tmp(t, lines.join('\n')));
  t.same(r.fields, [
    'arr:array<double>', 'b:boolean', 'big:bigint', 'conf:string', 'd:double', 'e:string', 'empty:array<string>', 'huge:double', 'l:bigint', 'mix:string',
    'n:string', 'neg:double', 'nested:struct<a:struct<y:array<struct<q:bigint,r:string>>>,z:bigint>', 's:string',
  ], 'null/"" columns → string, empty arrays → array<string>, empty structs dropped, conflicts → string');
  t.same(r.rows[0], [[1, 2.5], true, 9223372036854775807n, '{"a":1}', 1, '', [], 92233720368547758070, 1n, '1', null, 0, null, 'x']);
  t.same(r.rows[1], [[], false, -9223372036854775808n, '[1]', 2, '', [], 1, 2n, 'one', null, 100, null, 'y']);
  t.same(r.rows[2]![12], { a: { y: [{ q: 1n, r: null }, { q: null, r: 's' }] }, z: 1n });
  const pas = await collect(tmp(t, '{"a":1,"b":true,"c":1.50,"d":{"e":2}}\n'), { primitivesAsString: 'true' });
  t.same(pas.fields, ['a:string', 'b:string', 'c:string', 'd:struct<e:string>']);
  t.same(pas.rows, [['1', 'true', '1.50', { e: '2' }]], 'numbers keep their JSON text');
  const top = await collect(tmp(t, '[{"a":1},{"b":"x"}]\n[]\n{"a":3}\n'));
  t.same(top.fields, ['a:bigint', 'b:string']);
  t.same(top.rows, [[1n, null], [null, 'x'], [3n, null]], 'a top-level array holds one record per element');
});

t.test('corrupt records in inference and reading, by mode', async (t) => {
  const file = tmp(t, '{"a":1,"b":"x"}\n{"a":2,\n{"a":"three","b":"y"}\n42\n{"a":4}\n');
  const p = await collect(file);
  t.same(p.fields, ['_corrupt_record:string', 'a:string', 'b:string']);
  t.same(p.rows, [[null, '1', 'x'], ['{"a":2,', null, null], [null, 'three', 'y'], ['42', null, null], [null, '4', null]]);
  const d = await collect(file, { mode: 'DROPMALFORMED' });
  t.same(d.fields, ['a:string', 'b:string']);
  t.same(d.rows, [['1', 'x'], ['three', 'y'], ['4', null]]);
  await t.rejects(collect(file, { mode: 'FAILFAST' }), {
    code: 'ERR_KINDLING_SCHEMA',
    message: /^json: malformed record at .*f\d+\.json line 2: expected a field name: unexpected end of input at position 8 \(mode FAILFAST\)$/,
  });
  const renamed = await collect(file, { columnNameOfCorruptRecord: 'oops' });
  t.equal(renamed.fields[2], 'oops:string');

  const schema = schemaOf([['a', Types.bigint()], ['b', Types.string()], ['_corrupt_record', Types.string()]]);
  t.same((await collect(file, {}, schema)).rows, [
    [1n, 'x', null], [null, null, '{"a":2,'], [null, 'y', '{"a":"three","b":"y"}'], [null, null, '42'], [4n, null, null],
  ], 'partial results: the field that fails is null, the others keep their values');
  t.same((await collect(file, { mode: 'DROPMALFORMED' }, schema)).rows, [[1n, 'x', null], [4n, null, null]]);
  await t.rejects(collect(file, { mode: 'failfast' }, schemaOf([['a', Types.bigint()], ['b', Types.string()]])), {
    message: /line 2: expected a field name: unexpected end of input at position 8 \(mode FAILFAST\)$/,
  });
  await t.rejects(collect(tmp(t, '{"a":1}\n{"a":"x"}\n'), { mode: 'FAILFAST' }, schemaOf([['a', Types.bigint()]])), {
    message: /line 2: cannot parse "x" as bigint for column a \(mode FAILFAST\)$/,
  });
  const bad = await collect(tmp(t, Buffer.concat([Buffer.from('{"a":"ok"}\n{"a":"'), Buffer.from([0xff]), Buffer.from('"}\n')])), {}, schemaOf([['a', Types.string()], ['_corrupt_record', Types.string()]]));
  t.same(bad.rows, [['ok', null], [null, '{"a":"\ufffd"}']], 'invalid UTF-8 makes the record malformed');
});

t.test('reading with a schema: conversions as JacksonParser does', async (t) => {
  const schema = schemaOf([
    ['i', Types.int()], ['l', Types.bigint()], ['d', Types.double()], ['f', Types.float()], ['b', Types.boolean()], ['s', Types.string()],
    ['day', Types.date()], ['ts', Types.timestamp()], ['arr', Types.array(Types.int())], ['st', struct([['x', Types.double()], ['y', Types.string()]])], ['bin', Types.binary()],
  ]);
  const lines = [
    '{"i":1,"l":9007199254740993,"d":1,"f":0.1,"b":true,"s":"x","day":"2024-01-15","ts":"2024-01-15T10:30:00.123456Z","arr":[1,null,3],"st":{"x":1.5,"y":"q","z":0},"bin":"AQID"}',
    "{'i':-2,'s':{\"k\":[1,2.50,\"v\",null,true]},'d':\"NaN\",'f':\"-Infinity\",'ts':1700000000,'day':\"2024-1-5\",'arr':[],'st':null}",
    '{"i":2147483648,"l":"5","d":NaN,"b":"true","s":12.50,"day":"123","ts":"2024-01-15 10:30","arr":[1.5],"st":{"x":"1"},"bin":"!!"}',
    '{"i":1.0,"d":-Infinity,"s":-0,"day":"","ts":"bad","s":"dup"}',
  ];
  const r = await collect(tmp(t, lines.join('\n')), {}, schema);
  t.same(r.rows, [
    [1, 9007199254740993n, 1, Math.fround(0.1), true, 'x', '2024-01-15', '2024-01-15T10:30:00.123456Z', [1, null, 3], { x: 1.5, y: 'q' }, '010203'],
    [-2, null, NaN, -Infinity, null, '{"k":[1,2.50,"v",null,true]}', '2024-01-05', '2023-11-14T22:13:20.000000Z', [], null, null],
    [null, null, NaN, null, null, '12.50', '1970-05-04', '2024-01-15T10:30:00.000000Z', null, null, null],
    [null, null, -Infinity, null, null, 'dup', null, null, null, null, null],
  ]);
  const fmt = await collect(tmp(t, '{"d":"15/01/2024","t":"15/01/2024 10:30"}\n{"d":"2024-01-15","t":"2024-01-15T10:30:00"}\n'), { dateFormat: 'dd/MM/yyyy', timestampFormat: 'dd/MM/yyyy HH:mm' }, schemaOf([['d', Types.date()], ['t', Types.timestamp()]]));
  t.same(fmt.rows, [['2024-01-15', '2024-01-15T10:30:00.000000Z'], [null, null]], 'a custom format has no lenient fallback');
  await t.rejects(jsonSource([tmp(t, '{}')], {}, schemaOf([['m', new arrow.Map_(new arrow.Field('entries', struct([['key', Types.string()], ['value', Types.int()]]), false))]])), {
    code: 'ERR_KINDLING_SCHEMA', message: /^json: column m has type map<string,int>, which the JSON data source cannot read$/,
  });
});

t.test('multiLine: each file is one document', async (t) => {
  const file = tmp(t, '[\n  {"a": 1,\n   "b": [1, 2]},\n  {"a": 2}\n]\n');
  const r = await collect(file, { multiLine: true });
  t.same(r.fields, ['a:bigint', 'b:array<bigint>']);
  t.same(r.rows, [[1n, [1n, 2n]], [2n, null]]);
  const obj = await collect([tmp(t, '{\n"x": "y"\n}'), tmp(t, '')], { multiLine: 'true' });
  t.same(obj.rows, [['y']]);
  const lines = await collect(file);
  t.same(lines.fields, ['_corrupt_record:string', 'a:bigint'], 'without multiLine every line is a record (line 4 is a whole object)');
});

t.test('empty inputs, columns, batches and chunk boundaries', async (t) => {
  t.same(await collect(tmp(t, '')), { fields: [], rows: [], sizes: [] });
  t.same(await collect(tmp(t, '\n\n{}\n')), { fields: [], rows: [[]], sizes: [1] }, 'only empty objects: empty schema, one row per object');
  const file = tmp(t, '\ufeff{"a":1,"b":"ü"}\r\n{"a":2,"b":"x"}\r\n{"a":3,"b":"y"}\n{"a":4,"b":"z"}\r{"a":5,"b":"w"}');
  const sub = await collect(file, {}, undefined, { columns: ['b', 'a'], batchSize: 2 });
  t.same(sub.rows, [['ü', 1n], ['x', 2n], ['y', 3n], ['z', 4n], ['w', 5n]]);
  t.same(sub.sizes, [2, 2, 1]);
  t.same((await collect(file, {}, undefined, { columns: [] })).sizes, [5]);
  const full = await collect(file);
  for (let chunk = 1; chunk <= 12; chunk++) t.same(await collect(file, { _chunkSize: chunk }), full, `chunk size ${chunk}`);
  const src = await jsonSource([file]);
  await t.rejects(async () => {
    for await (const _ of src.scan({ columns: ['c'] }));
  }, { message: /^json: unknown column "c" in columns \(schema has: a, b\)$/ });
});

t.test('option validation and file errors', async (t) => {
  const file = tmp(t, '{"a":1}\n');
  await t.rejects(jsonSource([file], { multiline: 'maybe' } as JsonOptions), { message: /^json: expected true or false .* for option multiline, got "maybe" \(string\)$/ });
  await t.rejects(jsonSource([file], { prefersDecimal: true } as JsonOptions), { message: /^json: unknown option "prefersDecimal" \(supported: / });
  await t.rejects(jsonSource([file], { samplingRatio: 2 }), { message: /^json: expected a number in \(0, 1\] for option samplingRatio, got 2 \(number\)$/ });
  await t.rejects(jsonSource([path.join(FIX, 'nope.json')]), { code: 'ERR_KINDLING_INVALID_ARG', message: /^json: file not found: .*nope\.json$/ });
  const deep = tmp(t, '['.repeat(2000) + ']'.repeat(2000) + '\n{"a":1}\n');
  t.same((await collect(deep)).rows, [['[' .repeat(2000) + ']'.repeat(2000), null], [null, 1n]], 'nesting beyond 1000 levels is a corrupt record, not a crash');
  t.same((await collect(tmp(t, '{"a":1} trailing\n'))).rows, [[1n]], 'text after the value is ignored, as Jackson does');
});

function batchOf(schema: arrow.Schema, cols: arrow.Data[]): arrow.RecordBatch {
  return new arrow.RecordBatch(schema, arrow.makeData({ type: new arrow.Struct(schema.fields), length: cols[0]!.length, nullCount: 0, children: cols }));
}

async function written(t: TestLike, schema: arrow.Schema, cols: arrow.Data[], options?: JsonWriteOptions): Promise<string> {
  const file = tmp(t, '');
  await writeJsonPart(file, schema, [batchOf(schema, cols)], options);
  return fs.readFileSync(file, 'utf8');
}

t.test('writer: Spark JSON output', async (t) => {
  const st = struct([['x', Types.double()], ['y', Types.string()]]);
  const schema = schemaOf([['s', Types.string()], ['d', Types.double()], ['l', Types.bigint()], ['b', Types.boolean()], ['day', Types.date()], ['ts', Types.timestamp()], ['arr', Types.array(Types.int())], ['st', st], ['f', Types.float()]]);
  const cols = [
    arrow.vectorFromArray(['a"b\\c\n\u0001é/', null, 'x'], new arrow.Utf8()).data[0]!,
    arrow.vectorFromArray([1, NaN, -Infinity], new arrow.Float64()).data[0]!,
    arrow.vectorFromArray([2n ** 62n, null, -1n], new arrow.Int64()).data[0]!,
    arrow.vectorFromArray([true, null, false], new arrow.Bool()).data[0]!,
    arrow.makeData({ type: new arrow.DateDay(), length: 3, nullCount: 1, nullBitmap: new Uint8Array([0b101]), data: new Int32Array([19737, 0, -1]) }),
    arrow.makeData({ type: new arrow.TimestampMicrosecond('UTC'), length: 3, nullCount: 1, nullBitmap: new Uint8Array([0b101]), data: new BigInt64Array([1705314600123456n, 0n, -1000n]) }),
    arrow.vectorFromArray([[1, null, 3], null, []], Types.array(Types.int())).data[0]!,
    arrow.vectorFromArray([{ x: 1e21, y: null }, null, { x: 0.5, y: 'q' }], st).data[0]!,
    arrow.vectorFromArray([0.1, null, 3], new arrow.Float32()).data[0]!,
  ];
  const text = await written(t, schema, cols);
  t.equal(text, [
    '{"s":"a\\"b\\\\c\\n\\u0001é/","d":1.0,"l":4611686018427387904,"b":true,"day":"2024-01-15","ts":"2024-01-15T10:30:00.123Z","arr":[1,null,3],"st":{"x":1.0E21},"f":0.1}',
    '{"d":"NaN"}',
    '{"s":"x","d":"-Infinity","l":-1,"b":false,"day":"1969-12-31","ts":"1969-12-31T23:59:59.999Z","arr":[],"st":{"x":0.5,"y":"q"},"f":3.0}',
    '',
  ].join('\n'));
  const kept = await written(t, schemaOf([['a', Types.int()], ['b', Types.string()]]), [arrow.vectorFromArray([1, null], new arrow.Int32()).data[0]!, arrow.vectorFromArray([null, 'x'], new arrow.Utf8()).data[0]!], { ignoreNullFields: 'false', lineSep: '\r\n' });
  t.equal(kept, '{"a":1,"b":null}\r\n{"a":null,"b":"x"}\r\n');
  const fmt = await written(t, schemaOf([['day', Types.date()]]), [arrow.makeData({ type: new arrow.DateDay(), length: 1, nullCount: 0, data: new Int32Array([19737]) })], { dateFormat: 'MM/dd/yyyy' });
  t.equal(fmt, '{"day":"01/15/2024"}\n');
  await t.rejects(writeJsonPart(tmp(t, ''), schema, [], { pretty: true } as JsonWriteOptions), { message: /^json: unknown option "pretty"/ });
});

t.test('round trip: write then read', async (t) => {
  const st = struct([['x', Types.double()], ['tags', Types.array(Types.string())]]);
  const schema = schemaOf([['id', Types.bigint()], ['name', Types.string()], ['score', Types.double()], ['ok', Types.boolean()], ['day', Types.date()], ['ts', Types.timestamp()], ['st', st]]);
  const cols = [
    arrow.vectorFromArray([9007199254740993n, -5n, null], new arrow.Int64()).data[0]!,
    arrow.vectorFromArray(['ünï "q"', null, '\t'], new arrow.Utf8()).data[0]!,
    arrow.vectorFromArray([0.1 + 0.2, NaN, 1e-300], new arrow.Float64()).data[0]!,
    arrow.vectorFromArray([true, false, null], new arrow.Bool()).data[0]!,
    arrow.makeData({ type: new arrow.DateDay(), length: 3, nullCount: 0, data: new Int32Array([19737, -719162, 2932896]) }),
    arrow.makeData({ type: new arrow.TimestampMicrosecond('UTC'), length: 3, nullCount: 0, data: new BigInt64Array([1705314600123000n, -1000n, 0n]) }),
    arrow.vectorFromArray([{ x: 1.5, tags: ['a', null] }, { x: null, tags: [] }, null], st).data[0]!,
  ];
  const file = tmp(t, '');
  await writeJsonPart(file, schema, (async function* () { yield batchOf(schema, cols); })());
  const back = await collect(file, {}, schema);
  t.same(back.rows, [
    [9007199254740993n, 'ünï "q"', 0.30000000000000004, true, '2024-01-15', '2024-01-15T10:30:00.123000Z', { x: 1.5, tags: ['a', null] }],
    [-5n, null, NaN, false, '0001-01-01', '1969-12-31T23:59:59.999000Z', { x: null, tags: [] }],
    [null, '\t', 1e-300, null, '9999-12-31', '1970-01-01T00:00:00.000000Z', null],
  ]);
  const inferred = await collect(file);
  t.same(inferred.fields, ['day:string', 'id:bigint', 'name:string', 'ok:boolean', 'score:string', 'st:struct<tags:array<string>,x:double>', 'ts:string'],
    'inference (no timestamp inference by default; NaN is written as a string so score becomes string)');
});

t.test('JSON parser options: dropFieldIfAllNull, allowSingleQuotes, allowNonNumericNumbers', async (t) => {
  const file = tmp(t, "{'a':1,\"n\":null,\"e\":[],\"d\":NaN}\n{\"a\":2,\"n\":null,\"d\":-Infinity}\n");
  t.same((await collect(file)).fields, ['a:bigint', 'd:double', 'e:array<string>', 'n:string']);
  t.same((await collect(file)).rows, [[1n, NaN, [], null], [2n, -Infinity, null, null]]);
  t.same((await collect(file, { dropFieldIfAllNull: true })).fields, ['a:bigint', 'd:double']);
  const strict = await collect(file, { allowSingleQuotes: false, allowNonNumericNumbers: 'false' });
  t.same(strict.fields, ['_corrupt_record:string']);
  t.same(strict.rows.map((r) => typeof r[0]), ['string', 'string']);
});
