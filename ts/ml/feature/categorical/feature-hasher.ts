/**
 * FeatureHasher (Spark's ml.feature.FeatureHasher), exactly docs/formats/SPARK_DEFINITIONS.md §1:
 * projects numeric, boolean and string columns into one SparseVector of size numFeatures
 * (default 2^18) by MurmurHash3_x86_32 (seed 42) and nonNegativeMod.
 *
 *   - a numeric column not listed in categoricalCols → index hash(column name), value = its value
 *     (as a double);
 *   - string and boolean columns, and numeric columns listed in categoricalCols → index
 *     hash("<col>=<value>"), value 1.0; the value renders as Spark's toString (booleans
 *     true/false, a Double 2.0 as "2.0", an int 2 as "2");
 *   - a row's entries on the same index are summed; null values are skipped.
 *   - output metadata: an AttributeGroup of numFeatures attributes (num_attrs), as Spark.
 *   - persistence: org.apache.spark.ml.feature.FeatureHasher (metadata only).
 */
import * as arrow from 'apache-arrow';
import { Errors } from '../../../src/errors.js';
import type { DataFrame } from '../../../src/dataframe/dataframe.js';
import { isNumericType, isStringType, sparkTypeName, Types } from '../../../src/dataframe/types.js';
import { murmur3String, nonNegativeMod } from '../../../src/kernels/hash.js';
import { AttributeGroup } from '../../attribute/attributes.js';
import { columnField } from '../../data/schema-checks.js';
import { MLWritable } from '../../ml-writable.js';
import { register } from '../../persist.js';
import { Transformer } from '../../stage.js';
import { FeatureHasherParamsMixin, type FeatureHasherParamsOptions } from './categorical-params.js';
import { appendOutputs } from './categorical-columns.js';
import { featureHash, type HashedInput } from './feature-hasher-tasks.js';

export type FeatureHasherOptions = FeatureHasherParamsOptions;

export class FeatureHasher extends MLWritable(FeatureHasherParamsMixin(Transformer)) {
  constructor(options?: FeatureHasherOptions, uid?: string) {
    super(uid);
    this.setParams(options as Record<string, unknown> | undefined);
  }

  private inputs(schema: arrow.Schema): HashedInput[] {
    const api = this.stageName;
    const cats = new Set(this.getCategoricalCols() ?? []);
    const n = this.getNumFeatures();
    return this.getInputCols().map((name): HashedInput => {
      const t = columnField(api, schema, name).field.type;
      if (isNumericType(t)) return cats.has(name) ? { name, numeric: false } : { name, numeric: true, index: nonNegativeMod(murmur3String(name), n) };
      if (isStringType(t) || arrow.DataType.isBool(t)) return { name, numeric: false };
      throw Errors.schema(`${api}: FeatureHasher requires columns to be of NumericType, BooleanType or StringType. Column ${name} was ${sparkTypeName(t)}`);
    });
  }

  private outputField(): arrow.Field {
    return new AttributeGroup(this.getOutputCol(), this.getNumFeatures()).toField(Types.vectorStruct());
  }

  transformSchema(schema: arrow.Schema): arrow.Schema {
    this.inputs(schema);
    return appendOutputs(this.stageName, schema, [this.outputField()]);
  }

  protected transformImpl(df: DataFrame): DataFrame {
    const schema = this.transformSchema(df.schema);
    const out = this.outputField();
    return df.mapInArrow(featureHash, schema, { api: `${this.stageName}.transform`, inputs: this.inputs(df.schema), numFeatures: this.getNumFeatures(), outputCol: out.name, metadata: [...out.metadata] });
  }
}

register('org.apache.spark.ml.feature.FeatureHasher', FeatureHasher);
