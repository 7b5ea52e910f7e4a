/**
 * MLflow's search filter and order-by grammar (mlflow/utils/search_utils.py, as documented for
 * `search_runs` / `search_model_versions`): clauses `<identifier> <comparator> <value>` joined by
 * AND; identifiers `<entity>.<key>` with the key plain, `backticked` or "double-quoted";
 * comparators = != <> < <= > >= LIKE ILIKE IN NOT IN; values 'single' or "double" quoted strings,
 * numbers, or a parenthesised list of strings for IN. Errors name the position (0-based).
 */
import { Errors } from '../../src/errors.js';

export type Comparator = '=' | '!=' | '<' | '<=' | '>' | '>=' | 'LIKE' | 'ILIKE' | 'IN' | 'NOT IN';
export interface Identifier {
  /** `metrics`, `params`, … as written (lower-cased), or null for a bare name (registry filters). */
  entity: string | null;
  key: string;
  pos: number;
}
export interface Clause {
  ident: Identifier;
  comparator: Comparator;
  value: string | number | string[];
  /** Whether the value was a quoted string (or a list of them) rather than a number. */
  quoted: boolean;
  pos: number;
}
export interface OrderClause {
  ident: Identifier;
  ascending: boolean;
}

type Tok = { kind: 'word' | 'string' | 'number' | 'op' | 'punct' | 'quotedKey'; text: string; pos: number };

function tokenize(api: string, what: string, s: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s[i]!;
    if (/\s/.test(c)) { i++; continue; }
    const start = i;
    if (c === "'" || c === '"' || c === '`') {
      let j = i + 1;
      let text = '';
      while (j < s.length && s[j] !== c) text += s[j++];
      if (j >= s.length) throw Errors.invalidArg(api, what, `a closing ${c} for the quote at position ${start}`, s);
      out.push({ kind: c === "'" ? 'string' : c === '`' ? 'quotedKey' : 'string', text, pos: start });
      // a double-quoted text right after "<entity>." is a key, not a value
      if (c === '"' && out.length >= 2 && out[out.length - 2]!.kind === 'word' && out[out.length - 2]!.text.endsWith('.')) out[out.length - 1]!.kind = 'quotedKey';
      i = j + 1;
      continue;
    }
    const num = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?/.exec(s.slice(i));
    if (num && (out.length === 0 || out[out.length - 1]!.kind === 'op')) {
      out.push({ kind: 'number', text: num[0], pos: start });
      i += num[0].length;
      continue;
    }
    const op = /^(<=|>=|!=|<>|=|<|>)/.exec(s.slice(i));
    if (op) {
      out.push({ kind: 'op', text: op[0] === '<>' ? '!=' : op[0], pos: start });
      i += op[0].length;
      continue;
    }
    if (c === '(' || c === ')' || c === ',') { out.push({ kind: 'punct', text: c, pos: start }); i++; continue; }
    const word = /^[A-Za-z_][\w.]*/.exec(s.slice(i));
    if (word) {
      out.push({ kind: 'word', text: word[0], pos: start });
      i += word[0].length;
      continue;
    }
    throw Errors.invalidArg(api, what, `a valid token at position ${start} (unexpected ${JSON.stringify(c)})`, s);
  }
  return out;
}

class Cursor {
  i = 0;
  constructor(readonly api: string, readonly what: string, readonly src: string, readonly toks: Tok[]) {}
  peek(): Tok | undefined { return this.toks[this.i]; }
  next(): Tok | undefined { return this.toks[this.i++]; }
  fail(expected: string, tok = this.peek()): never {
    throw Errors.invalidArg(this.api, this.what, `${expected} at position ${tok ? tok.pos : this.src.length}${tok ? ` (found ${JSON.stringify(tok.text)})` : ' (end of input)'}`, this.src);
  }
  keyword(...words: string[]): boolean {
    const t = this.peek();
    if (t?.kind === 'word' && words.includes(t.text.toUpperCase())) return true;
    return false;
  }
}

function identifier(c: Cursor): Identifier {
  const t = c.next();
  if (!t || t.kind !== 'word') return c.fail('an identifier such as metrics.rmse or params.alpha', t);
  const dot = t.text.indexOf('.');
  if (dot < 0) return { entity: null, key: t.text, pos: t.pos };
  const entity = t.text.slice(0, dot).toLowerCase();
  let key = t.text.slice(dot + 1);
  if (key === '') {
    const q = c.next();
    if (!q || q.kind !== 'quotedKey') return c.fail(`a key after '${t.text}'`, q);
    key = q.text;
  }
  return { entity, key, pos: t.pos };
}

