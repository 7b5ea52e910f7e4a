/**
 * Datasets as directories of part files, the layout Spark reads and writes:
 *
 *   <path>/part-00000-<uuid>-c000.snappy.parquet
 *   <path>/part-00001-<uuid>-c000.snappy.parquet
 *   <path>/_SUCCESS                       (marker: the write committed)
 *   <path>/.part-00000-….crc              (Hadoop checksums; never required, always ignored)
 *
 * Reading expands a path into its data files (skipping names that start with '_' or '.', as
 * Hadoop's hidden-file filter does, and recursing into sub-directories such as `key=value`
 * partitions). Writing goes to a hidden temporary directory next to the target, which is
 * renamed into place only after every part and `_SUCCESS` are written, so a failed write never
 * leaves a half-written dataset and never damages the data it was replacing.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { Errors, KindlingError } from '../errors.js';

export type SaveMode = 'overwrite' | 'append' | 'error' | 'errorifexists' | 'ignore';

const SAVE_MODES: readonly string[] = ['overwrite', 'append', 'error', 'errorifexists', 'ignore'];

function isHidden(name: string): boolean {
  return name.startsWith('_') || name.startsWith('.');
}

async function statOrNull(p: string): Promise<Stats | null> {
  try {
    return await stat(p);
  } catch (e) {
    if ((e as { code?: string }).code === 'ENOENT' || (e as { code?: string }).code === 'ENOTDIR') return null;
    throw Errors.load(`cannot access ${p}: ${(e as Error).message}`, e);
  }
}

/** Data files below a directory, in name order, sub-directories in place (depth first). */
async function listDataFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const out: string[] = [];
  for (const e of entries) {
    if (isHidden(e.name)) continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await listDataFiles(p)));
    else if (e.isFile()) out.push(p);
    else if (e.isSymbolicLink()) {
      const s = await statOrNull(p);
      if (s?.isDirectory()) out.push(...(await listDataFiles(p)));
      else if (s?.isFile()) out.push(p);
    }
  }
  return out;
}

function hasExt(name: string, ext: string): boolean {
  const n = name.toLowerCase();
  const x = ext.toLowerCase();
  return n.endsWith(x) || n.includes(`${x}.`); // part-00000.csv.gz counts as .csv
}

/**
 * Expands a path or paths into data files: files as given; a directory → its data files in name
 * order, skipping names that start with '_' or '.' (_SUCCESS, .crc, _temporary, _metadata),
 * recursing into sub-directories (partition directories). `ext` (e.g. '.parquet') drops files of
 * other kinds only when a directory mixes kinds, so extension-less part files still read.
 * Throws naming the path when it does not exist or a directory holds no data file.
 */
export async function expandPaths(api: string, paths: string | readonly string[], ext?: string): Promise<string[]> {
  const list = typeof paths === 'string' ? [paths] : paths;
  if (!Array.isArray(list) || list.length === 0 || list.some((p) => typeof p !== 'string' || p === '')) {
    throw Errors.invalidArg(api, 'path', 'a path or a non-empty array of paths', paths);
  }
  if (ext !== undefined && (typeof ext !== 'string' || ext === '')) throw Errors.invalidArg(api, 'ext', "a file extension such as '.parquet'", ext);
  const out: string[] = [];
  for (const p of list) {
    const s = await statOrNull(p);
    if (!s) throw Errors.load(`${api}: path does not exist: ${p}`);
    if (!s.isDirectory()) {
      out.push(p);
      continue;
    }
    let files = await listDataFiles(p);
    if (ext && files.some((f) => hasExt(basename(f), ext)) && files.some((f) => !hasExt(basename(f), ext))) {
      files = files.filter((f) => hasExt(basename(f), ext));
    }
    if (files.length === 0) throw Errors.load(`${api}: no data files in directory ${p} (names starting with '_' or '.' are skipped)`);
    out.push(...files);
  }
  return out;
}

/** Spark's part-file name: `part-00000-<uuid>-c000<ext>` (ext like '.snappy.parquet', '.csv'). */
export function partFileName(index: number, uuid: string, ext: string): string {
  if (!Number.isInteger(index) || index < 0) throw Errors.invalidArg('partFileName', 'index', 'an integer >= 0', index);
  if (typeof uuid !== 'string' || uuid === '' || /[/\\]/.test(uuid)) throw Errors.invalidArg('partFileName', 'uuid', 'a uuid string', uuid);
  if (typeof ext !== 'string' || /[/\\]/.test(ext)) throw Errors.invalidArg('partFileName', 'ext', "a file extension such as '.snappy.parquet'", ext);
  const e = ext === '' || ext.startsWith('.') ? ext : `.${ext}`;
  return `part-${String(index).padStart(5, '0')}-${uuid}-c000${e}`;
}

