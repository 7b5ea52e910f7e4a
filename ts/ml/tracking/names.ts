/**
 * MLflow's rules for names and values (../shared/formats/MLFLOW.md §1.4): metric, param and tag
 * keys of at most 250 characters drawn from alphanumerics, `_ - . / space`, no `..` segment and no
 * leading `/`; param values of at most 6000 characters and tag values of at most 8000; and the
 * generated run names (`<adjective>-<animal>-<n>`).
 */
import { randomInt } from 'node:crypto';
import { Errors } from '../../src/errors.js';
import { pyFloatRepr } from './store-files.js';

export const MAX_KEY_LENGTH = 250;
export const MAX_PARAM_VALUE_LENGTH = 6000;
export const MAX_TAG_VALUE_LENGTH = 8000;
const KEY_RE = /^[\w\-./ ]+$/;

/** Checks a metric/param/tag key (`kind` names it in the message). */
export function checkKey(api: string, kind: string, key: unknown): string {
  if (typeof key !== 'string' || key === '' || !KEY_RE.test(key)) {
    throw Errors.invalidArg(api, `${kind} key`, "a non-empty string of alphanumerics, '_', '-', '.', '/' and spaces", key);
  }
  if (key.length > MAX_KEY_LENGTH) throw Errors.outOfRange(api, `${kind} key`, `at most ${MAX_KEY_LENGTH} characters`, key);
  if (key.startsWith('/') || key.split('/').some((s) => s === '..' || s === '.' || s === '')) {
    throw Errors.invalidArg(api, `${kind} key`, "a relative path without '', '.' or '..' segments", key);
  }
  return key;
}

/**
 * A param or tag value as MLflow stores it, Python's str() of the value (booleans `True`/`False`,
 * fractions as Python's float repr: `1e-06`), so filters match stores written from Python; null as
 * an empty file; checked against the length limit.
 */
export function checkValue(api: string, kind: 'param' | 'tag', key: string, value: unknown): string {
  if (value === undefined || typeof value === 'function' || typeof value === 'symbol' || (typeof value === 'object' && value !== null)) {
    throw Errors.invalidArg(api, `${kind} ${JSON.stringify(key)}`, 'a string, number, boolean or null', value);
  }
  const s = value === null ? '' : typeof value === 'boolean' ? (value ? 'True' : 'False')
    : typeof value === 'number' && !Number.isInteger(value) ? pyFloatRepr(value) : String(value);
  const max = kind === 'param' ? MAX_PARAM_VALUE_LENGTH : MAX_TAG_VALUE_LENGTH;
  if (s.length > max) throw Errors.outOfRange(api, `${kind} ${JSON.stringify(key)}`, `a value of at most ${max} characters`, s);
  return s;
}

/** A registered model name: non-empty, no path separators or '%' (MLFLOW.md §2). */
export function checkName(api: string, what: string, name: unknown): string {
  if (typeof name !== 'string' || name.trim() === '' || /[/\\%]/.test(name) || name === '.' || name === '..') {
    throw Errors.invalidArg(api, what, "a non-empty name without '/', '\\' or '%'", name);
  }
  return name;
}

const ADJECTIVES = ['abundant', 'bold', 'brave', 'bright', 'calm', 'capable', 'clean', 'clever', 'crisp', 'dapper', 'eager', 'gentle', 'honest', 'kindly', 'lively', 'loud', 'merciful', 'nimble', 'polite', 'rare', 'sincere', 'stylish', 'sassy', 'wise'];
const ANIMALS = ['ant', 'bass', 'bee', 'carp', 'colt', 'crab', 'deer', 'donkey', 'finch', 'fox', 'gull', 'hare', 'hog', 'jay', 'koi', 'lark', 'mule', 'owl', 'pig', 'roo', 'shark', 'slug', 'snake', 'stork'];

/** A run name as MLflow generates them: `bright-jay-719`. */
export function generateRunName(): string {
  return `${ADJECTIVES[randomInt(ADJECTIVES.length)]}-${ANIMALS[randomInt(ANIMALS.length)]}-${randomInt(1000)}`;
}