const COMPARATORS = new Set(['=', '!=', '<', '<=', '>', '>=']);

function clause(c: Cursor): Clause {
  const ident = identifier(c);
  const t = c.peek();
  let comparator: Comparator;
  if (t?.kind === 'op' && COMPARATORS.has(t.text)) { c.next(); comparator = t.text as Comparator; }
  else if (c.keyword('LIKE', 'ILIKE', 'IN')) comparator = c.next()!.text.toUpperCase() as Comparator;
  else if (c.keyword('NOT')) {
    c.next();
    if (!c.keyword('IN')) c.fail("IN after NOT");
    c.next();
    comparator = 'NOT IN';
  } else return c.fail("a comparator (=, !=, <, <=, >, >=, LIKE, ILIKE, IN, NOT IN)", t);
  const v = c.peek();
  if (comparator === 'IN' || comparator === 'NOT IN') {
    if (v?.kind !== 'punct' || v.text !== '(') return c.fail(`a parenthesised list of quoted strings after ${comparator}`, v);
    c.next();
    const list: string[] = [];
    for (;;) {
      const s = c.next();
      if (s?.kind !== 'string') return c.fail('a quoted string in the IN list', s);
      list.push(s.text);
      const sep = c.next();
      if (sep?.kind === 'punct' && sep.text === ')') break;
      if (sep?.kind !== 'punct' || sep.text !== ',') return c.fail("',' or ')' in the IN list", sep);
    }
    return { ident, comparator, value: list, quoted: true, pos: ident.pos };
  }
  c.next();
  if (v?.kind === 'string') return { ident, comparator, value: v.text, quoted: true, pos: ident.pos };
  if (v?.kind === 'number') return { ident, comparator, value: Number(v.text), quoted: false, pos: ident.pos };
  return c.fail('a value (a quoted string or a number)', v);
}

/** Parses a filter into AND-ed clauses (an empty filter is no clause). */
export function parseFilter(api: string, filter: string | undefined): Clause[] {
  if (filter === undefined || filter.trim() === '') return [];
  if (typeof filter !== 'string') throw Errors.invalidArg(api, 'filter', 'a string', filter);
  const c = new Cursor(api, 'filter', filter, tokenize(api, 'filter', filter));
  const out = [clause(c)];
  while (c.peek()) {
    if (c.keyword('OR')) c.fail("AND (OR is not supported by MLflow's search)");
    if (!c.keyword('AND')) c.fail('AND between clauses');
    c.next();
    out.push(clause(c));
  }
  return out;
}

/** Parses one order-by entry: `<identifier> [ASC|DESC]`. */
export function parseOrderBy(api: string, entry: string): OrderClause {
  if (typeof entry !== 'string') throw Errors.invalidArg(api, 'orderBy', 'an array of strings', entry);
  const c = new Cursor(api, 'orderBy', entry, tokenize(api, 'orderBy', entry));
  const ident = identifier(c);
  let ascending = true;
  if (c.keyword('ASC', 'DESC')) ascending = c.next()!.text.toUpperCase() === 'ASC';
  if (c.peek()) c.fail('the end of the order-by entry (after ASC or DESC)');
  return { ident, ascending };
}

/** SQL LIKE (`%` any run, `_` one character), case-insensitive for ILIKE. */
export function likeMatch(value: string, pattern: string, ci: boolean): boolean {
  const re = pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/%/g, '.*').replace(/_/g, '.');
  return new RegExp(`^${re}$`, ci ? 'si' : 's').test(value);
}

/** A string comparison of MLflow's search (=, !=, LIKE, ILIKE, IN, NOT IN). */
export function compareString(actual: string, cl: Clause): boolean {
  const v = cl.value;
  switch (cl.comparator) {
    case '=': return actual === v;
    case '!=': return actual !== v;
    case 'LIKE': return likeMatch(actual, v as string, false);
    case 'ILIKE': return likeMatch(actual, v as string, true);
    case 'IN': return (v as string[]).includes(actual);
    case 'NOT IN': return !(v as string[]).includes(actual);
    default: return false;
  }
}

/** A numeric comparison (=, !=, <, <=, >, >=) as Python compares floats (NaN compares false but !=). */
export function compareNumber(actual: number, cl: Clause): boolean {
  const v = cl.value as number;
  switch (cl.comparator) {
    case '=': return actual === v;
    case '!=': return actual !== v;
    case '<': return actual < v;
    case '<=': return actual <= v;
    case '>': return actual > v;
    case '>=': return actual >= v;
    default: return false;
  }
}
