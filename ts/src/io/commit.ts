/**
 * The one commit protocol for every directory kindling writes (datasets, saved stages, tracking
 * artifacts): write the new version into a temporary sibling, then make it visible in one atomic
 * step, with recovery of an interrupted commit. The guarantee and the design are in
 * docs/COMMIT.md; in short, for `<parent>/<name>`:
 *
 *   .<name>.kindling-tmp-<hex>    the staged version (filled by the caller; fsynced before publish)
 *   .<name>.kindling-lock         one writer (or recovering reader) at a time (commit-lock.ts)
 *   .<name>.kindling-journal      { staged, aside }: written and fsynced before the first rename;
 *                                 while it exists the commit is decided and is rolled forward
 *   .<name>.kindling-old-<hex>    the replaced version, between the two renames
 *
 * First write: rename(staged, path) — atomic alone. Replace and merge (append: the old files
 * hard-linked into the staged version, new names that collide renamed) journal, then
 * rename(path, aside), rename(staged, path), remove aside, remove the journal. Readers call
 * `readStable`, which recovers first and retries a read that raced a commit.
 */
import { randomUUID } from 'node:crypto';
import { copyFile, link, mkdir, readdir, readFile, rename, rm, stat, unlink, utimes } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { Errors, KindlingError } from '../errors.js';
import { fsyncPath, token, writeAtomic } from './atomic-files.js';
import { abandonLock, acquireLock, breakIfDead, releaseLock, type HeldLock } from './commit-lock.js';

/** Temporaries of a killed writer older than this are removed by the next write in their parent. */
export const STALE_GRACE_MS = 60 * 60 * 1000;
/** How long a writer or reader waits for another live writer's lock before failing. */
export const LOCK_WAIT_MS = 120_000;
const READ_ATTEMPTS = 5;

/** create: refuse nothing here (the caller's `refuse` decides); replace: overwrite; merge: append; ignore: keep an existing path. */
export type CommitMode = 'create' | 'replace' | 'merge' | 'ignore';
/** The steps after which `commitHooks.crashAfter` stops a commit, in order. */
export const COMMIT_STEPS = ['staged', 'locked', 'merged', 'journaled', 'aside', 'published', 'cleaned', 'done'] as const;
export type CommitStep = (typeof COMMIT_STEPS)[number];

/**
 * Internal test hooks (not exported by the package): `crashAfter` kills a commit after a step (as
 * a killed process: nothing cleaned up); `failAfter` makes the step's filesystem call fail (EIO)
 * in a live writer, which then cleans up; shorter grace and waits.
 */
export const commitHooks: { crashAfter: CommitStep | null; failAfter: CommitStep | null; graceMs: number; lockWaitMs: number } = {
  crashAfter: null,
  failAfter: null,
  graceMs: STALE_GRACE_MS,
  lockWaitMs: LOCK_WAIT_MS,
};

/** Thrown by the test hook: the commit stops as a killed process would, cleaning nothing up. */
export class SimulatedCrash extends Error {
  constructor(readonly step: CommitStep) {
    super(`simulated crash after commit step '${step}'`);
    this.name = 'SimulatedCrash';
  }
}

export interface CommitOptions {
  /** Checked before filling and again under the lock: an error refuses the write (nothing is left behind). */
  refuse?: (existing: Stats | null) => KindlingError | null;
  /** Wraps a filesystem failure of the commit itself (fill errors propagate unchanged). */
  wrap?: (e: Error) => KindlingError;
}

export interface CommitResult {
  /** false when mode 'ignore' kept an existing path. */
  committed: boolean;
  /** The data files the write added (names starting with '_' or '.' excepted), at their final paths. */
  files: string[];
}

interface Journal {
  staged: string;
  aside: string;
}

const TEMP_RE = /^\.(.+)\.kindling-(tmp|old)-[0-9a-f]{12}$/;
const LOCK_RE = /^\.(.+)\.kindling-lock$/;
const JOURNAL_RE = /^\.(.+)\.kindling-journal$/;

/** Staged directories of live commits in this process (never cleaned, whatever their age). */
const liveStaged = new Set<string>();

function errCode(e: unknown): string | undefined {
  return (e as { code?: string }).code;
}

export function isHidden(name: string): boolean {
  return name.startsWith('_') || name.startsWith('.');
}

