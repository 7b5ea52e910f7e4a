/**
 * master 'local': tasks run one after another on the calling thread, blocks are the driver's
 * own values (no copies, nothing moves).
 */
import type { BlockId, ExecutorBackend, ExecutorMetrics, KeptRef, TaskSpec } from './backend.js';
import { BlockStore } from './block-store.js';
import { executeTask } from './execute-task.js';
import type { Kept } from './task.js';

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
    const out: unknown[] = [];
    try {
      for (const spec of tasks) {
        this.metrics.tasks++;
        const input = this.store.resolve(spec.input);
        const r = await executeTask(spec, input, false);
        if (spec.keep) {
          const k = r as Kept;
          out.push({ ids: k.kept.map((v) => this.store.add(v)), meta: k.meta } satisfies KeptRef);
        } else out.push(r);
      }
    } catch (err) {
      // a failed job keeps nothing
      for (const r of out) if (tasks[0]?.keep) this.store.drop((r as KeptRef).ids);
      throw err;
    }
    return out;
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
