/**
 * Single files written so that readers and other processes see all of a file or none of it: the
 * content goes to a hidden temporary sibling first (`.<name>.kindling-tmp-<hex>`, the pattern the
 * commit protocol's cleanup knows, commit.ts), then a rename replaces the name (`writeAtomic`) or
 * a hard link claims it only if free (`createExclusive`). Used by the commit protocol (journal,
 * lock) and the tracking store (meta.yaml, params, tags).
 */
import { link, mkdir, open, rename, unlink, writeFile, type FileHandle } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';

export function token(): string {
  return randomBytes(6).toString('hex');
}

function tempFor(file: string): string {
  return join(dirname(file), `.${basename(file)}.kindling-tmp-${token()}`);
}

/** fsync a file or directory (durability of renames); filesystems that refuse it are skipped. */
export async function fsyncPath(p: string): Promise<void> {
  let fh: FileHandle | undefined;
  try {
    fh = await open(p, 'r');
    await fh.sync();
  } catch (e) {
    if (!['EISDIR', 'EPERM', 'EINVAL', 'EBADF', 'EACCES'].includes((e as { code?: string }).code ?? '')) throw e;
  } finally {
    await fh?.close();
  }
}

/** Replaces a file atomically: readers see the old or the new content, never a part. `durable`: fsynced before the rename. */
export async function writeAtomic(file: string, content: string | Uint8Array, opts: { durable?: boolean } = {}): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const tmp = tempFor(file);
  await writeFile(tmp, content);
  try {
    if (opts.durable) await fsyncPath(tmp);
    await rename(tmp, file);
  } catch (e) {
    await unlink(tmp).catch(() => {});
    throw e;
  }
}

/** Creates a file with its full content if no file has the name; false when one exists (any process). */
export async function createExclusive(file: string, content: string): Promise<boolean> {
  await mkdir(dirname(file), { recursive: true });
  const tmp = tempFor(file);
  await writeFile(tmp, content);
  try {
    await link(tmp, file);
    return true;
  } catch (e) {
    if ((e as { code?: string }).code === 'EEXIST') return false;
    throw e;
  } finally {
    await unlink(tmp).catch(() => {});
  }
}
