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
 * partitions), as one committed version (`readStable`). Writing goes through the directory commit
 * protocol (commit.ts, docs/COMMIT.md): parts and `_SUCCESS` go to a hidden temporary sibling
 * that is made visible in one atomic step only when complete, so a failed or killed write never
 * leaves a half-written dataset and never loses the data it was replacing.
 */
import { readdir, writeFile } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { basename, join } from 'node:path';
import { Errors, KindlingError } from '../errors.js';
import { commitDirectory, isHidden, readStable, statOrNull, type CommitMode } from './commit.js';

export type SaveMode = 'overwrite' | 'append' | 'error' | 'errorifexists' | 'ignore';

const SAVE_MODES: readonly string[] = ['overwrite', 'append', 'error', 'errorifexists', 'ignore'];

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

async function expandOne(api: string, p: string, ext: string | undefined): Promise<string[]> {
  const s = await statOrNull(p);
  if (!s) throw Errors.load(`${api}: path does not exist: ${p}`);
  if (!s.isDirectory()) return [p];
  let files = await listDataFiles(p);
  if (ext && files.some((f) => hasExt(basename(f), ext)) && files.some((f) => !hasExt(basename(f), ext))) {
    files = files.filter((f) => hasExt(basename(f), ext));
  }
  if (files.length === 0) throw Errors.load(`${api}: no data files in directory ${p} (names starting with '_' or '.' are skipped)`);
  return files;
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
    out.push(...(await readStable(api, p, () => expandOne(api, p, ext))));
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

const COMMIT_MODE: Record<string, CommitMode> = { overwrite: 'replace', append: 'merge', error: 'create', errorifexists: 'create', ignore: 'ignore' };

/**
 * Writes a dataset directory through the commit protocol (commit.ts): `writeParts(dir)` writes
 * part files named with `partFileName` into a hidden temporary sibling
 * (`<path>/../.<name>.kindling-tmp-<hex>/`), `_SUCCESS` is added, and then:
 *  - overwrite: the new version replaces the old one in one atomic, recoverable step;
 *  - append: the old files and the new parts (renamed where a name collides) become the next
 *    version, atomically; on a path that does not exist yet it is created (concurrent first
 *    appends all land);
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

  const refuse = (existing: Stats | null): KindlingError | null => {
    if (existing && (m === 'error' || m === 'errorifexists')) {
      return new KindlingError('ERR_KINDLING_INVALID_ARG', `${api}: path ${path} already exists (mode '${m}'; use mode 'overwrite' or 'append')`);
    }
    if (existing && m === 'append' && !existing.isDirectory()) {
      return new KindlingError('ERR_KINDLING_INVALID_ARG', `${api}: cannot append to ${path}: it is a file, not a directory`);
    }
    return null;
  };
  const { files } = await commitDirectory(api, path, COMMIT_MODE[m]!, async (dir) => {
    await writeParts(dir);
    await writeFile(join(dir, '_SUCCESS'), '');
  }, { refuse });
  return files;
}
