/**
 * The files of MLflow's FileStore (../shared/formats/MLFLOW.md §1): meta.yaml read and written as
 * PyYAML writes it (keys sorted, strings that look like other types single-quoted, no line
 * folding), metric lines `<timestamp> <value> <step>[ <run_id>]` with Python's float repr, and
 * the three ways a file is written safely by several processes at once: replace (a temporary
 * sibling renamed over it), create-if-absent (a temporary hard-linked to the name) and append
 * (one write(2) on an O_APPEND descriptor per batch, so lines never interleave).
 */
import { mkdir, open, readdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { parseDocument, stringify } from 'yaml';
import { Errors, KindlingError } from '../../src/errors.js';
import type { Metric } from './store.js';

export function isMissing(e: unknown): boolean {
  const code = (e as { code?: string }).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

/** Reads a key → file content tree (keys with '/' are nested directories), skipping temporaries. */
export async function readKeyFiles(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const walk = async (sub: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(join(dir, sub), { withFileTypes: true });
    } catch (e) {
      if (isMissing(e)) return;
      throw e;
    }
    for (const ent of entries) {
      const key = sub === '' ? ent.name : `${sub}/${ent.name}`;
      if (ent.isDirectory()) await walk(key);
      else if (ent.isFile() && !ent.name.includes('.kindling-tmp-')) out[key] = await readFile(join(dir, key), 'utf8');
    }
  };
  await walk('');
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

const YAML_OPTIONS = { version: '1.1', intAsBigInt: true } as const;

/** A malformed store file: names the file and the 1-based line (ERR_KINDLING_LOAD). */
export function malformed(file: string, line: number, why: string): KindlingError {
  return Errors.load(`${file}:${line}: malformed MLflow store file: ${why}`);
}

/** Listings skip an entry (run, experiment, model) whose files are malformed, reported as a process warning. */
export function skipMalformed(e: unknown): null {
  if (e instanceof KindlingError && e.code === 'ERR_KINDLING_LOAD') {
    process.emitWarning(e.message, { code: e.code });
    return null;
  }
  throw e;
}

/** A meta.yaml as a plain object (quoted ids stay strings). */
export async function readMeta(file: string): Promise<Record<string, unknown>> {
  const text = await readFile(file, 'utf8');
  const doc = parseDocument(text, YAML_OPTIONS);
  const err = doc.errors[0];
  if (err) throw malformed(file, err.linePos?.[0].line ?? 1, err.message.split('\n')[0]!);
  const value: unknown = doc.toJS();
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw malformed(file, 1, 'expected a YAML mapping');
  // integers as numbers; one beyond 2^53 (a legacy unquoted experiment id) as its exact decimal string
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, typeof v !== 'bigint' ? v : Number.isSafeInteger(Number(v)) ? Number(v) : v.toString()]));
}

/** The line of `key:` in a meta.yaml (for errors about a key's value). */
export async function keyLine(file: string, key: string): Promise<number> {
  const lines = (await readFile(file, 'utf8')).split('\n');
  const i = lines.findIndex((l) => l.startsWith(`${key}:`));
  return i < 0 ? 1 : i + 1;
}

/** A required string field (a legacy unquoted integer id is cast to its decimal string). */
export async function metaString(file: string, meta: Record<string, unknown>, key: string): Promise<string> {
  const v = meta[key];
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && Number.isSafeInteger(v)) return String(v);
  throw malformed(file, await keyLine(file, key), `expected a string for ${key}, got ${v === undefined ? 'no value' : JSON.stringify(v)}`);
}

/** An optional integer field (milliseconds, enums): null when absent or null. */
export async function metaInt(file: string, meta: Record<string, unknown>, key: string): Promise<number | null> {
  const v = meta[key];
  if (v === undefined || v === null) return null;
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  throw malformed(file, await keyLine(file, key), `expected an integer for ${key}, got ${JSON.stringify(v)}`);
}

/** meta.yaml text as PyYAML's safe_dump writes it (keys in alphabetical order). */
export function metaYaml(meta: Record<string, unknown>): string {
  return stringify(meta, { version: '1.1', sortMapEntries: true, singleQuote: true, lineWidth: 0 });
}


/** Appends whole lines with one write on an O_APPEND descriptor (concurrent appenders never interleave). */
export async function appendLines(file: string, text: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const fh = await open(file, 'a');
  try {
    const buf = Buffer.from(text, 'utf8');
    const { bytesWritten } = await fh.write(buf, 0, buf.length);
    if (bytesWritten !== buf.length) throw Errors.load(`logMetric: short append to ${file} (${bytesWritten} of ${buf.length} bytes)`);
  } finally {
    await fh.close();
  }
}

/** Python's repr of a float, as MLflow writes metric values: `0.975`, `3.0`, `1e-05`, `nan`, `inf`. */
export function pyFloatRepr(v: number): string {
  if (Number.isNaN(v)) return 'nan';
  if (v === Infinity) return 'inf';
  if (v === -Infinity) return '-inf';
  if (v === 0) return Object.is(v, -0) ? '-0.0' : '0.0';
  const [mant, expText] = v.toExponential().split('e') as [string, string];
  const exp = Number(expText);
  const neg = mant.startsWith('-');
  const digits = mant.replace('-', '').replace('.', '');
  let body: string;
  if (exp >= -4 && exp < 16) {
    if (exp < 0) body = `0.${'0'.repeat(-exp - 1)}${digits}`;
    else if (digits.length <= exp + 1) body = `${digits}${'0'.repeat(exp + 1 - digits.length)}.0`;
    else body = `${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
  } else {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    body = `${m}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  return neg ? `-${body}` : body;
}

const FLOAT_RE = /^[+-]?(\d+\.?\d*([eE][+-]?\d+)?|\.\d+([eE][+-]?\d+)?)$/;
const INT_RE = /^-?\d+$/;

function parseFloatField(text: string): number | null {
  const t = text.toLowerCase();
  if (t === 'nan' || t === '-nan' || t === '+nan') return NaN;
  if (t === 'inf' || t === '+inf' || t === 'infinity' || t === '+infinity') return Infinity;
  if (t === '-inf' || t === '-infinity') return -Infinity;
  return FLOAT_RE.test(text) ? Number(text) : null;
}

/** The metric line MLflow appends (a LoggedModel's metric lines add the run id). */
export function metricLine(m: Metric, runId?: string): string {
  return `${m.timestamp} ${pyFloatRepr(m.value)} ${m.step}${runId === undefined ? '' : ` ${runId}`}\n`;
}

/** Parses a metric file: 2 fields (legacy, step 0), 3, or 4 when `allowRunId` (MLflow 3 model metrics). */
export function parseMetricFile(file: string, key: string, text: string, allowRunId = false): Metric[] {
  const out: Metric[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line === '' && i === lines.length - 1) break;
    const f = line.trim().split(' ');
    if (f.length < 2 || f.length > (allowRunId ? 4 : 3)) {
      throw malformed(file, i + 1, `expected '<timestamp> <value> <step>', got ${JSON.stringify(line)}`);
    }
    const value = parseFloatField(f[1]!);
    if (!INT_RE.test(f[0]!) || value === null || (f.length > 2 && !INT_RE.test(f[2]!))) {
      throw malformed(file, i + 1, `expected '<timestamp> <value> <step>' (integer, number, integer), got ${JSON.stringify(line)}`);
    }
    out.push({ key, value, timestamp: Number(f[0]), step: f.length > 2 ? Number(f[2]) : 0 });
  }
  return out;
}
