/**
 * The executor backend interface the scheduler talks to. `local` runs tasks on the calling
 * thread, `local[N]` on a Piscina pool of N worker threads (pool.ts); the cluster runtime
 * (ts/cluster) implements the same interface over TCP.
 */
import type { SummaryRef } from './summary.js';

/** One task: fold one partition into a fresh summary. */
export interface SummaryTask<P = unknown, B = unknown> {
  ref: SummaryRef;
  partition: P;
  broadcast: B;
}

export interface ExecutorBackend {
  /** Tasks that can run at once. */
  readonly parallelism: number;
  readonly kind: 'inline' | 'local' | 'cluster';
  /** Runs each task (zero + add of its partition) and returns the partial summaries in order. */
  runSummaries<S, P, B>(tasks: ReadonlyArray<SummaryTask<P, B>>): Promise<S[]>;
  close(): Promise<void>;
}
