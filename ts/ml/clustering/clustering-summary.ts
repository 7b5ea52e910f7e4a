/**
 * Spark's ClusteringSummary, the base of KMeansSummary, BisectingKMeansSummary and
 * GaussianMixtureSummary: the training DataFrame with the model's output columns, the requested
 * k, the iterations run and the rows per cluster. console.log prints the numbers (`repr`), not
 * the predictions DataFrame.
 */
import { inspect } from 'node:util';
import type { DataFrame } from '../../src/dataframe/dataframe.js';
import { KindlingError } from '../../src/errors.js';
import type { Params } from '../param/params.js';

export abstract class ClusteringSummary {
  constructor(
    /** The training DataFrame with the model's output columns (its transform). */
    readonly predictions: DataFrame,
    readonly predictionCol: string,
    readonly featuresCol: string,
    /** The requested number of clusters. */
    readonly k: number,
    /** Iterations run. */
    readonly numIter: number,
    /** Rows in each cluster (length k; 0 past the clusters the model has). */
    readonly clusterSizes: number[],
  ) {}

  /** The prediction column alone. */
  get cluster(): DataFrame {
    return this.predictions.select(this.predictionCol);
  }

  /** The family's own number (trainingCost, logLikelihood) for the repr. */
  protected abstract get headline(): [string, number];

  [inspect.custom](): string {
    const [name, value] = this.headline;
    return `${this.constructor.name}(k=${this.k}, numIter=${this.numIter}, ${name}=${value}, clusterSizes=[${this.clusterSizes.join(', ')}])`;
  }
}

/** A summary whose number is Spark's trainingCost (KMeans, BisectingKMeans). */
export abstract class CostSummary extends ClusteringSummary {
  constructor(predictions: DataFrame, predictionCol: string, featuresCol: string, k: number, numIter: number, readonly trainingCost: number, clusterSizes: number[]) {
    super(predictions, predictionCol, featuresCol, k, numIter, clusterSizes);
  }

  protected get headline(): [string, number] {
    return ['trainingCost', this.trainingCost];
  }
}

/** A model's `summary` (Spark's): the training summary, or NOT_FITTED when the model did not come from fit() here. */
export function trainingSummaryOf<S>(model: Params, summary: S | null): S {
  if (summary === null) throw new KindlingError('ERR_KINDLING_NOT_FITTED', `${model.stageName}: No training summary available for this ${model.constructor.name} (${model.uid}); only a model returned by fit() has one`);
  return summary;
}
