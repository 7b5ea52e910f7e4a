// The directory commit protocol (ts/src/io/commit.ts, docs/COMMIT.md): a writer killed after
// every step of a first write, an overwrite and an append leaves a path that reads as the old or
// the new complete version (exact files and contents); the next read and the next write recover
// an interrupted commit; temporaries of killed writers are removed by the next write in the
// parent once older than the grace period, never a live writer's; concurrent first appends (in
// one process and in two processes) all land; concurrent overwrites leave one complete version;
// a read that races a commit is read again.
import t from 'tap';
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';
import { COMMIT_STEPS, SimulatedCrash, commitDirectory, commitHooks, readStable, recoverDirectory, type CommitStep } from '../../../ts/src/io/commit.js';
import { expandPaths, writeDataset, type SaveMode } from '../../../ts/src/io/dataset.js';

const run = promisify(execFile);

t.afterEach(() => {
  commitHooks.crashAfter = null;
  commitHooks.failAfter = null;
  commitHooks.graceMs = 60 * 60 * 1000;
  commitHooks.lockWaitMs = 120_000;
});

/** name → content of the data files a reader sees (via expandPaths: recovery included), or null when the path does not exist. */
async function visible(path: string): Promise<Record<string, string> | null> {
  let files: string[];
  try {
    files = await expandPaths('read.csv', path);
  } catch (e) {
    if (/path does not exist/.test((e as Error).message)) return null;
    throw e;
  }
  return Object.fromEntries(files.map((f) => [basename(f), readFileSync(f, 'utf8')]));
}

/** The protocol's own entries next to targets (temporaries, journals, locks). */
function leftovers(parent: string): string[] {
  return readdirSync(parent).filter((n) => n.includes('.kindling-')).sort();
}

function parts(files: Record<string, string>) {
  return async (dir: string) => {
    for (const [name, body] of Object.entries(files)) await writeFile(join(dir, name), body);
  };
}

/** Runs a write that crashes after `step`; returns whether the step was reached (the write threw SimulatedCrash). */
async function crashAt(step: CommitStep, write: () => Promise<unknown>): Promise<boolean> {
  commitHooks.crashAfter = step;
  try {
    await write();
    return false;
  } catch (e) {
    if (e instanceof SimulatedCrash) return true;
    throw e;
  } finally {
    commitHooks.crashAfter = null;
  }
}

const OLD = { 'part-00000-old.csv': 'old0', 'part-00001-old.csv': 'old1' };
const NEW = { 'part-00000-new.csv': 'new0' };
const BOTH = { ...OLD, ...NEW };

// Which steps each kind of commit passes, and what a reader sees after a crash at each one:
// before the journal the old version, from the journal on the new one (rolled forward).
const CASES: { mode: SaveMode; existing: boolean; steps: Partial<Record<CommitStep, 'old' | 'new'>>; after: Record<string, string> }[] = [
  { mode: 'overwrite', existing: true, after: NEW, steps: { staged: 'old', locked: 'old', journaled: 'new', aside: 'new', published: 'new', cleaned: 'new', done: 'new' } },
  { mode: 'append', existing: true, after: BOTH, steps: { staged: 'old', locked: 'old', merged: 'old', journaled: 'new', aside: 'new', published: 'new', cleaned: 'new', done: 'new' } },
  { mode: 'overwrite', existing: false, after: NEW, steps: { staged: 'old', locked: 'old', published: 'new', done: 'new' } },
  { mode: 'append', existing: false, after: NEW, steps: { staged: 'old', locked: 'old', published: 'new', done: 'new' } },
  { mode: 'error', existing: false, after: NEW, steps: { staged: 'old', locked: 'old', published: 'new', done: 'new' } },
];

