/**
 * The Parquet reader's errors: every failure names the file and what is wrong with it (missing,
 * truncated, corrupt, unsupported), as ERR_KINDLING_LOAD from errors.ts.
 * Follows shared/STYLE.md §8 (error messages).
 */
import { Errors, KindlingError } from '../../errors.js';

export function cannotRead(file: string, reason: string, cause?: unknown): KindlingError {
  return Errors.load(`parquet: cannot read ${file}: ${reason}`, cause);
}

export function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export function openError(file: string, e: unknown): KindlingError {
  if (e instanceof KindlingError) return e;
  const code = (e as { code?: string }).code;
  return cannotRead(file, code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'permission denied' : messageOf(e), e);
}

export function unsupported(file: string, path: string[], what: string): KindlingError {
  return cannotRead(file, `column ${path.join('.')} has an unsupported type (${what})`);
}

export function corrupt(what: string): KindlingError {
  return Errors.load(what);
}
