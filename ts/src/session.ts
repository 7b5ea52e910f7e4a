/**
 * `Session` (SparkSession): the entry point that owns an executor backend.
 *   Session.builder().appName('cars').master('local[2]').config('k', 'v').getOrCreate()
 * master: 'local' (the calling thread), 'local[N]' (a pool of N worker threads), 'local[*]'
 * (one per core). 'kindling://host:port' is reserved for the cluster runtime.
 */
import { availableParallelism } from 'node:os';
import { Errors, KindlingError } from './errors.js';
import type { ExecutorBackend } from './exec/backend.js';
import { InlineBackend, LocalBackend } from './exec/pool.js';
import { treeAggregate, type AggregateOptions } from './exec/aggregate.js';
import type { SummaryRef } from './exec/summary.js';
import type * as arrow from 'apache-arrow';
import { DataFrame, type SessionLike } from './dataframe/dataframe.js';
import { DataFrameReader } from './dataframe/reader.js';
import { DataFrameWriter } from './dataframe/writer.js';
import { createBatches, splitPartitions, type CreateInput } from './dataframe/create.js';
import type { ExecContext } from './dataframe/exec.js';
import { DenseTables } from './dataframe/dense-agg.js';

export interface ParsedMaster {
  kind: 'inline' | 'local' | 'cluster';
  threads: number;
  url?: string;
}

/** Parses a master URL as Spark does for local modes. */
export function parseMaster(master: string): ParsedMaster {
  if (typeof master !== 'string') throw Errors.invalidArg('Session.builder', 'master', "'local', 'local[N]', 'local[*]' or 'kindling://host:port'", master);
  if (master === 'local') return { kind: 'inline', threads: 1 };
  const m = /^local\[(\*|\d+)\]$/.exec(master);
  if (m) {
    const threads = m[1] === '*' ? availableParallelism() : Number(m[1]);
    if (!Number.isSafeInteger(threads) || threads < 1 || threads > 1024) {
      throw Errors.outOfRange('Session.builder', 'master', 'local[N] with 1 <= N <= 1024', master);
    }
    return { kind: 'local', threads };
  }
  if (/^kindling:\/\/[^/:]+:\d+$/.test(master)) return { kind: 'cluster', threads: 0, url: master };
  throw Errors.invalidArg('Session.builder', 'master', "'local', 'local[N]', 'local[*]' or 'kindling://host:port'", master);
}

export class SessionBuilder {
  private name = 'kindling';
  private masterUrl = 'local[*]';
  private readonly conf = new Map<string, string>();

  appName(name: string): this {
    if (typeof name !== 'string' || name.length === 0) throw Errors.invalidArg('Session.builder', 'appName', 'a non-empty string', name);
    this.name = name;
    return this;
  }

  master(url: string): this {
    parseMaster(url);
    this.masterUrl = url;
    return this;
  }

  config(key: string, value: string | number | boolean): this {
    if (typeof key !== 'string' || key.length === 0) throw Errors.invalidArg('Session.builder', 'config key', 'a non-empty string', key);
    this.conf.set(key, String(value));
    return this;
  }

  /** The active session if there is one (its settings win, as in Spark), else a new one. */
  async getOrCreate(): Promise<Session> {
    if (Session.active) {
      for (const [k, v] of this.conf) Session.active.conf.set(k, v);
      return Session.active;
    }
    const parsed = parseMaster(this.masterUrl);
    if (parsed.kind === 'cluster') {
      throw new KindlingError('ERR_KINDLING_INVALID_ARG', `Session.builder: master ${this.masterUrl} needs the cluster runtime (kindling/cluster), which this build does not include yet; use 'local[N]'`);
    }
    const backend = parsed.kind === 'inline' ? new InlineBackend() : new LocalBackend(parsed.threads);
    const session = new Session(this.name, this.masterUrl, backend, new Map(this.conf));
    Session.active = session;
    return session;
  }
}

export class Session implements SessionLike {
  static active: Session | null = null;

  static builder(): SessionBuilder {
    return new SessionBuilder();
  }

  private stopped = false;
  private readonly denseTables = new DenseTables();

  constructor(
    readonly appName: string,
    readonly master: string,
    readonly backend: ExecutorBackend,
    readonly conf: Map<string, string>,
  ) {}

  /** Tasks that can run at once (Spark's defaultParallelism). */
  get defaultParallelism(): number {
    return this.backend.parallelism;
  }

  /** Folds partitions with a partition summary and merges the partials (Spark's treeAggregate). */
  async treeAggregate<S, P, B>(ref: SummaryRef, partitions: readonly P[], broadcast: B, options?: AggregateOptions): Promise<S> {
    if (this.stopped) throw new KindlingError('ERR_KINDLING_WORKER', `Session ${this.appName}: stopped`);
    return treeAggregate<S, P, B>(this.backend, ref, partitions, broadcast, options);
  }

  /** Rows per partition when reading files (conf `kindling.files.partitionRows`, default 1,048,576). */
  execContext(): ExecContext {
    this.checkOpen();
    const rows = Number(this.conf.get('kindling.files.partitionRows') ?? 1 << 20);
    return { backend: this.backend, dense: this.denseTables, partitionRows: Number.isInteger(rows) && rows > 0 ? rows : 1 << 20 };
  }

  newWriter(df: DataFrame): DataFrameWriter {
    return new DataFrameWriter(df);
  }

  private checkOpen(): void {
    if (this.stopped) throw new KindlingError('ERR_KINDLING_WORKER', `Session ${this.appName}: stopped`);
  }

  /** spark.read: csv / json / parquet / arrow readers. */
  get read(): DataFrameReader {
    this.checkOpen();
    return new DataFrameReader(this);
  }

  /**
   * A DataFrame from an Arrow Table (zero-copy), `{ column: values }` (typed arrays wrapped
   * without a copy) or rows (objects, or arrays with a schema). Local data is split into
   * `defaultParallelism` partitions, as Spark slices local collections.
   */
  createDataFrame(data: CreateInput, schema?: arrow.Schema | string | readonly string[]): DataFrame {
    this.checkOpen();
    const { schema: s, batches } = createBatches('createDataFrame', data, schema);
    const partitions = splitPartitions(batches, this.defaultParallelism);
    return new DataFrame(this, { op: 'memory', schema: s, partitions: partitions.length > 0 ? partitions : [] });
  }

  /** spark.range(end) / range(start, end, step = 1, numPartitions): one bigint column `id`. */
  range(start: number | bigint, end?: number | bigint, step: number | bigint = 1, numPartitions?: number): DataFrame {
    this.checkOpen();
    const toBig = (name: string, v: number | bigint) => {
      if (typeof v === 'bigint') return v;
      if (!Number.isSafeInteger(v)) throw Errors.invalidArg('range', name, 'an integer', v);
      return BigInt(v);
    };
    let lo = toBig('start', start);
    let hi: bigint;
    if (end === undefined) {
      hi = lo;
      lo = 0n;
    } else hi = toBig('end', end);
    const st = toBig('step', step);
    if (st === 0n) throw Errors.outOfRange('range', 'step', 'a non-zero integer', step);
    const parts = numPartitions ?? this.defaultParallelism;
    if (!Number.isInteger(parts) || parts < 1) throw Errors.outOfRange('range', 'numPartitions', 'an integer >= 1', numPartitions);
    return new DataFrame(this, { op: 'range', start: lo, end: hi, step: st, numPartitions: parts });
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.denseTables.clear();
    if (Session.active === this) Session.active = null;
    await this.backend.close();
  }
}
