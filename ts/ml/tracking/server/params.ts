/**
 * The parameters of one REST request (MLFLOW.md §4): the JSON body of a POST/PATCH/DELETE merged
 * over the query string of a GET (repeated keys make arrays), read with typed getters that throw
 * ERR_KINDLING_INVALID_ARG naming the endpoint and the field — the server answers those with
 * MLflow's INVALID_PARAMETER_VALUE.
 */
import { Errors } from '../../../src/errors.js';

export class RequestParams {
  constructor(readonly api: string, private readonly raw: Record<string, unknown>) {}

  /** Query string pairs (`a=1&a=2` → ['1', '2']) merged under a JSON object body. */
  static from(api: string, query: URLSearchParams, body: unknown): RequestParams {
    const raw: Record<string, unknown> = {};
    for (const key of new Set(query.keys())) {
      const all = query.getAll(key);
      raw[key] = all.length === 1 ? all[0] : all;
    }
    if (body !== undefined) {
      if (body === null || typeof body !== 'object' || Array.isArray(body)) throw Errors.invalidArg(api, 'request body', 'a JSON object', body);
      Object.assign(raw, body);
    }
    return new RequestParams(api, raw);
  }

  has(name: string): boolean { return this.raw[name] != null; }

  str(name: string): string {
    const v = this.optStr(name);
    if (v === undefined) throw Errors.invalidArg(this.api, name, 'a string (required)', this.raw[name]);
    return v;
  }
  optStr(name: string): string | undefined {
    const v = this.raw[name];
    if (v == null) return undefined;
    if (typeof v !== 'string') throw Errors.invalidArg(this.api, name, 'a string', v);
    return v;
  }
  /** An int64: a JSON number or a decimal string (MLFLOW.md §4). */
  optInt(name: string): number | undefined {
    const v = this.raw[name];
    if (v == null) return undefined;
    const n = typeof v === 'string' && /^-?\d+$/.test(v) ? Number(v) : v;
    if (typeof n !== 'number' || !Number.isSafeInteger(n)) throw Errors.invalidArg(this.api, name, 'an integer', v);
    return n;
  }
  optBool(name: string): boolean | undefined {
    const v = this.raw[name];
    if (v == null) return undefined;
    if (v === true || v === 'true') return true;
    if (v === false || v === 'false') return false;
    throw Errors.invalidArg(this.api, name, 'a boolean', v);
  }
  /** A list of strings; a single query value counts as a list of one. */
  strList(name: string): string[] {
    const v = this.raw[name];
    if (v == null) return [];
    const list = Array.isArray(v) ? v : typeof v === 'string' ? [v] : null;
    if (!list || list.some((s) => typeof s !== 'string')) throw Errors.invalidArg(this.api, name, 'an array of strings', v);
    return list as string[];
  }
  /** A raw field (validated by the caller). */
  get(name: string): unknown { return this.raw[name]; }

  oneOf<T extends string>(name: string, values: readonly T[], dflt: T): T {
    const v = this.optStr(name);
    if (v === undefined) return dflt;
    if (!values.includes(v as T)) throw Errors.invalidArg(this.api, name, `one of ${values.join(', ')}`, v);
    return v as T;
  }

  /** max_results within [1, limit] (default `dflt`), and the offset a page_token carries. */
  page(dflt: number, limit: number): { offset: number; max: number } {
    const max = this.optInt('max_results') ?? dflt;
    if (max < 1 || max > limit) throw Errors.outOfRange(this.api, 'max_results', `an integer in [1, ${limit}]`, max);
    const token = this.optStr('page_token');
    if (token === undefined || token === '') return { offset: 0, max };
    const text = /^[A-Za-z0-9_-]+$/.test(token) ? Buffer.from(token, 'base64url').toString('utf8') : '';
    const offset = /^\d+$/.test(text) ? Number(text) : NaN;
    if (!Number.isSafeInteger(offset)) throw Errors.invalidArg(this.api, 'page_token', 'a token from a previous response', token);
    return { offset, max };
  }
}

/** One page of `items` (all results, in order) and the token of the next, as MLflow pages searches. */
export function pageOf<T>(items: T[], page: { offset: number; max: number }): { items: T[]; next: string | undefined } {
  const end = page.offset + page.max;
  return { items: items.slice(page.offset, end), next: end < items.length ? Buffer.from(String(end)).toString('base64url') : undefined };
}