for (const c of CASES) {
  const label = `${c.mode} ${c.existing ? 'of an existing dataset' : '(first write)'}`;
  t.test(`${label}: killed after every step, a reader sees the old or the new version, and the next read recovers`, async (t) => {
    for (const s of COMMIT_STEPS) {
      const root = t.testdir(c.existing ? { ds: { ...OLD, _SUCCESS: '' } } : {});
      const ds = join(root, 'ds');
      const reached = await crashAt(s, () => writeDataset('write.csv', ds, c.mode, parts(NEW)));
      const want = c.steps[s];
      t.equal(reached, want !== undefined, `${s}: ${want ? 'reached' : 'not a step of this commit'}`);
      if (!want) continue;
      const old = c.existing ? OLD : null;
      t.same(await visible(ds), want === 'old' ? old : c.after, `${s}: the reader sees the ${want} version`);
      t.notOk(existsSync(join(root, '.ds.kindling-journal')), `${s}: the read finished the commit (no journal left)`);
      if (want === 'new' || c.existing) t.ok(existsSync(join(ds, '_SUCCESS')), `${s}: _SUCCESS present`);
    }
  });

  t.test(`${label}: killed after every step, the next write recovers first and the temporaries are cleaned`, async (t) => {
    for (const s of COMMIT_STEPS) {
      if (!c.steps[s]) continue;
      const root = t.testdir(c.existing ? { ds: { ...OLD, _SUCCESS: '' } } : {});
      const ds = join(root, 'ds');
      t.ok(await crashAt(s, () => writeDataset('write.csv', ds, c.mode, parts(NEW))));
      commitHooks.graceMs = 0; // every temporary not in use counts as stale
      await writeDataset('write.csv', ds, 'append', parts({ 'part-00000-more.csv': 'more' }));
      const base = c.steps[s] === 'old' ? (c.existing ? OLD : {}) : c.after;
      t.same(await visible(ds), { ...base, 'part-00000-more.csv': 'more' }, `${s}: the next append lands on the ${c.steps[s]} version`);
      t.same(leftovers(root), [], `${s}: no temporary, journal or lock left`);
    }
  });
}

t.test('a live writer whose commit fails at any step reports it and leaves the old version, or the new one once published, and nothing else', async (t) => {
  for (const mode of ['overwrite', 'append'] as const) {
    for (const s of COMMIT_STEPS) {
      const root = t.testdir({ ds: { ...OLD, _SUCCESS: '' } });
      const ds = join(root, 'ds');
      commitHooks.failAfter = s;
      const out = await writeDataset('write.csv', ds, mode, parts(NEW)).then((files) => files.map((f) => basename(f)), (e: unknown) => e);
      commitHooks.failAfter = null;
      const after = mode === 'overwrite' ? NEW : BOTH;
      if (s === 'merged' && mode === 'overwrite') {
        t.same(out, ['part-00000-new.csv'], 'merged: not a step of an overwrite');
      } else if (COMMIT_STEPS.indexOf(s) >= COMMIT_STEPS.indexOf('published')) {
        t.same(out, ['part-00000-new.csv'], `${mode} ${s}: already visible, so the write succeeds`);
        t.same(await visible(ds), after);
      } else {
        t.match(out, { code: 'ERR_KINDLING_LOAD', message: `write.csv: cannot write ${ds}: EIO: injected failure after commit step '${s}'` }, `${mode} ${s}: the failure, named`);
        t.same(await visible(ds), OLD, `${mode} ${s}: the old version, untouched`);
      }
      t.same(leftovers(root), [], `${mode} ${s}: nothing left beside it`);
    }
  }
});

t.test('model-style saves (commitDirectory create / replace) recover the same way', async (t) => {
  for (const s of ['journaled', 'aside', 'published'] as const) {
    const root = t.testdir({ m: { metadata: { 'part-00000': 'v1' } } });
    const m = join(root, 'm');
    t.ok(await crashAt(s, () => commitDirectory('save', m, 'replace', parts({ v2: 'v2' }))));
    await recoverDirectory('load', m);
    t.same(readdirSync(m), ['v2'], `${s}: rolled forward to the new version`);
    t.same(leftovers(root), [], `${s}: journal, aside and the dead writer's lock gone`);
  }
  const root = t.testdir({ m: { a: '1' } });
  await t.rejects(commitDirectory('save', join(root, 'm'), 'create', async () => {}), { code: 'ERR_KINDLING_INVALID_ARG', message: `save: path ${join(root, 'm')} already exists` });
  t.same(leftovers(root), []);
});

t.test('stale temporaries: removed after the grace period by the next write in the parent, never a fresh or live one', async (t) => {
  const root = t.testdir({ other: { 'p.csv': 'x' } });
  const ds = join(root, 'ds');
  t.ok(await crashAt('staged', () => writeDataset('write.csv', ds, 'overwrite', parts(NEW))));
  t.ok(await crashAt('locked', () => writeDataset('write.csv', join(root, 'other'), 'overwrite', parts(NEW))));
  const killed = leftovers(root);
  t.equal(killed.filter((n) => /^\.(ds|other)\.kindling-tmp-[0-9a-f]{12}$/.test(n)).length, 2, 'two staged directories of killed writers');
  t.ok(killed.includes('.other.kindling-lock'), "the killed writer's lock");
  // a write within the grace period keeps them (a writer in another process might be slow)
  await writeDataset('write.csv', join(root, 'third'), 'overwrite', parts(NEW));
  t.same(leftovers(root), killed.filter((n) => n.includes('-tmp-')), "younger than the grace period: kept; the dead writer's lock broken at once");
  // after the grace period, the next write to any path in the parent removes them, but not a live writer's
  for (const n of leftovers(root)) utimesSync(join(root, n), new Date(Date.now() - 2 * 3600_000), new Date(Date.now() - 2 * 3600_000));
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  let liveDir = '';
  const live = writeDataset('write.csv', join(root, 'slow'), 'overwrite', async (dir) => {
    liveDir = dir;
    await gate;
    await writeFile(join(dir, 'p.csv'), 'slow');
  });
  while (liveDir === '') await new Promise((r) => setTimeout(r, 5));
  utimesSync(liveDir, new Date(Date.now() - 2 * 3600_000), new Date(Date.now() - 2 * 3600_000));
  await writeDataset('write.csv', join(root, 'third'), 'overwrite', parts(NEW));
  t.ok(existsSync(liveDir), "a live writer's staged directory survives, whatever its age");
  t.same(leftovers(root).filter((n) => n !== basename(liveDir)), [], 'killed writers\' temporaries and dead locks removed');
  release();
  await live;
  t.same(await visible(join(root, 'slow')), { 'p.csv': 'slow' });
  t.same(leftovers(root), []);
});

