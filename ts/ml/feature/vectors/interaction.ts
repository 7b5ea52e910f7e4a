/**
 * Interaction (Spark's ml.feature.Interaction): the products of one value from each input column,
 * over every combination, as a vector. Numeric and boolean columns give one value (a nominal
 * column, by its `ml_attr` metadata, one-hot of its index); vector columns one per entry (a
 * nominal entry one-hot). The first input is the most significant: for inputs of sizes s1..sk the
 * output has size s1·…·sk and index i1·(s2·…·sk) + … + ik (Spark's FeatureEncoder order). The
 * output is Spark's `compressed` vector (PySpark doc: a=2.0, b=3.0 → DenseVector([6.0])).
 * A null input is an error naming the column and row ("Values to interact cannot be null.").
 * Spark requires vector attributes; here a vector column without them is read as all-numeric,
 * of its size (a dense column's type, or each row's size). Persisted as Spark's DefaultParamsWriter.
 */
import * as arrow from 'apache-arrow';
import { Errors } from '../../../src/errors.js';
import type { DataFrame } from '../../../src/dataframe/dataframe.js';
import { isNumericType, isVectorType, sparkTypeName, Types } from '../../../src/dataframe/types.js';
import { columnField } from '../../data/schema-checks.js';
import { isDenseVectorType } from '../../linalg/columns.js';
import { MLWritable } from '../../ml-writable.js';
import { register } from '../../persist.js';
import { Transformer } from '../../stage.js';
import { AttributeGroup, NominalAttribute, attributeOf } from '../../attribute/attributes.js';
import { InteractionParamsMixin, type InteractionParamsOptions } from './vectors-params.js';
import { interaction, type InteractionInput } from './vectors-tasks.js';

/** The number of values of a nominal attribute (Spark's Interaction encodes those one-hot), -1 for any other. */
function nominalSize(a: ReturnType<typeof attributeOf>): number {
  return a instanceof NominalAttribute ? (a.getNumValues() ?? -1) : -1;
}

export class Interaction extends MLWritable(InteractionParamsMixin(Transformer)) {
  constructor(options?: InteractionParamsOptions, uid?: string) {
    super(uid);
    this.setParams(options as Record<string, unknown> | undefined);
  }

  private inputs(api: string, schema: arrow.Schema): InteractionInput[] {
    const names = this.getInputCols();
    if (names.length === 0) throw Errors.invalidArg(api, 'inputCols', 'at least one input column', names);
    return names.map((name): InteractionInput => {
      const { field } = columnField(api, schema, name);
      const t = field.type;
      if (isNumericType(t) || arrow.DataType.isBool(t)) return { kind: 'number', name, numVals: Math.max(1, nominalSize(attributeOf(field))) };
      if (isVectorType(t)) {
        const g = AttributeGroup.fromField(field);
        const size = g.size >= 0 ? g.size : isDenseVectorType(t) ? t.listSize : -1;
        const slots = size >= 0 ? Array.from({ length: size }, (_, j) => Math.max(1, g.attributes ? nominalSize(g.getAttr(j)) : 1)) : null;
        return { kind: 'vector', name, slots };
      }
      throw Errors.schema(`${api}: column ${name} (inputCols) must be numeric, boolean or a vector, but is ${sparkTypeName(t)}`);
    });
  }

  transformSchema(schema: arrow.Schema): arrow.Schema {
    this.inputs(this.stageName, schema);
    const out = this.getOutputCol();
    if (schema.fields.some((f) => f.name.toLowerCase() === out.toLowerCase())) throw Errors.schema(`${this.stageName}: Output column ${out} already exists.`);
    return new arrow.Schema([...schema.fields, new arrow.Field(out, Types.vectorStruct(), true)]);
  }

  protected transformImpl(df: DataFrame): DataFrame {
    const api = `${this.stageName}.transform`;
    const schema = this.transformSchema(df.schema);
    return df.mapInArrow(interaction, schema, { api, inputs: this.inputs(api, df.schema), outputCol: this.getOutputCol() });
  }
}

register('org.apache.spark.ml.feature.Interaction', Interaction);