function token(): string {
  return randomBytes(6).toString('hex');
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

const UUID_RE = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

/** A fresh name for a part file that would collide: its uuid replaced (or a suffix added). */
function freshName(name: string): string {
  if (UUID_RE.test(name)) return name.replace(UUID_RE, randomUUID());
  const dot = name.indexOf('.', 1);
  return dot > 0 ? `${name.slice(0, dot)}-${token()}${name.slice(dot)}` : `${name}-${token()}`;
}

/**
 * Writes a dataset directory atomically. Creates `<path>/../.<name>.kindling-tmp-<random>/`,
 * calls `writeParts(tmpDir)` (which writes part files named with `partFileName`), writes
 * `_SUCCESS`, then:
 *  - overwrite: renames the old data aside, renames the new directory into place, deletes the
 *    old one (on any failure the old data is restored);
 *  - append: moves the new part files into the existing directory (renaming any that would
 *    collide), or renames the new directory into place when there is none;
 *  - error / errorifexists: throws `…: path <p> already exists` before writing anything;
 *  - ignore: does nothing when the path exists.
 * A failed write removes the temporary directory and leaves existing data untouched.
 * Returns the data files written, at their final paths (without `_SUCCESS`).
 */
export async function writeDataset(api: string, path: string, mode: SaveMode, writeParts: (dir: string) => Promise<void>): Promise<string[]> {
  if (typeof path !== 'string' || path === '') throw Errors.invalidArg(api, 'path', 'a directory path', path);
  const m = typeof mode === 'string' ? mode.toLowerCase() : mode;
  if (typeof m !== 'string' || !SAVE_MODES.includes(m)) throw Errors.invalidArg(api, 'mode', "one of 'overwrite', 'append', 'error', 'errorifexists', 'ignore'", mode);
  if (typeof writeParts !== 'function') throw Errors.invalidArg(api, 'writeParts', 'a function', writeParts);

  const target = resolve(path);
  const parent = dirname(target);
  const name = basename(target);
  const existing = await statOrNull(target);
  if (existing && (m === 'error' || m === 'errorifexists')) {
    throw new KindlingError('ERR_KINDLING_INVALID_ARG', `${api}: path ${path} already exists (mode '${m}'; use mode 'overwrite' or 'append')`);
  }
  if (existing && m === 'ignore') return [];
  if (existing && m === 'append' && !existing.isDirectory()) {
    throw new KindlingError('ERR_KINDLING_INVALID_ARG', `${api}: cannot append to ${path}: it is a file, not a directory`);
  }

  await mkdir(parent, { recursive: true });
  const tmp = join(parent, `.${name}.kindling-tmp-${token()}`);
  await mkdir(tmp);
  try {
    await writeParts(tmp);
    await writeFile(join(tmp, '_SUCCESS'), '');
  } catch (e) {
    await rm(tmp, { recursive: true, force: true });
    throw e;
  }
  const written = (await walkFiles(tmp)).filter((r) => !isHidden(basename(r)));

  try {
    if (!existing) {
      await rename(tmp, target);
      return written.map((r) => join(target, r));
    }
    if (m === 'overwrite') {
      const old = join(parent, `.${name}.kindling-old-${token()}`);
      await rename(target, old);
      try {
        await rename(tmp, target);
      } catch (e) {
        await rename(old, target);
        throw e;
      }
      // The new data is in place; a leftover hidden directory is harmless (readers skip it).
      await rm(old, { recursive: true, force: true }).catch(() => {});
      return written.map((r) => join(target, r));
    }
    // append: move each new file in under a name nothing else uses
    const moved: string[] = [];
    try {
      for (const r of written) {
        let dest = join(target, r);
        await mkdir(dirname(dest), { recursive: true });
        while (await statOrNull(dest)) dest = join(dirname(dest), freshName(basename(dest)));
        await rename(join(tmp, r), dest);
        moved.push(dest);
      }
      await writeFile(join(target, '_SUCCESS'), '');
    } catch (e) {
      for (const f of moved) await rm(f, { force: true });
      throw e;
    }
    await rm(tmp, { recursive: true, force: true });
    return moved;
  } catch (e) {
    await rm(tmp, { recursive: true, force: true });
    if (e instanceof KindlingError) throw e;
    throw Errors.load(`${api}: cannot write ${path}: ${(e as Error).message}`, e);
  }
}
