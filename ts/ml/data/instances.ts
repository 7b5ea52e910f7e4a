/**
 * A fit's training data, prepared once and kept on the executors (docs/ARCHITECTURE.md,
 * "Training data stays where it lives"): `prepareInstances` runs `packInstances` as tasks over
 * the DataFrame's partitions (after its narrow operators, on whichever executors hold them), so
 * each partition is validated once, natively, and packed into the kernels' row-major layout
 * where it was computed. The driver keeps only block ids, row counts and the dimension: each
 * iteration of a fit names the blocks and ships broadcast state, never rows. The first bad row
 * is reported by its number over the whole DataFrame (partition order), as Spark would see it.
 */
import { Errors } from '../../src/errors.js';
import type { DataFrame, SessionLike } from '../../src/dataframe/dataframe.js';
import type * as arrow from 'apache-arrow';
import type { Blocks, JobSource, SourceLike } from '../../src/exec/jobs.js';
import type { Kept, PartitionTask } from '../../src/exec/task.js';
import { frameSource } from '../../src/dataframe/physical.js';
import type { RowChecks } from '../../src/kernels/validate-rows.js';
import { checkNumeric, weightColumnOf } from './schema-checks.js';
import { checkFeaturesColumn, throwBadRow, type LabelSpec } from './features.js';
import { gatherRows, packInstances, type PackMeta, type PackSpec } from './instances-tasks.js';

export class Instances implements SourceLike {
  /** Rows over all blocks, and the dimension. */
  readonly n: number;
  readonly d: number;
  /** Rows per block, and the global index of each block's first row (partition order). */
  readonly blockRows: number[];
  readonly rowBases: number[];

  constructor(
    readonly session: SessionLike,
    readonly blocks: Blocks<PackMeta>,
    d: number,
    /** Whether the blocks carry weights. */
    readonly weighted: boolean,
    /** The largest label over all rows (-Infinity for unsupervised data). */
    readonly labelMax: number = -Infinity,
  ) {
    this.blockRows = blocks.parts.flatMap((p) => p.meta.rows);
    this.rowBases = [];
    let base = 0;
    for (const r of this.blockRows) {
      this.rowBases.push(base);
      base += r;
    }
    this.n = base;
    this.d = d;
  }

  /** One task per block. */
  source(): JobSource {
    return this.blocks.source(this.blockRows);
  }

  /** One task per block, reading the block with the companion block kept for it by a job over `source()` (e.g. per-row state). */
  zip(companion: Blocks): JobSource {
    const ids = this.blocks.ids;
    const other = companion.ids;
    if (other.length !== ids.length) throw Errors.invalidArg('Instances.zip', 'companion', `${ids.length} blocks, one per training block`, `${other.length} blocks`);
    return { inputs: ids.map((id, i) => ({ blocks: [id, other[i]!] })), rows: this.blockRows };
  }

  /** Rows by their global index (in the order asked), copied to the driver: a few rows, never the data set. */
  async gather(rows: readonly number[]): Promise<Float64Array> {
    const byBlock = new Map<number, number[]>();
    const where = rows.map((r) => {
      if (!Number.isInteger(r) || r < 0 || r >= this.n) throw Errors.outOfRange('Instances.gather', 'row', `an index < ${this.n}`, r);
      let lo = 0;
      let hi = this.rowBases.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (this.rowBases[mid]! <= r) lo = mid;
        else hi = mid - 1;
      }
      const list = byBlock.get(lo) ?? [];
      byBlock.set(lo, list);
      list.push(r - this.rowBases[lo]!);
      return { block: lo, at: list.length - 1 };
    });
    const blocks = [...byBlock.keys()].sort((a, b) => a - b);
    const ids = this.blocks.ids;
    const source: JobSource = { inputs: blocks.map((b) => ({ block: ids[b]! })), rows: blocks.map((b) => byBlock.get(b)!.length), partitions: blocks };
    const wanted: number[][] = [];
    for (const b of blocks) wanted[b] = byBlock.get(b)!;
    const got = await this.session.runTasks(gatherRows, source, { rows: wanted });
    const d = this.d;
    const out = new Float64Array(rows.length * d);
    where.forEach((w, i) => {
      const part = got[blocks.indexOf(w.block)]!;
      out.set(part.subarray(w.at * d, (w.at + 1) * d), i * d);
    });
    return out;
  }

  release(): void {
    this.blocks.release();
  }
}

export interface InstancesOptions {
  featuresCol: string;
  /** Spark's weightCol: unset or empty means weight 1. */
  weightCol?: string;
  /** A supervised fit's label column and what its labels must be (features.ts `readLabels`). */
  labelCol?: string;
  label?: LabelSpec;
  checks?: RowChecks;
  /** What to call an empty DataFrame an error for ('clustering needs at least one point'). */
  emptyMessage: string;
  /**
   * A family's own pack task in place of `packInstances` (which it wraps: it packs more per block,
   * e.g. AFT's censors, and reports its bad rows in the same PackMeta), and the fields it adds to the spec.
   */
  pack?: { task: PartitionTask<arrow.RecordBatch, any, Kept<PackMeta>>; extra: Record<string, unknown> };
}

/** Validates and packs `df`'s features (and weights) on the executors, where its partitions are. */
export async function prepareInstances(api: string, df: DataFrame, opts: InstancesOptions): Promise<Instances> {
  const schema = df.schema;
  const feat = checkFeaturesColumn(api, schema, opts.featuresCol);
  const weightCol = weightColumnOf(opts.weightCol);
  if (weightCol !== null) checkNumeric(api, schema, 'weightCol', weightCol);
  const labelCol = opts.labelCol ?? null;
  if (labelCol !== null) checkNumeric(api, schema, 'labelCol', labelCol);
  const session = df.session;
  const ctx = session.execContext();
  const source = await frameSource(df.plan, ctx);
  const splits = Math.max(1, Math.ceil(ctx.backend.parallelism / Math.max(1, source.inputs.length)));
  const spec: PackSpec = { featuresCol: opts.featuresCol, isArray: feat.isArray, weightCol, labelCol, label: opts.label, checks: opts.checks ?? {}, splits };
  const blocks = opts.pack
    ? await session.keepTasks<unknown, PackSpec, PackMeta>(opts.pack.task, source, { ...spec, ...opts.pack.extra })
    : await session.keepTasks<unknown, PackSpec, PackMeta>(packInstances, source, spec);
  try {
    let base = 0;
    let d = -1;
    let labelMax = -Infinity;
    for (const p of blocks.parts) {
      const m = p.meta;
      // a partition's first row sets its size before any other check of its rows
      if (m.d >= 0) {
        if (d < 0) d = m.d;
        else if (m.d !== d) throw Errors.badRow(api, `column ${opts.featuresCol}`, base, `has ${m.d} features, but earlier rows have ${d}; all feature vectors must have one size`);
      }
      if (m.bad) throwBadRow(api, m.bad, base);
      base += m.n;
      labelMax = Math.max(labelMax, m.labelMax ?? -Infinity);
    }
    if (base === 0) throw Errors.schema(`${api}: the DataFrame has no rows (column ${opts.featuresCol}); ${opts.emptyMessage}`);
    return new Instances(session, blocks, d, weightCol !== null, labelMax);
  } catch (err) {
    blocks.release();
    throw err;
  }
}
