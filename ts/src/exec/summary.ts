/**
 * The partition-summary contract (ARCHITECTURE.md): a heavy computation folds one partition into
 * a small mergeable value — `zero`, `add(partition)`, `merge(a, b)` — and the driver merges the
 * per-partition values in a tree. Summaries are plain data (numbers, strings, typed arrays), so
 * they cross worker threads by transfer and machines through `wire.ts`.
 *
 * Tasks are declarative: a worker receives a `SummaryRef` (a module URL and an export name) and
 * imports that module itself. No function or code string is ever shipped.
 */
import { Errors } from '../errors.js';
import { BUILTIN_SUMMARIES } from './builtin.js';

export interface Summary<S, P = unknown, B = unknown> {
  zero(broadcast: B): S;
  /** Folds one partition into `s` (may mutate and return it). */
  add(s: S, partition: P, broadcast: B): S;
  /** Associative; `zero` is its identity. May mutate and return `a`. */
  merge(a: S, b: S): S;
}

/**
 * Where a worker finds a summary: a built-in module name (`kindling:moments`, see builtin.ts),
 * or the file: URL of a user module (compiled JavaScript) and the export name.
 */
export interface SummaryRef {
  module: string;
  name: string;
}

/** Builds a ref: `summaryRef('kindling:moments', 'momentsSummary')` or `summaryRef(import.meta.url, 'mySummary')`. */
export function summaryRef(module: string, name: string): SummaryRef {
  if (typeof module !== 'string' || !(module in BUILTIN_SUMMARIES || /^file:/.test(module))) {
    throw Errors.invalidArg('summaryRef', 'module', `a built-in summary module (${Object.keys(BUILTIN_SUMMARIES).join(', ')}) or a file: URL`, module);
  }
  if (typeof name !== 'string' || name.length === 0) throw Errors.invalidArg('summaryRef', 'name', 'a non-empty export name', name);
  return { module, name };
}

const cache = new Map<string, Summary<unknown>>();

/** Imports and checks the summary a ref names (cached per thread). */
export async function resolveSummary<S, P, B>(ref: SummaryRef): Promise<Summary<S, P, B>> {
  const key = `${ref.module}#${ref.name}`;
  let s = cache.get(key);
  if (!s) {
    const builtin = BUILTIN_SUMMARIES[ref.module];
    const mod = (builtin ?? (await import(ref.module))) as Record<string, unknown>;
    const candidate = mod[ref.name] as Summary<unknown> | undefined;
    if (!candidate || typeof candidate.zero !== 'function' || typeof candidate.add !== 'function' || typeof candidate.merge !== 'function') {
      throw Errors.invalidArg('resolveSummary', 'ref', `a module exporting a Summary (zero/add/merge) named ${ref.name}`, ref.module);
    }
    s = candidate;
    cache.set(key, s);
  }
  return s as Summary<S, P, B>;
}

/** Transferable buffers inside a plain-data value (typed arrays found at any depth). */
export function transferables(value: unknown, out: ArrayBuffer[] = [], seen = new Set<ArrayBuffer>()): ArrayBuffer[] {
  if (ArrayBuffer.isView(value)) {
    const buf = value.buffer;
    if (buf instanceof ArrayBuffer && !seen.has(buf)) {
      seen.add(buf);
      out.push(buf);
    }
  } else if (Array.isArray(value)) {
    for (const v of value) transferables(v, out, seen);
  } else if (value !== null && typeof value === 'object') {
    for (const v of Object.values(value)) transferables(v, out, seen);
  }
  return out;
}

/**
 * Spark's treeAggregate merge order over per-partition values: with P partials and depth d,
 * scale = max(ceil(P^(1/d)), 2); while P > scale + ceil(P / scale), partials are regrouped by
 * (index mod P/scale) and merged; the rest are merged in order. Results equal a sequential fold
 * up to floating-point reassociation.
 */
export function treeMerge<S>(partials: S[], merge: (a: S, b: S) => S, zero: () => S, depth = 2): S {
  if (!Number.isInteger(depth) || depth < 1) throw Errors.outOfRange('treeAggregate', 'depth', 'integer >= 1', depth);
  let level = partials.slice();
  if (level.length === 0) return zero();
  const scale = Math.max(Math.ceil(Math.pow(level.length, 1 / depth)), 2);
  let numPartitions = level.length;
  while (numPartitions > scale + Math.ceil(numPartitions / scale)) {
    numPartitions = Math.floor(numPartitions / scale);
    const next: S[] = Array.from({ length: numPartitions }, () => zero());
    level.forEach((s, i) => {
      const j = i % numPartitions;
      next[j] = merge(next[j]!, s);
    });
    level = next;
  }
  return level.reduce((a, b) => merge(a, b), zero());
}
