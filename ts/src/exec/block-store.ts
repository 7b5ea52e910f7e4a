/** Blocks held by one executor (or, for the backends of one process, by the driver's thread on their behalf). */
import { Errors } from '../errors.js';
import type { BlockId, TaskInput } from './backend.js';

export class BlockStore {
  private readonly values = new Map<BlockId, unknown>();
  private next = 1;

  add(value: unknown): BlockId {
    const id = this.next++;
    this.values.set(id, value);
    return id;
  }

  get(id: BlockId): unknown {
    if (!this.values.has(id)) throw Errors.invalidArg('executor', 'block', 'a block this executor holds (it was released, or its session stopped)', id);
    return this.values.get(id);
  }

  /** The value a task input names (a block, a tuple of blocks, or the value it carries). */
  resolve(input: TaskInput): unknown {
    if ('block' in input) return this.get(input.block);
    if ('blocks' in input) return input.blocks.map((id) => this.get(id));
    return input.value;
  }

  drop(ids: readonly BlockId[]): void {
    for (const id of ids) this.values.delete(id);
  }

  clear(): void {
    this.values.clear();
  }

  get size(): number {
    return this.values.size;
  }
}
