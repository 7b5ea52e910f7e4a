/**
 * The per-path lock of the directory commit protocol (docs/COMMIT.md, "Locking"): one file
 * `<parent>/.<name>.kindling-lock` holding `{ pid, host, token }`, created atomically by linking
 * a fully written temporary file to that name (link fails with EEXIST when the lock is held, and
 * a reader never sees a half-written owner).
 *
 * A lock whose owner is dead is broken: on this host, a pid that no longer runs (or this
 * process's own token after a simulated crash, `abandonLock`); on another host (a shared
 * filesystem), a lock file older than the stale grace period. Waiting is bounded: after
 * `waitMs` the acquirer throws ERR_KINDLING_LOAD naming the lock file and its owner, never hangs.
 */
import { link, readFile, rename, stat, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { Errors } from '../errors.js';
import { createExclusive, token } from './atomic-files.js';

/** Tokens of the locks this process holds or is taking. */
const liveTokens = new Set<string>();
/** Tokens of locks this process abandoned (a simulated crash): the only own locks that are dead. */
const abandonedTokens = new Set<string>();

export interface HeldLock {
  readonly file: string;
  readonly token: string;
}

interface Owner {
  pid: number;
  host: string;
  token: string;
}

export function lockFile(parent: string, name: string): string {
  return join(parent, `.${name}.kindling-lock`);
}

function errCode(e: unknown): string | undefined {
  return (e as { code?: string }).code;
}

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch (e) {
    if (errCode(e) === 'ENOENT') return false;
    throw e;
  }
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return errCode(e) === 'EPERM'; // exists, owned by another user
  }
}

async function readOwner(file: string): Promise<Owner | null> {
  try {
    const o = JSON.parse(await readFile(file, 'utf8')) as Partial<Owner>;
    if (typeof o.pid === 'number' && typeof o.host === 'string' && typeof o.token === 'string') return o as Owner;
  } catch {
    /* gone or unreadable: treated as no owner below */
  }
  return null;
}

/**
 * Whether the lock file holds a dead owner's lock, which may be broken. A missing file is not
 * dead: it was released, and what appears there next is a fresh lock (breaking on a missing file
 * moved a lock taken in between aside, so two writers held it). An unreadable owner counts by
 * the file's age, as a lock from another host does.
 */
async function lockIsDead(owner: Owner | null, file: string, graceMs: number): Promise<boolean> {
  if (owner && owner.host === hostname()) {
    // an own lock that is not live was released (its holder unlinks the file before it forgets the
    // token) unless it was abandoned: breaking a released one could move aside the fresh lock
    // that replaced it in between, and two commits would hold the path
    return owner.pid === process.pid ? abandonedTokens.has(owner.token) && !liveTokens.has(owner.token) : !pidAlive(owner.pid);
  }
  try {
    return Date.now() - (await stat(file)).mtimeMs >= graceMs;
  } catch (e) {
    if (errCode(e) === 'ENOENT') return false;
    throw e;
  }
}

/** Moves a dead owner's lock aside; puts it back if, in between, it became someone else's. */
async function breakLock(file: string, dead: Owner | null, tmp: string): Promise<void> {
  try {
    await rename(file, tmp);
  } catch (e) {
    if (errCode(e) === 'ENOENT') return;
    throw e;
  }
  const moved = await readOwner(tmp);
  if (moved !== null && moved.token !== dead?.token) {
    await link(tmp, file).catch(() => {}); // a fresh lock was taken meanwhile: restore it
  }
  await unlink(tmp).catch(() => {});
}

/**
 * Takes the lock on `<parent>/<name>`, waiting (polling) while a live owner holds it.
 * `api` and `path` name the operation in the timeout error.
 */
export async function acquireLock(api: string, path: string, parent: string, name: string, opts: { waitMs: number; graceMs: number }): Promise<HeldLock> {
  const file = lockFile(parent, name);
  const me: Owner = { pid: process.pid, host: hostname(), token: token() };
  const start = Date.now();
  let pause = 2;
  // live before the lock file can name it: another commit of this process that finds the file
  // between link and a later add would take the owner for dead and break a held lock
  liveTokens.add(me.token);
  let held = false;
  try {
    for (;;) {
      if (await tryLink(api, path, file, me)) {
        held = true;
        return { file, token: me.token };
      }
      const owner = await readOwner(file);
      if (Date.now() - start >= opts.waitMs) {
        const who = owner ? `process ${owner.pid} on ${owner.host}` : 'an unknown process';
        throw Errors.load(`${api}: timed out after ${opts.waitMs} ms waiting for the lock on ${path} held by ${who}; if no kindling process is writing it, delete ${file}`);
      }
      if (owner === null && !(await exists(file))) continue; // released meanwhile: try again at once
      if (await lockIsDead(owner, file, opts.graceMs)) {
        try {
          await breakLock(file, owner, join(parent, `.${name}.kindling-tmp-${token()}`));
        } catch (e) {
          throw Errors.load(`${api}: cannot break the dead lock ${file} on ${path}: ${(e as Error).message}`, e);
        }
        continue;
      }
      await new Promise((r) => setTimeout(r, pause));
      pause = Math.min(pause * 2, 100);
    }
  } finally {
    if (!held) liveTokens.delete(me.token);
  }
}

/** One attempt: links a fully written owner file to the lock's name; false when it is held. */
async function tryLink(api: string, path: string, file: string, me: Owner): Promise<boolean> {
  try {
    return await createExclusive(file, JSON.stringify(me));
  } catch (e) {
    if (errCode(e) === 'ENOENT') return false; // a cleaner in this parent took the temporary file; try again
    throw Errors.load(`${api}: cannot lock ${path} (${file}): ${(e as Error).message}`, e);
  }
}

/** Removes the lock file, then forgets the token: until the file is gone its owner stays live, so nobody breaks it and has it unlinked here. */
export async function releaseLock(lock: HeldLock): Promise<void> {
  try {
    const owner = await readOwner(lock.file);
    if (owner?.token === lock.token) await unlink(lock.file).catch(() => {});
  } finally {
    liveTokens.delete(lock.token);
  }
}

/** Test hook: the lock stays on disk but its owner counts as dead, as after a crash. */
export function abandonLock(lock: HeldLock): void {
  liveTokens.delete(lock.token);
  abandonedTokens.add(lock.token);
}

/** Breaks `<parent>/.<name>.kindling-lock` if its owner is dead (stale-temporary cleanup). */
export async function breakIfDead(parent: string, name: string, graceMs: number): Promise<void> {
  const file = lockFile(parent, name);
  const owner = await readOwner(file);
  if (await lockIsDead(owner, file, graceMs)) await breakLock(file, owner, join(parent, `.${name}.kindling-tmp-${token()}`));
}