export async function statOrNull(p: string): Promise<Stats | null> {
  try {
    return await stat(p);
  } catch (e) {
    if (errCode(e) === 'ENOENT' || errCode(e) === 'ENOTDIR') return null;
    throw Errors.load(`cannot access ${p}: ${(e as Error).message}`, e);
  }
}

function journalFile(parent: string, name: string): string {
  return join(parent, `.${name}.kindling-journal`);
}

function step(s: CommitStep, lock: HeldLock | null): void {
  if (commitHooks.failAfter === s) throw Object.assign(new Error(`EIO: injected failure after commit step '${s}'`), { code: 'EIO' });
  if (commitHooks.crashAfter !== s) return;
  if (lock) abandonLock(lock);
  throw new SimulatedCrash(s);
}


/** Files (not directories) under dir, relative paths, in name order; hidden names kept. */
async function walkFiles(dir: string, rel = ''): Promise<string[]> {
  const entries = await readdir(join(dir, rel), { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const out: string[] = [];
  for (const e of entries) {
    const r = rel ? join(rel, e.name) : e.name;
    if (e.isDirectory()) out.push(...(await walkFiles(dir, r)));
    else out.push(r);
  }
  return out;
}

async function syncTree(dir: string): Promise<void> {
  for (const r of await walkFiles(dir)) await fsyncPath(join(dir, r));
  await fsyncPath(dir);
}

const UUID_RE = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

/** A fresh name for a part file that would collide: its uuid replaced (or a suffix added). */
function freshName(name: string): string {
  if (UUID_RE.test(name)) return name.replace(UUID_RE, randomUUID());
  const dot = name.indexOf('.', 1);
  return dot > 0 ? `${name.slice(0, dot)}-${token()}${name.slice(dot)}` : `${name}-${token()}`;
}

/**
 * Append: hard-links every file of the current version into the staged one (a copy where the
 * filesystem has no hard links). A new data file whose name an old one holds is renamed
 * (existing files keep their names); a new marker (`_SUCCESS`, `.crc`) replaces the old one.
 * Returns the new data files' relative paths after renaming.
 */
async function mergeInto(staged: string, target: string, added: readonly string[]): Promise<string[]> {
  const renamed = new Map<string, string>();
  for (const r of await walkFiles(target)) {
    const dest = join(staged, r);
    if (await statOrNull(dest)) {
      if (isHidden(basename(r))) continue;
      let fresh = join(dirname(r), freshName(basename(r)));
      while ((await statOrNull(join(staged, fresh))) || (await statOrNull(join(target, fresh)))) fresh = join(dirname(r), freshName(basename(r)));
      await rename(dest, join(staged, fresh));
      renamed.set(r, fresh);
    }
    await mkdir(dirname(dest), { recursive: true });
    try {
      await link(join(target, r), dest);
    } catch (e) {
      if (!['EPERM', 'EXDEV', 'ENOTSUP', 'EMLINK', 'EOPNOTSUPP'].includes(errCode(e) ?? '')) throw e;
      await copyFile(join(target, r), dest);
    }
  }
  return added.map((r) => renamed.get(r) ?? r);
}

async function writeJournal(parent: string, name: string, j: Journal): Promise<void> {
  await writeAtomic(journalFile(parent, name), JSON.stringify(j), { durable: true });
  await fsyncPath(parent);
}

async function readJournal(parent: string, name: string): Promise<Journal | null> {
  const file = journalFile(parent, name);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    if (errCode(e) === 'ENOENT') return null;
    throw e;
  }
  let j: Partial<Journal> = {};
  try {
    j = JSON.parse(text) as Partial<Journal>;
  } catch {
    /* reported below */
  }
  const ok = (n: unknown, kind: string): boolean => typeof n === 'string' && TEMP_RE.exec(n)?.[1] === name && TEMP_RE.exec(n)?.[2] === kind;
  if (!ok(j.staged, 'tmp') || !ok(j.aside, 'old')) throw Errors.load(`cannot recover ${join(parent, name)}: the commit journal ${file} is damaged (${JSON.stringify(text.slice(0, 200))})`);
  return j as Journal;
}

/** Finishes an interrupted commit of `<parent>/<name>` (the caller holds the lock): rolls it forward. */
async function recoverLocked(parent: string, name: string): Promise<void> {
  const j = await readJournal(parent, name);
  if (!j) return;
  const target = join(parent, name);
  const staged = join(parent, j.staged);
  const aside = join(parent, j.aside);
  if (await statOrNull(staged)) {
    if (await statOrNull(target)) {
      await rm(aside, { recursive: true, force: true });
      await rename(target, aside);
    }
    await rename(staged, target);
  } else if (!(await statOrNull(target)) && (await statOrNull(aside))) {
    await rename(aside, target); // the staged version is gone (removed by hand?): keep the old one, never neither
  }
  await rm(aside, { recursive: true, force: true });
  await unlink(journalFile(parent, name));
  await fsyncPath(parent);
}

/**
 * Recovers `path` if a commit of it was interrupted (a journal is beside it): takes the lock
 * (waiting for a live writer to finish) and rolls the commit forward. Cheap when there is none.
 */
export async function recoverDirectory(api: string, path: string): Promise<void> {
  const target = resolve(path);
  const parent = dirname(target);
  const name = basename(target);
  if (!(await statOrNull(journalFile(parent, name)))) return;
  const lock = await acquireLock(api, path, parent, name, { waitMs: commitHooks.lockWaitMs, graceMs: commitHooks.graceMs });
  try {
    await recoverLocked(parent, name);
  } catch (e) {
    if (e instanceof KindlingError) throw e;
    throw Errors.load(`${api}: cannot recover the interrupted write of ${path}: ${(e as Error).message}`, e);
  } finally {
    await releaseLock(lock);
  }
}

/**
 * Reads `path` as one committed version: recovers an interrupted commit first, and runs `read`
 * again (up to 5 times) when a commit replaced the path while it ran (the directory's inode
 * changed, or the read failed while a commit was in flight).
 */
export async function readStable<T>(api: string, path: string, read: () => Promise<T>): Promise<T> {
  const target = resolve(path);
  const journal = journalFile(dirname(target), basename(target));
  for (let attempt = 1; ; attempt++) {
    await recoverDirectory(api, path);
    const before = await statOrNull(target);
    try {
      const out = await read();
      const after = await statOrNull(target);
      if (attempt >= READ_ATTEMPTS || before?.ino === after?.ino) return out;
    } catch (e) {
      const after = await statOrNull(target);
      const raced = before?.ino !== after?.ino || (await statOrNull(journal)) !== null;
      if (attempt >= READ_ATTEMPTS || !raced) throw e;
    }
  }
}

/**
 * Removes temporaries of killed writers from `parent`: staged / aside directories older than the
 * grace period that no journal names and no live commit of this process uses, and dead owners'
 * locks. A live writer's staged directory is never old: the writer touches it (heartbeat).
 */
async function cleanStale(parent: string): Promise<void> {
  const names = await readdir(parent).catch(() => [] as string[]);
  const referenced = new Set<string>();
  for (const n of names) {
    const m = JOURNAL_RE.exec(n);
    if (!m) continue;
    const j = await readJournal(parent, m[1]!).catch(() => null);
    if (j) referenced.add(j.staged).add(j.aside);
  }
  for (const n of names) {
    const lock = LOCK_RE.exec(n);
    if (lock) await breakIfDead(parent, lock[1]!, commitHooks.graceMs);
    const p = join(parent, n);
    if (!TEMP_RE.test(n) || referenced.has(n) || liveStaged.has(p)) continue;
    const s = await statOrNull(p);
    if (s && Date.now() - Math.floor(s.mtimeMs) >= commitHooks.graceMs) await rm(p, { recursive: true, force: true });
  }
}

function alreadyExists(api: string, path: string): KindlingError {
  return new KindlingError('ERR_KINDLING_INVALID_ARG', `${api}: path ${path} already exists`);
}

/** Keeps a staged directory's mtime fresh while its writer lives, so no cleaner takes it for stale. */
function heartbeat(dir: string): NodeJS.Timeout {
  const every = Math.max(1000, Math.min(commitHooks.graceMs / 4, 60_000));
  const timer = setInterval(() => {
    const now = new Date();
    utimes(dir, now, now).catch(() => {});
  }, every);
  timer.unref();
  return timer;
}

/**
 * Writes a new version of the directory `path`: `fill(staged)` writes it into a temporary
 * sibling, then the commit makes it visible atomically (see the file comment). Modes: 'create'
 * (a new path; pair it with `refuse` for an existing one), 'replace' (overwrite), 'merge'
 * (append the staged files to the current version), 'ignore' (keep an existing path, unwritten).
 * A failure before the journal leaves the old version untouched and removes the staged
 * directory; `fill`'s own errors propagate unchanged.
 */
export async function commitDirectory(api: string, path: string, mode: CommitMode, fill: (dir: string) => Promise<void>, opts: CommitOptions = {}): Promise<CommitResult> {
  const target = resolve(path);
  const parent = dirname(target);
  const name = basename(target);
  const wrap = opts.wrap ?? ((e: Error) => Errors.load(`${api}: cannot write ${path}: ${e.message}`, e));
  await recoverDirectory(api, path);
  const before = await statOrNull(target);
  const refused = opts.refuse?.(before) ?? (before && mode === 'create' ? alreadyExists(api, path) : null);
  if (refused) throw refused;
  if (before && mode === 'ignore') return { committed: false, files: [] };

  const staged = join(parent, `.${name}.kindling-tmp-${token()}`);
  try {
    await mkdir(parent, { recursive: true });
    await cleanStale(parent);
    await mkdir(staged);
  } catch (e) {
    throw e instanceof KindlingError ? e : wrap(e as Error);
  }
  liveStaged.add(staged);
  const beat = heartbeat(staged);
  let lock: HeldLock | null = null;
  let added: string[] = [];
  let filled = false;
  let journaled = false;
  let published = false;
  let crashed = false;
  try {
    await fill(staged);
    filled = true;
    added = (await walkFiles(staged)).filter((r) => !isHidden(basename(r)));
    step('staged', null);
    lock = await acquireLock(api, path, parent, name, { waitMs: commitHooks.lockWaitMs, graceMs: commitHooks.graceMs });
    step('locked', lock);
    await recoverLocked(parent, name);
    const existing = await statOrNull(target);
    const again = opts.refuse?.(existing) ?? (existing && mode === 'create' ? alreadyExists(api, path) : null);
    if (again) throw again;
    if (existing && mode === 'ignore') return { committed: false, files: [] };
    if (!existing) {
      await syncTree(staged);
      await rename(staged, target);
      published = true;
      await fsyncPath(parent);
      step('published', lock);
    } else {
      if (mode === 'merge') {
        if (!existing.isDirectory()) throw Errors.load(`${api}: cannot append to ${path}: it is a file, not a directory`);
        added = await mergeInto(staged, target, added);
        step('merged', lock);
      }
      await syncTree(staged);
      const aside = join(parent, `.${name}.kindling-old-${token()}`);
      await writeJournal(parent, name, { staged: basename(staged), aside: basename(aside) });
      journaled = true;
      step('journaled', lock);
      await rename(target, aside);
      step('aside', lock);
      await rename(staged, target);
      published = true;
      step('published', lock);
      await rm(aside, { recursive: true, force: true });
      step('cleaned', lock);
      await unlink(journalFile(parent, name));
      await fsyncPath(parent);
    }
    step('done', lock);
    return { committed: true, files: added.map((r) => join(target, r)) };
  } catch (e) {
    if (e instanceof SimulatedCrash) {
      crashed = true;
      throw e;
    }
    if (published) {
      // The new version is visible: leftovers are finished by recovery (journal) or cleanup.
      if (journaled && lock) await recoverLocked(parent, name).catch(() => {});
      return { committed: true, files: added.map((r) => join(target, r)) };
    }
    // If putting the old version back fails, the staged version stays for the journal to roll forward.
    if (journaled && !(await rollBack(parent, name, target).then(() => true, () => false))) throw wrap(e as Error);
    await rm(staged, { recursive: true, force: true }).catch(() => {});
    if (e instanceof KindlingError || !filled) throw e; // fill's errors and refusals as they are
    throw wrap(e as Error);
  } finally {
    clearInterval(beat);
    liveStaged.delete(staged);
    if (lock && !crashed) await releaseLock(lock);
  }
}

/** A live commit that failed between journal and publish: put the old version back, drop the journal. */
async function rollBack(parent: string, name: string, target: string): Promise<void> {
  const j = await readJournal(parent, name);
  if (!j) return;
  const aside = join(parent, j.aside);
  if (!(await statOrNull(target)) && (await statOrNull(aside))) await rename(aside, target);
  await unlink(journalFile(parent, name));
  await fsyncPath(parent);
}
