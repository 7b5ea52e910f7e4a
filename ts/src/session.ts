/**
 * `Session` (SparkSession): the entry point that owns an executor backend.
 *   Session.builder().appName('cars').master('local[2]').config('k', 'v').getOrCreate()
 * master: 'local' (the calling thread), 'local[N]' (a pool of N worker threads), 'local[*]'
 * (one per core). 'kindling://host:port' is reserved for the cluster runtime.
 */
import { availableParallelism } from 'node:os';
import { inspect } from 'node:util';
import { Errors, KindlingError } from './errors.js';
import type { ExecutorBackend } from './exec/backend.js';
import { InlineBackend } from './exec/inline-backend.js';
import { PoolBackend } from './exec/pool-backend.js';
import { aggregateJob, isSourceLike, keepJob, mapJob, valuesSource, type Blocks, type JobSource, type SourceLike } from './exec/jobs.js';
import { resolveTask, isSummary, isTask, type PartitionTask, type Summary, type Task, type TaskRef } from './exec/task.js';
import type * as arrow from 'apache-arrow';
import { DataFrame, type SessionLike } from './dataframe/dataframe.js';
import { DataFrameReader } from './dataframe/reader.js';
import { UDFRegistration } from './model-udf.js';
import { DataFrameWriter } from './dataframe/writer.js';
import { createBatches, splitPartitions, type CreateInput, type CreateOptions } from './dataframe/create.js';
import { frameSource, type ExecContext } from './dataframe/physical.js';

/**
 * The worker entry (ts/worker.ts, the composition root that registers the built-in tasks): from
 * sources under a TypeScript loader this file is session.ts and the entry worker.ts; from the
 * built package, .js.
 */
