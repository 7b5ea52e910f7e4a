/**
 * Registry searches with MLflow's filter grammar (../tracking/search-filter.ts): registered models
 * by `name` (=, !=, LIKE, ILIKE) and `tags.<key>`; model versions by `name`, `run_id` (=, !=, IN,
 * NOT IN), `source_path` (=, !=, LIKE, ILIKE), `version_number` (numeric) and `tags.<key>`.
 * Models come back by name; versions by name, then version descending.
 */
import { Errors } from '../../src/errors.js';
import { compareNumber, compareString, parseFilter, type Clause } from '../tracking/search-filter.js';
import type { ModelVersion, RegisteredModel, RegistrySearchOptions } from './registry-store.js';

const STRING_OPS = ['=', '!=', 'LIKE', 'ILIKE'];
type Field = { ops: string[]; numeric: boolean };

function checked(api: string, filter: string | undefined, fields: Record<string, Field>): Array<[Clause, string, Field]> {
  const src = filter ?? '';
  return parseFilter(api, filter).map((cl) => {
    const name = cl.ident.entity === null ? cl.ident.key : cl.ident.entity === 'tags' || cl.ident.entity === 'tag' ? 'tags.' : `${cl.ident.entity}.${cl.ident.key}`;
    const field = fields[name];
    if (!field) throw Errors.invalidArg(api, 'filter', `a key among ${Object.keys(fields).map((k) => (k === 'tags.' ? 'tags.<key>' : k)).join(', ')} at position ${cl.pos} (found ${JSON.stringify(cl.ident.entity === null ? cl.ident.key : `${cl.ident.entity}.${cl.ident.key}`)})`, src);
    if (!field.ops.includes(cl.comparator)) throw Errors.invalidArg(api, 'filter', `a comparator among ${field.ops.join(', ')} for ${name === 'tags.' ? `tags.${cl.ident.key}` : name} at position ${cl.pos} (found ${cl.comparator})`, src);
    if (field.numeric === cl.quoted) throw Errors.invalidArg(api, 'filter', `${field.numeric ? 'a numeric' : 'a quoted string'} value for ${name} at position ${cl.pos}`, src);
    return [cl, name, field] as [Clause, string, Field];
  });
}

function test(value: string | number | null | undefined, cl: Clause): boolean {
  if (value === null || value === undefined) return false;
  return typeof value === 'number' ? compareNumber(value, cl) : compareString(value, cl);
}

function limit<T>(api: string, items: T[], maxResults: number | undefined, dflt: number): T[] {
  const max = maxResults ?? dflt;
  if (!Number.isInteger(max) || max < 1) throw Errors.outOfRange(api, 'maxResults', 'a positive integer', max);
  return items.slice(0, max);
}

export function filterModels(models: RegisteredModel[], opts: RegistrySearchOptions): RegisteredModel[] {
  const api = 'searchRegisteredModels';
  const clauses = checked(api, opts.filter, { name: { ops: STRING_OPS, numeric: false }, 'tags.': { ops: STRING_OPS, numeric: false } });
  const out = models.filter((m) => clauses.every(([cl, name]) => test(name === 'name' ? m.name : m.tags[cl.ident.key], cl)));
  return limit(api, out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)), opts.maxResults, 100);
}

export function filterVersions(versions: ModelVersion[], opts: RegistrySearchOptions): ModelVersion[] {
  const api = 'searchModelVersions';
  const clauses = checked(api, opts.filter, {
    name: { ops: STRING_OPS, numeric: false }, run_id: { ops: ['=', '!=', 'IN', 'NOT IN'], numeric: false }, source_path: { ops: STRING_OPS, numeric: false },
    version_number: { ops: ['=', '!=', '<', '<=', '>', '>='], numeric: true }, 'tags.': { ops: STRING_OPS, numeric: false },
  });
  const field = (v: ModelVersion, cl: Clause, name: string): string | number | null | undefined =>
    name === 'name' ? v.name : name === 'run_id' ? v.runId : name === 'source_path' ? v.source : name === 'version_number' ? v.version : v.tags[cl.ident.key];
  const out = versions.filter((v) => clauses.every(([cl, name]) => test(field(v, cl, name), cl)));
  out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : b.version - a.version));
  return limit(api, out, opts.maxResults, 10000);
}
