/**
 * Run artifacts in a local artifact directory (the run's `artifacts/`, MLFLOW.md §1): files and
 * directory trees copied under an artifact path, text, dicts (JSON or YAML by extension) and
 * figures (PNG bytes, SVG text or bytes). A directory logged to a new artifact path is published
 * whole by the commit protocol (ts/src/io/commit.ts); files into an existing directory are each
 * published atomically (temporary + rename) and overwrite, as MLflow's log_artifact(s) do.
 */
import { copyFile, mkdir, readdir, rename, stat } from 'node:fs/promises';
import { basename, dirname, extname, join, relative, resolve, sep } from 'node:path';
import { stringify } from 'yaml';
import { Errors } from '../../src/errors.js';
import { commitDirectory } from '../../src/io/commit.js';
import { token } from '../../src/io/atomic-files.js';
import { writeAtomic } from '../../src/io/atomic-files.js';

export interface FileInfo {
  /** The path relative to the run's artifact root, '/'-separated. */
  path: string;
  isDir: boolean;
  /** Bytes (null for a directory). */
  fileSize: number | null;
}

/** An artifact path inside the root ('' for the root); refuses absolute paths and '..'. */
export function artifactTarget(api: string, root: string, artifactPath: string | undefined): string {
  if (artifactPath === undefined || artifactPath === '') return root;
  if (typeof artifactPath !== 'string' || artifactPath.startsWith('/') || artifactPath.split(/[\\/]/).includes('..')) {
    throw Errors.invalidArg(api, 'artifactPath', "a relative path without '..'", artifactPath);
  }
  return join(root, artifactPath);
}

async function copyTree(from: string, to: string): Promise<void> {
  const st = await stat(from);
  if (!st.isDirectory()) {
    await mkdir(dirname(to), { recursive: true });
    const tmp = join(dirname(to), `.${basename(to)}.kindling-tmp-${token()}`);
    await copyFile(from, tmp);
    await rename(tmp, to);
    return;
  }
  await mkdir(to, { recursive: true });
  for (const name of await readdir(from)) await copyTree(join(from, name), join(to, name));
}

/** Copies a file (under its own name) or a directory's contents under `artifactPath`. */
export async function logArtifactAt(api: string, root: string, localPath: string, artifactPath?: string): Promise<void> {
  if (typeof localPath !== 'string' || localPath === '') throw Errors.invalidArg(api, 'localPath', 'a file or directory path', localPath);
  const st = await stat(localPath).catch(() => null);
  if (!st) throw Errors.notFound(api, `local path ${JSON.stringify(localPath)}`);
  const dest = artifactTarget(api, root, artifactPath);
  if (st.isDirectory() && !(await stat(dest).catch(() => null))) {
    // a new artifact directory is published whole by the commit protocol (docs/COMMIT.md)
    await mkdir(dirname(dest), { recursive: true });
    await commitDirectory(api, dest, 'create', (staged) => copyTree(localPath, staged));
    return;
  }
  await copyTree(localPath, st.isDirectory() ? dest : join(dest, basename(localPath)));
}

/** Writes one artifact file from memory, the format chosen by `artifactFile`'s extension. */
export async function writeArtifactFile(api: string, root: string, artifactFile: string, content: string | Uint8Array): Promise<void> {
  if (typeof artifactFile !== 'string' || artifactFile === '' || artifactFile.endsWith('/')) throw Errors.invalidArg(api, 'artifactFile', 'a relative file path', artifactFile);
  await writeAtomic(artifactTarget(api, root, artifactFile), content);
}

/** MLflow's log_dict: YAML for .yaml/.yml (as PyYAML dumps it: sorted keys, block style), otherwise JSON indented by 2. */
export function dictContent(artifactFile: string, dict: unknown): string {
  if (dict === null || typeof dict !== 'object') throw Errors.invalidArg('logDict', 'dictionary', 'an object or array', dict);
  const ext = extname(artifactFile).toLowerCase();
  return ext === '.yaml' || ext === '.yml' ? stringify(dict, { lineWidth: 0, indentSeq: false, sortMapEntries: true }) : JSON.stringify(dict, null, 2);
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** A figure's bytes: PNG (bytes with the PNG signature) or SVG (text or bytes starting with '<'). */
export function figureContent(artifactFile: string, figure: string | Uint8Array): string | Uint8Array {
  const ext = extname(String(artifactFile)).toLowerCase();
  if (ext === '.png') {
    if (!(figure instanceof Uint8Array) || !PNG_SIGNATURE.every((b, i) => figure[i] === b)) throw Errors.invalidArg('logFigure', 'figure', 'PNG bytes (a Uint8Array starting with the PNG signature) for a .png file', figure);
    return figure;
  }
  if (ext === '.svg') {
    const text = typeof figure === 'string' ? figure : figure instanceof Uint8Array ? Buffer.from(figure).toString('utf8') : null;
    if (text === null || !/^\s*(<\?xml|<svg|<!--|<!DOCTYPE)/i.test(text)) throw Errors.invalidArg('logFigure', 'figure', 'SVG text (or its bytes) for a .svg file', figure);
    return figure;
  }
  throw Errors.invalidArg('logFigure', 'artifactFile', "a file name ending in '.png' or '.svg'", artifactFile);
}

/** The direct children of an artifact directory, sorted by path (as MLflow's list_artifacts). */
export async function listArtifactsAt(root: string, path?: string): Promise<FileInfo[]> {
  const dir = artifactTarget('listArtifacts', root, path);
  const st = await stat(dir).catch(() => null);
  if (!st || !st.isDirectory()) return [];
  const out: FileInfo[] = [];
  for (const ent of await readdir(dir, { withFileTypes: true })) {
    if (ent.name.includes('.kindling-tmp-')) continue;
    const full = join(dir, ent.name);
    out.push({ path: relative(root, full).split(sep).join('/'), isDir: ent.isDirectory(), fileSize: ent.isDirectory() ? null : (await stat(full)).size });
  }
  return out.sort((a, b) => (a.path < b.path ? -1 : 1));
}

/** Copies an artifact (file or directory) to `dstPath` and returns the local path of the copy. */
export async function downloadArtifactsAt(root: string, artifactPath: string, dstPath: string): Promise<string> {
  const src = artifactTarget('downloadArtifacts', root, artifactPath);
  if (!(await stat(src).catch(() => null))) throw Errors.notFound('downloadArtifacts', `artifact ${JSON.stringify(artifactPath)} (under ${root})`);
  const dest = resolve(dstPath, artifactPath === '' ? '.' : artifactPath);
  await copyTree(src, dest);
  return dest;
}