const WORKER_ENTRY = new URL(`../worker${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url).href;

/** The executor backend of a local master URL ('local', 'local[N]', 'local[*]'). */
export function createBackend(master: string): ExecutorBackend {
  const parsed = parseMaster(master);
  if (parsed.kind === 'cluster') {
    throw new KindlingError('ERR_KINDLING_INVALID_ARG', `Session.builder: master ${master} needs the cluster runtime (kindling/cluster), which this build does not include yet; use 'local[N]'`);
  }
  return parsed.kind === 'inline' ? new InlineBackend(WORKER_ENTRY) : new PoolBackend(parsed.threads, WORKER_ENTRY);
}

/**
 * Where a job's partitions come from: a DataFrame (its narrow operators run in the same tasks),
 * blocks kept by an earlier job (or anything with a `source()`, e.g. a fit's prepared training
 * data), a JobSource, or values (one per partition).
 */
export type JobInput = DataFrame | SourceLike | JobSource | readonly unknown[];

export interface AggregateOptions {
  /** Spark's aggregationDepth (>= 1; default 2). */
  depth?: number;
}

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
    const backend = createBackend(this.masterUrl);
    const session = new Session(this.name, this.masterUrl, backend, new Map(this.conf));
    Session.active = session;
    // warm the executors now: the first job must not wait for threads to load their modules
    await backend.ready();
    return session;
  }
}

export class Session implements SessionLike {
  static active: Session | null = null;

  static builder(): SessionBuilder {
    return new SessionBuilder();
  }

  private stopped = false;

  constructor(
    readonly appName: string,
    readonly master: string,
    readonly backend: ExecutorBackend,
    readonly conf: Map<string, string>,
  ) {}

  toString(): string {
    return `Session(appName='${this.appName}', master='${this.master}'${this.stopped ? ', stopped' : ''})`;
  }

  [inspect.custom](): string {
    return this.toString();
  }

  /** Tasks that can run at once (Spark's defaultParallelism). */
  get defaultParallelism(): number {
    return this.backend.parallelism;
  }

  // ----- the one execution API (exec/jobs.ts) ----------------------------------------------------

  private async source(input: JobInput): Promise<JobSource> {
    this.checkOpen();
    if (input instanceof DataFrame) return frameSource(input.plan, this.execContext());
    if (Array.isArray(input)) return valuesSource(input);
    if (isSourceLike(input)) return input.source();
    if (input !== null && typeof input === 'object' && Array.isArray((input as JobSource).inputs)) return input as JobSource;
    throw Errors.invalidArg('Session', 'source', 'a DataFrame, Blocks, a JobSource or an array of partition values', input);
  }

  /** The summary object, with its ref: the driver merges, so a `taskRef(url, name)` is imported here too. */
  private async summaryOf<S, P, B>(summary: Summary<S, P, B> | TaskRef): Promise<Summary<S, P, B>> {
    const t = isTask(summary) ? summary : (Object.assign(Object.create(await resolveTask(summary)) as object, { ref: summary }) as Task);
    if (!isSummary(t)) throw Errors.invalidArg('treeAggregate', 'summary', 'a Summary (zero/add/merge)', summary);
    return t as Summary<S, P, B>;
  }

  /**
   * Spark's treeAggregate: `summary` folds every partition of `source` on the executors (a
   * DataFrame's partitions arrive as RecordBatches after its narrow operators), and the partial
   * values merge on the driver in treeAggregate order (`depth`, default 2).
   */
  async treeAggregate<S, P = unknown, B = unknown>(summary: Summary<S, P, B> | TaskRef, source: JobInput, broadcast: B, options: AggregateOptions = {}): Promise<S> {
    const s = await this.summaryOf(summary);
    return aggregateJob(this.backend, s, await this.source(source), broadcast, options.depth ?? 2);
  }

  /** A map-only task on every partition of `source` (a summary runs as its fold of one partition); results in partition order. */
  async runTasks<P, B, R>(task: PartitionTask<P, B, R> | Summary<R, P, B> | TaskRef, source: JobInput, broadcast: B): Promise<R[]> {
    return mapJob(this.backend, task, await this.source(source), broadcast);
  }

  /** A map-only task on every partition whose outputs (`{ kept, meta }`) stay on the executors as blocks. */
  async keepTasks<P, B, M>(task: PartitionTask<P, B, unknown> | TaskRef, source: JobInput, broadcast: B): Promise<Blocks<M>> {
    return keepJob<P, B, M>(this.backend, task, await this.source(source), broadcast);
  }

  /** Data moved between the driver and the executors since the session started (bytes; shared memory counts 0). */
  get metrics(): Readonly<ExecutorBackend['metrics']> {
    return { ...this.backend.metrics };
  }

  /** Rows per partition when reading files (conf `kindling.files.partitionRows`, default 1,048,576). */
  execContext(): ExecContext {
    this.checkOpen();
    const rows = Number(this.conf.get('kindling.files.partitionRows') ?? 1 << 20);
    return { backend: this.backend, partitionRows: Number.isInteger(rows) && rows > 0 ? rows : 1 << 20 };
  }

  newWriter(df: DataFrame): DataFrameWriter {
    return new DataFrameWriter(df);
  }

  private checkOpen(): void {
    if (this.stopped) throw new KindlingError('ERR_KINDLING_WORKER', `Session ${this.appName}: stopped`);
  }

  /** spark.udf: `fromModel(uri)` turns a logged or registered model into a DataFrame function (model-udf.ts). */
  readonly udf = new UDFRegistration();

  /** spark.read: csv / json / parquet / arrow readers. */
  get read(): DataFrameReader {
    this.checkOpen();
    return new DataFrameReader(this);
  }

  /**
   * A DataFrame from an Arrow Table (zero-copy), `{ column: values }` (typed arrays wrapped
   * without a copy) or rows (objects, or arrays with a schema). Local data is split into
   * `defaultParallelism` partitions, as Spark slices local collections. Every value is checked
   * against its column's type, as PySpark's `verifySchema=True` (`{ verifySchema: false }` skips
   * the check); the error names the row, the column, the type and the value.
   */
  createDataFrame(data: CreateInput, schema?: arrow.Schema | string | readonly string[], options?: CreateOptions): DataFrame {
    this.checkOpen();
    const { schema: s, batches } = createBatches('createDataFrame', data, schema, options);
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
    if (Session.active === this) Session.active = null;
    await this.backend.close();
  }
}
