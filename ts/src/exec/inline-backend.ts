/**
 * master 'local': tasks run one after another on the calling thread, blocks are the driver's
 * own values (no copies, nothing moves).
 */
import type { BlockId, ExecutorBackend, ExecutorMetrics, TaskSpec } from './backend.js';
import { BlockStore } from './block-store.js';
import { runOnThisThread } from './execute-task.js';

export class InlineBackend implements ExecutorBackend {
  readonly parallelism = 1;
  readonly metrics: ExecutorMetrics = { tasks: 0, bytesToExecutors: 0, bytesFromExecutors: 0 };
  private readonly store = new BlockStore();
  private loaded: Promise<void> | null = null;

  /** `entry`: the worker entry module (ts/worker.ts), imported once so this thread knows the built-in tasks. */
  constructor(private readonly entry: string) {}

  ready(): Promise<void> {
    this.loaded ??= import(this.entry).then(() => undefined);
    return this.loaded;
  }

  async run(tasks: readonly TaskSpec[]): Promise<unknown[]> {
    await this.ready();
    return runOnThisThread(tasks, this.store, false, this.metrics);
  }

  put(values: readonly unknown[]): BlockId[] {
    return values.map((v) => this.store.add(v));
  }

  get(id: BlockId): unknown {
    return this.store.get(id);
  }

  drop(ids: readonly BlockId[]): void {
    this.store.drop(ids);
  }

  async close(): Promise<void> {
    this.store.clear();
  }
}
