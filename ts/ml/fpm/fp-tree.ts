/**
 * Spark's FPTree (mllib.fpm.FPTree) over item ranks: nodes with parent links, children by
 * item, and per item its count and nodes. `add` inserts a transaction, `merge` adds every node
 * of another tree (the same tree as adding its transactions), `extract` yields the frequent
 * itemsets. Between tasks and as a kept block a tree is plain data (`PlainTree`).
 */
import type { TaskContext } from '../../src/exec/task.js';
import { heap, typed } from './ragged.js';

/** An FP-tree as plain data: node 0 is the root; every other node has a parent with a smaller index. */
export interface PlainTree {
  parent: Int32Array;
  item: Int32Array;
  count: Float64Array;
}

export class FPTree {
  private parent: number[] = [-1];
  private item: number[] = [-1];
  private count: number[] = [0];
  private children: Array<Map<number, number> | undefined> = [undefined];
  readonly summaries = new Map<number, { count: number; nodes: number[] }>();

  static fromPlain(t: PlainTree): FPTree {
    return new FPTree().merge(t);
  }

  /** Nodes, the root included. */
  get size(): number {
    return this.parent.length;
  }

  private summary(it: number): { count: number; nodes: number[] } {
    let s = this.summaries.get(it);
    if (!s) {
      s = { count: 0, nodes: [] };
      this.summaries.set(it, s);
    }
    return s;
  }

  /** Adds `c` to the child of `curr` holding item `it` (made when missing) and returns it. */
  private bump(curr: number, it: number, c: number): number {
    const s = this.summary(it);
    s.count += c;
    const kids = (this.children[curr] ??= new Map());
    let child = kids.get(it);
    if (child === undefined) {
      child = this.parent.length;
      this.parent.push(curr);
      this.item.push(it);
      this.count.push(0);
      this.children.push(undefined);
      kids.set(it, child);
      s.nodes.push(child);
    }
    this.count[child]! += c;
    return child;
  }

  /** Adds the first `len` items of a transaction with a count (Spark's FPTree.add). */
  add(t: ArrayLike<number>, len: number, c: number): this {
    let curr = 0;
    this.count[0]! += c;
    for (let k = 0; k < len; k++) curr = this.bump(curr, t[k]!, c);
    return this;
  }

  /** Adds every node of another tree (Spark's merge: the same tree as adding its transactions). */
  merge(t: PlainTree): this {
    if (t.parent.length === 0) return this;
    const map = new Int32Array(t.parent.length);
    this.count[0]! += t.count[0]!;
    for (let i = 1; i < t.parent.length; i++) map[i] = this.bump(map[t.parent[i]!]!, t.item[i]!, t.count[i]!);
    return this;
  }

  /** The tree as plain data, allocated by `alloc` (TaskContext.alloc when it is kept as a block). */
  toPlain(alloc: TaskContext['alloc'] = heap): PlainTree {
    return { parent: typed(alloc, Int32Array, this.parent), item: typed(alloc, Int32Array, this.item), count: typed(alloc, Float64Array, this.count) };
  }

  /** The conditional tree of the paths ending at `suffix` (Spark's project). */
  project(suffix: number): FPTree {
    const tree = new FPTree();
    const s = this.summaries.get(suffix);
    if (!s) return tree;
    const path: number[] = [];
    for (const node of s.nodes) {
      path.length = 0;
      for (let p = this.parent[node]!; p > 0; p = this.parent[p]!) path.push(this.item[p]!);
      path.reverse();
      tree.add(path, path.length, this.count[node]!);
    }
    return tree;
  }

  /**
   * Frequent itemsets (Spark's extract): each frequent suffix item accepted by `validate`, then
   * the itemsets of its conditional tree behind it. Suffixes are taken in ascending rank at the
   * top and in descending rank inside conditional trees, which makes the output order
   * independent of how items are grouped.
   */
  extract(minCount: number, validate: ((rank: number) => boolean) | null, emit: (itemset: readonly number[], count: number) => void, prefix: number[] = []): void {
    const keys = [...this.summaries.keys()].sort((a, b) => (prefix.length === 0 ? a - b : b - a));
    for (const it of keys) {
      if (validate !== null && !validate(it)) continue;
      const s = this.summaries.get(it)!;
      if (s.count < minCount) continue;
      prefix.push(it);
      emit(prefix, s.count);
      this.project(it).extract(minCount, null, emit, prefix);
      prefix.pop();
    }
  }
}
