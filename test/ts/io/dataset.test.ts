// Directories of part files: Spark's part names, hidden-file skipping when expanding paths, and
// atomic dataset writes in every save mode (a failing write leaves old data intact and no
// temporary directory behind).
import t from 'tap';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { randomUUID } from 'node:crypto';
import * as arrow from 'apache-arrow';
import { expandPaths, partFileName, writeDataset } from '../../../ts/src/io/dataset.js';
import { parquetSource, writeParquetPart } from '../../../ts/src/io/parquet/index.js';
import { Types } from '../../../ts/src/dataframe/types.js';

const UUID = '6186853f-2ac8-412e-96d0-40c4c8ab47ba';

/** Every entry of a directory tree (relative paths, sorted), hidden ones included. */
function tree(dir: string, rel = ''): string[] {
  const out: string[] = [];
  for (const e of readdirSync(join(dir, rel), { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    out.push(e.isDirectory() ? `${r}/` : r);
    if (e.isDirectory()) out.push(...tree(dir, r));
  }
  return out;
}

/** Leftover temporary or aside directories next to a dataset. */
function leftovers(parent: string): string[] {
  return readdirSync(parent).filter((n) => n.includes('.kindling-'));
}

t.test('partFileName is Spark\'s part-NNNNN-<uuid>-c000<ext>', async (t) => {
  t.equal(partFileName(0, UUID, '.snappy.parquet'), `part-00000-${UUID}-c000.snappy.parquet`);
  t.equal(partFileName(7, UUID, '.csv'), `part-00007-${UUID}-c000.csv`);
  t.equal(partFileName(123456, UUID, 'json'), `part-123456-${UUID}-c000.json`);
  t.equal(partFileName(1, UUID, ''), `part-00001-${UUID}-c000`);
  t.throws(() => partFileName(-1, UUID, '.csv'), { code: 'ERR_KINDLING_INVALID_ARG', message: /^partFileName: expected an integer >= 0 for index, got -1 \(number\)/ });
  t.throws(() => partFileName(1.5, UUID, '.csv'), { message: /index/ });
  t.throws(() => partFileName(0, '../x', '.csv'), { message: /uuid/ });
});

t.test('expandPaths: files as given, directories → data files in name order, hidden names skipped', async (t) => {
  const dir = t.testdir({
    ds: {
      '_SUCCESS': '',
      '._SUCCESS.crc': 'x',
      [`.part-00000-${UUID}-c000.snappy.parquet.crc`]: 'x',
      [`part-00001-${UUID}-c000.snappy.parquet`]: 'b',
      [`part-00000-${UUID}-c000.snappy.parquet`]: 'a',
      '_temporary': { '0': { 'part-00009.parquet': 'tmp' } },
      '.hidden': { 'part-x.parquet': 'h' },
      '_metadata': 'm',
    },
    parted: {
      'year=2021': { 'part-00000.parquet': '1' },
      'year=2020': { 'part-00000.parquet': '0', '_SUCCESS': '' },
      '_SUCCESS': '',
    },
    mixed: { 'part-00000.csv': 'a', 'part-00001.csv.gz': 'b', 'notes.txt': 'n', 'README': 'r' },
    plain: { 'part-00000': 'a', 'part-00001': 'b' },
    onlyMarkers: { '_SUCCESS': '', '.crc': '' },
    emptyDir: {},
    'single.parquet': 's',
    '_explicit.parquet': 'e',
  });
  const ds = join(dir, 'ds');
  t.same(await expandPaths('read.parquet', ds, '.parquet'), [join(ds, `part-00000-${UUID}-c000.snappy.parquet`), join(ds, `part-00001-${UUID}-c000.snappy.parquet`)]);
  t.same(await expandPaths('read.parquet', join(dir, 'parted')), [join(dir, 'parted/year=2020/part-00000.parquet'), join(dir, 'parted/year=2021/part-00000.parquet')], 'partition directories, in name order');
  t.same((await expandPaths('read.csv', join(dir, 'mixed'), '.csv')).map((p) => basename(p)), ['part-00000.csv', 'part-00001.csv.gz'], 'ext filters when kinds are mixed');
  t.same((await expandPaths('read.csv', join(dir, 'mixed'))).map((p) => basename(p)), ['README', 'notes.txt', 'part-00000.csv', 'part-00001.csv.gz'], 'no ext: every data file');
  t.same((await expandPaths('read.text', join(dir, 'plain'), '.csv')).map((p) => basename(p)), ['part-00000', 'part-00001'], 'no file has ext: nothing is filtered');
  t.same(await expandPaths('read.parquet', join(dir, 'single.parquet'), '.parquet'), [join(dir, 'single.parquet')]);
  t.same(await expandPaths('read.parquet', join(dir, '_explicit.parquet')), [join(dir, '_explicit.parquet')], 'a file named explicitly is read even if hidden');
  t.same(await expandPaths('read.parquet', [join(dir, 'single.parquet'), ds]), [join(dir, 'single.parquet'), join(ds, `part-00000-${UUID}-c000.snappy.parquet`), join(ds, `part-00001-${UUID}-c000.snappy.parquet`)], 'several paths, in order');

  await t.rejects(expandPaths('read.parquet', join(dir, 'nope')), { code: 'ERR_KINDLING_LOAD', message: /^read\.parquet: path does not exist: .*nope$/ });
  await t.rejects(expandPaths('read.parquet', [ds, join(dir, 'nope2')]), { message: /path does not exist: .*nope2$/ });
  await t.rejects(expandPaths('read.parquet', join(dir, 'onlyMarkers')), { code: 'ERR_KINDLING_LOAD', message: /^read\.parquet: no data files in directory .*onlyMarkers \(names starting with '_' or '\.' are skipped\)$/ });
  await t.rejects(expandPaths('read.csv', join(dir, 'emptyDir')), { message: /^read\.csv: no data files in directory .*emptyDir/ });
  await t.rejects(expandPaths('read.csv', []), { code: 'ERR_KINDLING_INVALID_ARG', message: /^read\.csv: expected a path or a non-empty array of paths for path/ });
});

function writer(parts: Record<string, string>, opts: { failAfter?: number } = {}): { fn: (dir: string) => Promise<void>; calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    fn: async (dir: string) => {
      calls.push(dir);
      let k = 0;
      for (const [name, body] of Object.entries(parts)) {
        if (opts.failAfter !== undefined && k === opts.failAfter) throw new RangeError('disk on fire');
        await writeFile(join(dir, name), body);
        k++;
      }
    },
  };
}

t.test('writeDataset: new path, _SUCCESS, temporary directory next to the target', async (t) => {
  const root = t.testdir();
  const target = join(root, 'nested', 'out');
  const w = writer({ [partFileName(0, UUID, '.csv')]: 'a', [partFileName(1, UUID, '.csv')]: 'b' });
  const files = await writeDataset('write.csv', target, 'errorifexists', w.fn);
  t.equal(w.calls.length, 1);
  t.match(basename(w.calls[0]!), /^\.out\.kindling-tmp-[0-9a-f]{12}$/, 'hidden temporary directory named after the target');
  t.equal(join(w.calls[0]!, '..'), join(root, 'nested'), 'in the target\'s parent (same filesystem, atomic rename)');
  t.same(tree(target), ['_SUCCESS', `part-00000-${UUID}-c000.csv`, `part-00001-${UUID}-c000.csv`]);
  t.same(files, [join(target, `part-00000-${UUID}-c000.csv`), join(target, `part-00001-${UUID}-c000.csv`)], 'the written data files, at their final paths');
  t.same(leftovers(join(root, 'nested')), []);
});

t.test('writeDataset: error / errorifexists refuse an existing path before writing anything', async (t) => {
  const root = t.testdir({ out: { 'part-00000.csv': 'old', '_SUCCESS': '' } });
  const target = join(root, 'out');
  for (const mode of ['error', 'errorifexists'] as const) {
    const w = writer({ 'part-00000-new.csv': 'new' });
    await t.rejects(writeDataset('write.csv', target, mode, w.fn), { code: 'ERR_KINDLING_INVALID_ARG', message: new RegExp(`^write\\.csv: path .*out already exists \\(mode '${mode}'; use mode 'overwrite' or 'append'\\)$`) });
    t.equal(w.calls.length, 0, `${mode}: writeParts never called`);
  }
  t.same(tree(target), ['_SUCCESS', 'part-00000.csv']);
  t.same(leftovers(root), []);
});

t.test('writeDataset: ignore does nothing when the path exists, writes otherwise', async (t) => {
  const root = t.testdir({ out: { 'part-00000.csv': 'old' } });
  const w = writer({ 'part-00000-new.csv': 'new' });
  t.same(await writeDataset('write.csv', join(root, 'out'), 'ignore', w.fn), []);
  t.equal(w.calls.length, 0);
  t.same(tree(join(root, 'out')), ['part-00000.csv']);
  const files = await writeDataset('write.csv', join(root, 'fresh'), 'ignore', w.fn);
  t.same(files, [join(root, 'fresh', 'part-00000-new.csv')]);
  t.same(leftovers(root), []);
});

t.test('writeDataset: overwrite replaces the directory (or a file) and leaves nothing aside', async (t) => {
  const root = t.testdir({ out: { 'part-00000-old.csv': 'old', 'part-00001-old.csv': 'old', '_SUCCESS': '', sub: { x: 'y' } }, file: 'just a file' });
  const target = join(root, 'out');
  const files = await writeDataset('write.csv', target, 'overwrite', writer({ 'part-00000-new.csv': 'new' }).fn);
  t.same(tree(target), ['_SUCCESS', 'part-00000-new.csv'], 'old parts gone, new in place');
  t.same(files, [join(target, 'part-00000-new.csv')]);
  t.equal(readFileSync(files[0]!, 'utf8'), 'new');
  await writeDataset('write.csv', join(root, 'file'), 'overwrite', writer({ 'p.csv': 'z' }).fn);
  t.ok(statSync(join(root, 'file')).isDirectory(), 'a file at the path is replaced by the dataset');
  await writeDataset('write.csv', join(root, 'new'), 'Overwrite' as never, writer({ 'p.csv': 'z' }).fn);
  t.same(tree(join(root, 'new')), ['_SUCCESS', 'p.csv'], 'modes are case-insensitive, like Spark');
  t.same(leftovers(root), []);
});

t.test('writeDataset: append adds parts next to the old ones, renaming collisions', async (t) => {
  const root = t.testdir({ out: { [partFileName(0, UUID, '.csv')]: 'old', 'part-00000-plain.csv': 'old2', '_SUCCESS': '' } });
  const target = join(root, 'out');
  const uuid2 = randomUUID();
  const files = await writeDataset('write.csv', target, 'append', writer({ [partFileName(0, uuid2, '.csv')]: 'new', [partFileName(0, UUID, '.csv')]: 'clash', 'part-00000-plain.csv': 'clash2' }).fn);
  t.equal(files.length, 3);
  t.ok(files.includes(join(target, partFileName(0, uuid2, '.csv'))), 'a fresh name is kept');
  const names = readdirSync(target).sort();
  t.equal(names.length, 6, '3 old (incl. _SUCCESS) + 3 new');
  t.equal(readFileSync(join(target, partFileName(0, UUID, '.csv')), 'utf8'), 'old', 'existing files are never overwritten');
  const clash = files.find((f) => readFileSync(f, 'utf8') === 'clash')!;
  t.match(basename(clash), /^part-00000-[0-9a-f-]{36}-c000\.csv$/, 'collision gets a new uuid');
  t.not(basename(clash), partFileName(0, UUID, '.csv'));
  const clash2 = files.find((f) => readFileSync(f, 'utf8') === 'clash2')!;
  t.match(basename(clash2), /^part-00000-plain-[0-9a-f]{12}\.csv$/, 'collision without a uuid gets a suffix');
  t.ok(existsSync(join(target, '_SUCCESS')));
  t.same(leftovers(root), []);
  // append to a missing path creates it
  t.same((await writeDataset('write.csv', join(root, 'fresh'), 'append', writer({ 'p.csv': '1' }).fn)).map((f) => basename(f)), ['p.csv']);
  // append to a file is refused
  writeFileSync(join(root, 'afile'), 'x');
  await t.rejects(writeDataset('write.csv', join(root, 'afile'), 'append', writer({}).fn), { message: /^write\.csv: cannot append to .*afile: it is a file, not a directory$/ });
});

t.test('writeDataset: a failure inside writeParts leaves old data intact and no temporary directory', async (t) => {
  for (const mode of ['overwrite', 'append', 'error', 'ignore'] as const) {
    const root = t.testdir({ old: { 'part-00000-old.csv': 'old', '_SUCCESS': '' } });
    const existing = mode === 'error' || mode === 'ignore' ? join(root, 'new') : join(root, 'old');
    const before = existsSync(existing) ? tree(existing) : null;
    const w = writer({ 'part-00000-new.csv': 'new', 'part-00001-new.csv': 'new' }, { failAfter: 1 });
    await t.rejects(writeDataset('write.csv', existing, mode, w.fn), { name: 'RangeError', message: 'disk on fire' }, `${mode}: the writer's error propagates unchanged`);
    t.equal(w.calls.length, 1);
    t.notOk(existsSync(w.calls[0]!), `${mode}: temporary directory removed`);
    t.same(leftovers(root), [], `${mode}: nothing left next to the target`);
    if (before) t.same(tree(existing), before, `${mode}: old data untouched`);
    else t.notOk(existsSync(existing), `${mode}: no half-written dataset`);
    t.equal(readFileSync(join(root, 'old', 'part-00000-old.csv'), 'utf8'), 'old');
  }
});

t.test('writeDataset: argument checks', async (t) => {
  const root = t.testdir();
  await t.rejects(writeDataset('write.csv', join(root, 'x'), 'upsert' as never, writer({}).fn), { code: 'ERR_KINDLING_INVALID_ARG', message: /^write\.csv: expected one of 'overwrite', 'append', 'error', 'errorifexists', 'ignore' for mode, got "upsert"/ });
  await t.rejects(writeDataset('write.csv', '', 'overwrite', writer({}).fn), { message: /for path/ });
  await t.rejects(writeDataset('write.csv', join(root, 'x'), 'overwrite', null as never), { message: /for writeParts/ });
  t.same(readdirSync(root), []);
});

t.test('parquet datasets end to end: write parts atomically, expand, read back', async (t) => {
  const root = t.testdir();
  const target = join(root, 'table');
  const schema = new arrow.Schema([new arrow.Field('id', Types.int(), false), new arrow.Field('name', Types.string(), true)]);
  const mkBatch = (from: number, n: number) => new arrow.RecordBatch(schema, arrow.makeData({
    type: new arrow.Struct(schema.fields), length: n, nullCount: 0,
    children: [arrow.vectorFromArray(Array.from({ length: n }, (_, i) => from + i), Types.int()).data[0]!, arrow.vectorFromArray(Array.from({ length: n }, (_, i) => `n${from + i}`), Types.string()).data[0]!],
  }));
  const writeTwo = (start: number) => async (dir: string) => {
    const uuid = randomUUID();
    await writeParquetPart(join(dir, partFileName(0, uuid, '.snappy.parquet')), schema, [mkBatch(start, 3)]);
    await writeParquetPart(join(dir, partFileName(1, uuid, '.snappy.parquet')), schema, [mkBatch(start + 3, 2)]);
  };
  await writeDataset('write.parquet', target, 'error', writeTwo(0));
  await writeDataset('write.parquet', target, 'append', writeTwo(100));
  mkdirSync(join(target, '_temporary'));
  writeFileSync(join(target, '.part-00000.crc'), 'crc');
  const files = await expandPaths('read.parquet', target, '.parquet');
  t.equal(files.length, 4);
  const src = await parquetSource(files);
  const ids: number[] = [];
  for await (const b of src.scan()) ids.push(...(b.getChild('id')!.toArray() as Int32Array));
  t.same(ids.sort((a, b) => a - b), [0, 1, 2, 3, 4, 100, 101, 102, 103, 104]);
  // overwrite while reading the old files lazily works: the old directory stays until the swap
  const old = await parquetSource(files);
  await writeDataset('write.parquet', target, 'overwrite', async (dir) => {
    const uuid = randomUUID();
    const batches: arrow.RecordBatch[] = [];
    for await (const b of old.scan()) batches.push(b);
    await writeParquetPart(join(dir, partFileName(0, uuid, '.snappy.parquet')), schema, batches);
  });
  const again = await parquetSource(await expandPaths('read.parquet', target, '.parquet'));
  let n = 0;
  for await (const b of again.scan()) n += b.numRows;
  t.equal(n, 10);
  t.same(leftovers(root), []);
});
