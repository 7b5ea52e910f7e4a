/** Spark DDL schema strings: 'name string, age int NOT NULL, tags array<string>'. */
import * as arrow from 'apache-arrow';
import { Errors } from '../errors.js';
import { parseTypeName } from './types.js';

function splitTopLevel(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of s) {
    if (ch === '<' || ch === '(') depth++;
    else if (ch === '>' || ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  if (cur.trim().length > 0) out.push(cur);
  return out;
}

export function parseSchema(api: string, ddl: string): arrow.Schema {
  if (typeof ddl !== 'string' || ddl.trim().length === 0) throw Errors.invalidArg(api, 'schema', "a DDL string such as 'name string, age int'", ddl);
  const fields = splitTopLevel(ddl).map((part) => {
    const m = /^\s*`?([^`\s:]+)`?\s*:?\s+(.+?)(\s+NOT\s+NULL)?\s*$/i.exec(part);
    if (!m) throw Errors.invalidArg(api, 'schema', "'<name> <type>' entries separated by commas", part.trim());
    return new arrow.Field(m[1]!, parseTypeName(api, m[2]!), !m[3]);
  });
  return new arrow.Schema(fields);
}
