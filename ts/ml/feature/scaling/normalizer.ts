/**
 * Normalizer (Spark's ml.feature.Normalizer): scales each vector to unit p-norm, x / ||x||_p
 * (p >= 1, default 2; p = Infinity is the max norm), as Spark's mllib Normalizer: a zero vector
 * is left unchanged, a sparse vector stays sparse and a dense one dense. Output column
 * `<uid>__output` by default. Persisted as Spark's DefaultParamsWriter does (metadata only).
 */
import type * as arrow from 'apache-arrow';
import type { DataFrame } from '../../../src/dataframe/dataframe.js';
import type { Vector } from '../../linalg/vectors.js';
import { MLWritable } from '../../ml-writable.js';
import { register } from '../../persist.js';
import { Transformer } from '../../stage.js';
import { vectorOutputSchema } from './scaling-common.js';
import { NormalizerParamsMixin, type NormalizerParamsOptions } from './scaling-params.js';
import { normalizeTransform, normalizeVector } from './scaling-tasks.js';

export type NormalizerOptions = NormalizerParamsOptions;

export class Normalizer extends MLWritable(NormalizerParamsMixin(Transformer)) {
  constructor(options?: NormalizerOptions, uid?: string) {
    super(uid);
    this.setParams(options as Record<string, unknown> | undefined);
  }

  transformSchema(schema: arrow.Schema): arrow.Schema {
    return vectorOutputSchema(this.stageName, schema, this.getInputCol(), this.getOutputCol());
  }

  /** One vector normalised. */
  normalize(v: Vector): Vector {
    return normalizeVector(v, this.getP());
  }

  protected transformImpl(df: DataFrame): DataFrame {
    return df.mapInArrow(normalizeTransform, this.transformSchema(df.schema), { inputCol: this.getInputCol(), outputCol: this.getOutputCol(), p: this.getP() });
  }
}

register('org.apache.spark.ml.feature.Normalizer', Normalizer, { jsonKinds: { p: 'double' } });