t.test('concurrent first appends to a new path (one process) all land', async (t) => {
  const root = t.testdir();
  const ds = join(root, 'ds');
  const writers = Array.from({ length: 4 }, (_, i) => writeDataset('write.csv', ds, 'append', parts({ [`part-0000${i}-w${i}.csv`]: `w${i}` })));
  const files = await Promise.all(writers);
  t.same(files.map((f) => f.map((p) => basename(p))), [['part-00000-w0.csv'], ['part-00001-w1.csv'], ['part-00002-w2.csv'], ['part-00003-w3.csv']]);
  t.same(await visible(ds), { 'part-00000-w0.csv': 'w0', 'part-00001-w1.csv': 'w1', 'part-00002-w2.csv': 'w2', 'part-00003-w3.csv': 'w3' });
  t.ok(existsSync(join(ds, '_SUCCESS')));
  t.same(leftovers(root), []);
  // the race that lost a writer (a lock taken between another commit's link and its token
  // becoming live was broken as dead): many rounds of many writers
  for (let round = 0; round < 20; round++) {
    const dsr = join(root, `round-${round}`);
    const n = 8;
    await Promise.all(Array.from({ length: n }, (_, i) => writeDataset('write.csv', dsr, 'append', parts({ [`part-${i}.csv`]: `r${round}w${i}` }))));
    const seen = await visible(dsr);
    if (Object.keys(seen ?? {}).length !== n) t.fail(`round ${round}: ${Object.keys(seen ?? {}).length} of ${n} writers' files visible`);
  }
  t.same(leftovers(root), [], '20 rounds of 8 concurrent first appends: every file visible, nothing left behind');
});

t.test('concurrent overwrites leave one complete version; concurrent error-mode writes: one wins, the other is refused', async (t) => {
  const root = t.testdir({ ds: { ...OLD } });
  const ds = join(root, 'ds');
  await Promise.all([0, 1, 2].map((i) => writeDataset('write.csv', ds, 'overwrite', parts({ [`a-${i}.csv`]: `${i}`, [`b-${i}.csv`]: `${i}` }))));
  const seen = await visible(ds);
  const i = Object.values(seen!)[0]!;
  t.same(seen, { [`a-${i}.csv`]: i, [`b-${i}.csv`]: i }, 'both files of one writer, nothing of the others');
  const fresh = join(root, 'fresh');
  const results = await Promise.allSettled([1, 2].map((k) => writeDataset('write.csv', fresh, 'error', parts({ [`p-${k}.csv`]: `${k}` }))));
  t.same(results.map((r) => r.status).sort(), ['fulfilled', 'rejected']);
  const lost = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
  t.match(lost.reason, { code: 'ERR_KINDLING_INVALID_ARG', message: /^write\.csv: path .*fresh already exists \(mode 'error'; use mode 'overwrite' or 'append'\)$/ });
  t.equal(Object.keys((await visible(fresh))!).length, 1);
  t.same(leftovers(root), []);
});

t.test('concurrent first appends from two processes both land', async (t) => {
  const root = t.testdir();
  const ds = join(root, 'ds');
  const mod = new URL('../../../ts/src/io/dataset.ts', import.meta.url).href;
  const child = (k: number) => run(process.execPath, [...process.execArgv, '--input-type=module', '-e', `
    import { writeFile } from 'node:fs/promises';
    import { join } from 'node:path';
    const { writeDataset } = await import(${JSON.stringify(mod)});
    for (let i = 0; i < 5; i++) {
      await writeDataset('write.csv', ${JSON.stringify(ds)}, 'append', (dir) => writeFile(join(dir, 'part-p${k}-' + i + '.csv'), 'p${k}-' + i));
    }`]);
  await Promise.all([child(1), child(2)]);
  const want: Record<string, string> = {};
  for (const k of [1, 2]) for (let i = 0; i < 5; i++) want[`part-p${k}-${i}.csv`] = `p${k}-${i}`;
  t.same(await visible(ds), want, 'all ten appends of both processes');
  t.ok(existsSync(join(ds, '_SUCCESS')));
  t.same(leftovers(root), []);
});

