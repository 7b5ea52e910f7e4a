/**
 * StandardScaler's executor code (docs/formats/SPARK_DEFINITIONS.md §3). Spark takes the mean and
 * the unbiased std from its column Summarizer, unweighted (StandardScaler has no weightCol): the
 * fit is the scalers' column-statistics summary (scaling-tasks.ts `colStatsOf`, through
 * scaling-common.ts `fitColStats`), a bad row named as a row of `FEATURES`.
 * The transform (`scalerTransform`, and `scaleVector` for one row) is the scalers' affine task
 * (scaling-tasks.ts `affineBatch`, the native affine map) with Spark's shift and scale.
 */
import * as arrow from 'apache-arrow';
import { defineTask } from '../../../src/exec/task.js';
import type { Vector } from '../../linalg/vectors.js';
import { type Affine } from '../../../src/kernels/colstats.js';
import { affineBatch, affineVector, type AffineBroadcast } from './scaling-tasks.js';

/** How StandardScaler (and PCA) word their input column in a bad row's error. */
export const FEATURES = 'the features column';

// ----- StandardScalerModel.transform ----------------------------------------------------------

/** What scaling a vector needs: the fitted std and mean, and Spark's withMean / withStd. */
export interface Scaling {
  std: Float64Array;
  mean: Float64Array;
  withMean: boolean;
  withStd: boolean;
}

/** Spark's StandardScalerModel.getTransformFunc as an affine map: shift by the mean (withMean), multiply by 1 / std, 0 where std is 0 (withStd). */
export function scalingAffine(s: Scaling): Affine {
  return { shift: s.withMean ? s.mean : null, scale: s.withStd ? Float64Array.from(s.std, (sd) => (sd === 0 ? 0 : 1 / sd)) : null, offset: null };
}

export interface ScaleBroadcast extends Scaling {
  api: string;
  inputCol: string;
  outputCol: string;
}

/** The scaling as the scalers' affine task runs it: withMean gives dense vectors, else sparse stays sparse (scaling-tasks.ts). */
function affineOf(sc: ScaleBroadcast): AffineBroadcast {
  return { api: sc.api, inputCol: sc.inputCol, outputCol: sc.outputCol, d: sc.std.length, ...scalingAffine(sc), form: sc.withMean ? 'dense' : 'keep' };
}

/** Spark's StandardScalerModel on one vector (the size must be the fitted one). */
export function scaleVector(v: Vector, s: Scaling): Vector {
  return affineVector(v, affineOf({ ...s, api: 'StandardScalerModel', inputCol: '', outputCol: '' }));
}

/** Appends the scaled vectors (a dense column stays dense; null rows stay null). */
export const scalerTransform = defineTask<arrow.RecordBatch, ScaleBroadcast, arrow.RecordBatch>('feature.scalerTransform', (b, sc) => affineBatch(b, affineOf(sc)));
