/**
 * Executor backends of one process: `InlineBackend` (master 'local': the calling thread) and
 * `LocalBackend` (master 'local[N]': a Piscina pool of N worker threads; the native addon loads
 * in each). Partitions whose buffers are SharedArrayBuffers are shared, others are copied in;
 * partial summaries are moved back.
 */
import { Piscina } from 'piscina';
import { Errors, KindlingError } from '../errors.js';
import type { ExecutorBackend, SummaryTask } from './backend.js';
import { resolveSummary } from './summary.js';
import { decodeError } from './wire.js';
import type { WorkerReply } from './worker.js';

export class InlineBackend implements ExecutorBackend {
  readonly parallelism = 1;
  readonly kind = 'inline' as const;

  async runSummaries<S, P, B>(tasks: ReadonlyArray<SummaryTask<P, B>>): Promise<S[]> {
    const out: S[] = [];
    for (const task of tasks) {
      const summary = await resolveSummary<S, P, B>(task.ref);
      out.push(summary.add(summary.zero(task.broadcast), task.partition, task.broadcast));
    }
    return out;
  }

  async close(): Promise<void> {}
}

export class LocalBackend implements ExecutorBackend {
  readonly kind = 'local' as const;
  readonly parallelism: number;
  private pool: Piscina | null;

  constructor(threads: number) {
    if (!Number.isInteger(threads) || threads < 1) throw Errors.outOfRange('LocalBackend', 'threads', 'integer >= 1', threads);
    this.parallelism = threads;
    // Run from source (tsx: this file is pool.ts) the worker module is worker.ts; from dist, .js.
    const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
    this.pool = new Piscina({ filename: new URL(`./worker${ext}`, import.meta.url).href, minThreads: threads, maxThreads: threads, idleTimeout: 60_000 });
    // A worker that dies (e.g. cannot load) rejects its task; keep the pool's 'error' event from
    // becoming an uncaught exception of the whole process.
    this.pool.on('error', () => {});
  }

  async runSummaries<S, P, B>(tasks: ReadonlyArray<SummaryTask<P, B>>): Promise<S[]> {
    const pool = this.pool;
    if (!pool) throw new KindlingError('ERR_KINDLING_WORKER', 'LocalBackend: the pool is closed (Session.stop() was called)');
    const replies = await Promise.all(
      tasks.map(async (task, i) => {
        let reply: WorkerReply;
        try {
          reply = (await pool.run(task)) as WorkerReply;
        } catch (cause) {
          throw new KindlingError('ERR_KINDLING_WORKER', `LocalBackend: worker failed on task ${i}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
        }
        if (!reply.ok) throw decodeError(reply.error);
        return reply.value as S;
      }),
    );
    return replies;
  }

  async close(): Promise<void> {
    const pool = this.pool;
    this.pool = null;
    if (pool) await pool.destroy();
  }
}
