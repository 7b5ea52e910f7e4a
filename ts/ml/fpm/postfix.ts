/**
 * PrefixSpan's projections, as Spark's mllib.fpm.PrefixSpan (Pei et al. 2001), over its internal
 * format: each sequence an Int32Array of 1-based item ids, itemsets sorted, 0 before, between
 * and after itemsets (<(12)(31)1> = [0,1,2,0,1,3,0,1,0]).
 *   - `Postfix` (Spark's PrefixSpan.Postfix): what is left of a sequence after projecting it by
 *     a prefix, the extension items it offers, and the next projections;
 *   - `PlainPostfixes`: postfixes as plain data, each tagged with the id of its prefix (a
 *     projected database, kept as blocks between the projection and the local mining);
 *   - `localPrefixSpan` (Spark's LocalPrefixSpan): depth-first growth of one projected database.
 */
import type { TaskContext } from '../../src/exec/task.js';
import { heap, listAt, RaggedBuilder, typed, type Ragged } from './ragged.js';

/**
 * The suffix of a sequence after a projection, as a start index into the sequence's items plus
 * the start indices of partial projections (ones that split an itemset), strictly increasing.
 */
export class Postfix {
  constructor(
    readonly items: Int32Array,
    readonly start = 0,
    readonly partialStarts: readonly number[] = [],
  ) {}

  /** Index of the first full itemset's delimiter. */
  private fullStart(): number {
    let i = this.start;
    while (this.items[i] !== 0) i++;
    return i;
  }

  /** Prefix items with their postfix sizes: negative = assembled into the prefix's last itemset, positive = appended. */
  genPrefixItems(): Map<number, number> {
    const items = this.items;
    const n1 = items.length - 1;
    const prefixes = new Map<number, number>();
    for (const start of this.partialStarts) {
      let i = start;
      let x = -items[i]!;
      while (x !== 0) {
        if (!prefixes.has(x)) prefixes.set(x, n1 - i);
        i++;
        x = -items[i]!;
      }
    }
    for (let i = this.fullStart(); i < n1; i++) {
      const x = items[i]!;
      if (x !== 0 && !prefixes.has(x)) prefixes.set(x, n1 - i);
    }
    return prefixes;
  }

  get nonEmpty(): boolean {
    return this.items.length > this.start + 1;
  }

  /** Projects by one prefix item (negative: partial projection). */
  project(prefix: number): Postfix {
    const items = this.items;
    const n1 = items.length - 1;
    let matched = false;
    let newStart = n1;
    const newPartialStarts: number[] = [];
    if (prefix < 0) {
      const target = -prefix;
      for (const start of this.partialStarts) {
        let i = start;
        let x = items[i]!;
        while (x !== target && x !== 0) {
          i++;
          x = items[i]!;
        }
        if (x === target) {
          i++;
          if (!matched) {
            newStart = i;
            matched = true;
          }
          if (items[i] !== 0) newPartialStarts.push(i);
        }
      }
    } else {
      const target = prefix;
      for (let i = this.fullStart(); i < n1; i++) {
        if (items[i] === target) {
          if (!matched) {
            newStart = i;
            matched = true;
          }
          if (items[i + 1] !== 0) newPartialStarts.push(i + 1);
        }
      }
    }
    return new Postfix(items, newStart, newPartialStarts);
  }

  /** Projects by a prefix in the internal format (without its trailing 0). */
  projectPrefix(prefix: ArrayLike<number>): Postfix {
    let partial = true;
    let cur: Postfix = this;
    for (let i = 0; i < prefix.length && cur.nonEmpty; i++) {
      const x = prefix[i]!;
      if (x === 0) partial = false;
      else if (partial) cur = cur.project(-x);
      else {
        cur = cur.project(x);
        partial = true;
      }
    }
    return cur;
  }

  /** The same postfix on its own copy of the items from `start` on. */
  compressed(): Postfix {
    if (this.start === 0) return this;
    return new Postfix(this.items.slice(this.start), 0, this.partialStarts.map((p) => p - this.start));
  }
}

/** Compressed postfixes, each with the id of the prefix it was projected by. */
export interface PlainPostfixes {
  ids: Int32Array;
  items: Ragged;
  partialStarts: Ragged;
}

/** Postfixes as plain data, allocated by `alloc` (TaskContext.alloc when they are kept as a block). */
export function postfixesFrom(list: ReadonlyArray<{ id: number; postfix: Postfix }>, alloc: TaskContext['alloc'] = heap): PlainPostfixes {
  const items = new RaggedBuilder();
  const partialStarts = new RaggedBuilder();
  for (const e of list) {
    items.push(e.postfix.items);
    partialStarts.push(e.postfix.partialStarts);
  }
  return { ids: typed(alloc, Int32Array, list.map((e) => e.id)), items: items.build(alloc), partialStarts: partialStarts.build(alloc) };
}

export function postfixAt(p: PlainPostfixes, i: number): Postfix {
  return new Postfix(listAt(p.items, i), 0, Array.from(listAt(p.partialStarts, i)));
}

/**
 * Spark's LocalPrefixSpan: depth-first growth of one projected database, extension items in
 * ascending order (partial ones, negative, first). Emits prefix.items ++ pattern.
 */
export function localPrefixSpan(minCount: number, maxPatternLength: number, prefixItems: ArrayLike<number>, postfixes: Postfix[], emit: (pattern: number[], count: number) => void): void {
  const base = Array.from(prefixItems);
  const grow = (prefix: number[], length: number, dbs: Postfix[]): void => {
    if (maxPatternLength === length || dbs.length < minCount) return;
    const counts = new Map<number, number>();
    for (const p of dbs) for (const x of p.genPrefixItems().keys()) counts.set(x, (counts.get(x) ?? 0) + 1);
    const freq = [...counts.entries()].filter(([, c]) => c >= minCount).sort((a, b) => a[0] - b[0]);
    for (const [item, count] of freq) {
      const next = item < 0 ? [...prefix, -item] : [...prefix, 0, item];
      emit([...base, ...next, 0], count);
      const projected: Postfix[] = [];
      for (const p of dbs) {
        const q = p.project(item);
        if (q.nonEmpty) projected.push(q);
      }
      grow(next, length + 1, projected);
    }
  };
  grow([], 0, postfixes);
}