t.test('a lock held by a live process is waited for, with a bounded wait naming the owner', async (t) => {
  const root = t.testdir({ ds: { ...OLD } });
  const ds = join(root, 'ds');
  writeFileSync(join(root, '.ds.kindling-lock'), JSON.stringify({ pid: process.ppid, host: hostname(), token: 'ffffffffffff' }));
  commitHooks.lockWaitMs = 50;
  await t.rejects(writeDataset('write.csv', ds, 'overwrite', parts(NEW)), {
    code: 'ERR_KINDLING_LOAD',
    message: `write.csv: timed out after 50 ms waiting for the lock on ${ds} held by process ${process.ppid} on ${hostname()}; if no kindling process is writing it, delete ${join(root, '.ds.kindling-lock')}`,
  });
  t.same(await visible(ds), OLD, 'old version untouched');
  t.same(leftovers(root), ['.ds.kindling-lock'], 'the staged directory removed; the live lock kept');
  // a lock of a process that no longer runs is broken
  writeFileSync(join(root, '.ds.kindling-lock'), JSON.stringify({ pid: 2 ** 22 + 1, host: hostname(), token: 'eeeeeeeeeeee' }));
  await writeDataset('write.csv', ds, 'overwrite', parts(NEW));
  t.same(await visible(ds), NEW);
  t.same(leftovers(root), []);
});

t.test('recovery never leaves neither version: a staged version removed by hand after a crash gives back the old one', async (t) => {
  const root = t.testdir({ ds: { ...OLD, _SUCCESS: '' } });
  const ds = join(root, 'ds');
  t.ok(await crashAt('aside', () => writeDataset('write.csv', ds, 'overwrite', parts(NEW))));
  const staged = leftovers(root).find((n) => n.startsWith('.ds.kindling-tmp-'))!;
  rmSync(join(root, staged), { recursive: true });
  t.same(await visible(ds), OLD);
  t.same(leftovers(root), [], "journal and aside gone, the dead writer's lock broken by the recovering reader");
});

t.test('readStable reads again when a commit replaced the path during the read, or the read failed mid-commit', async (t) => {
  const root = t.testdir({ ds: { ...OLD, _SUCCESS: '' } });
  const ds = join(root, 'ds');
  let calls = 0;
  const names = await readStable('read', ds, async () => {
    calls++;
    const seen = readdirSync(ds).sort();
    if (calls === 1) await writeDataset('write.csv', ds, 'overwrite', parts(NEW)); // lands while the first listing is in use
    return seen;
  });
  t.equal(calls, 2, 'the inode changed: one more read');
  t.same(names, ['_SUCCESS', 'part-00000-new.csv']);
  calls = 0;
  const again = await readStable('read', ds, async () => {
    calls++;
    if (calls === 1) t.ok(await crashAt('aside', () => writeDataset('write.csv', ds, 'overwrite', parts({ 'part-00000-third.csv': '3' }))));
    return readdirSync(ds).sort(); // throws ENOENT on the first call: the path is between the renames
  });
  t.equal(calls, 2, 'failed while a journal existed: recovered and read again');
  t.same(again, ['_SUCCESS', 'part-00000-third.csv']);
  await t.rejects(readStable('read', join(root, 'nope'), async () => readdirSync(join(root, 'nope'))), { code: 'ENOENT' }, 'a plain failure is not retried');
});

t.test('a parent that is a file: the write fails naming the path, with a code', async (t) => {
  const root = t.testdir({ afile: 'x' });
  const ds = join(root, 'afile', 'ds');
  await t.rejects(writeDataset('write.csv', ds, 'overwrite', parts(NEW)), { code: 'ERR_KINDLING_LOAD', message: new RegExp(`^write\\.csv: cannot write ${ds.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: (ENOTDIR|EEXIST)`) });
  t.same(leftovers(root), []);
});

t.test('a damaged journal is reported naming it, never guessed at', async (t) => {
  const root = t.testdir({ ds: { ...OLD }, '.ds.kindling-journal': '{"staged":"../../etc"' });
  await t.rejects(expandPaths('read.csv', join(root, 'ds')), {
    code: 'ERR_KINDLING_LOAD',
    message: `cannot recover ${join(root, 'ds')}: the commit journal ${join(root, '.ds.kindling-journal')} is damaged ("{\\"staged\\":\\"../../etc\\"")`,
  });
});
