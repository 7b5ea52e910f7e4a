/**
 * treeAggregate: fold every partition into a partial summary on the backend (one task per
 * partition, `parallelism` at a time), then merge the partials on the driver in Spark's tree
 * order (`aggregationDepth`, default 2).
 */
import type { ExecutorBackend } from './backend.js';
import { resolveSummary, treeMerge, type SummaryRef } from './summary.js';

export interface AggregateOptions {
  /** Spark's aggregationDepth (>= 1). */
  depth?: number;
}

export async function treeAggregate<S, P, B>(
  backend: ExecutorBackend,
  ref: SummaryRef,
  partitions: readonly P[],
  broadcast: B,
  options: AggregateOptions = {},
): Promise<S> {
  const summary = await resolveSummary<S, P, B>(ref);
  const partials = await backend.runSummaries<S, P, B>(partitions.map((partition) => ({ ref, partition, broadcast })));
  return treeMerge(partials, (a, b) => summary.merge(a, b), () => summary.zero(broadcast), options.depth ?? 2);
}
