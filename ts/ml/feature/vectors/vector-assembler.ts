/**
 * VectorAssembler (Spark's ml.feature.VectorAssembler): concatenates numeric, boolean and
 * vector columns into one vector column, in `inputCols` order.
 *
 *   - numeric and boolean columns contribute one entry each (cast to double; true → 1.0),
 *     vector columns their `size` entries;
 *   - handleInvalid (default 'error') governs nulls and NaN, as Spark:
 *       'error': a null input, or NaN in a numeric column, fails naming the column and row
 *                (row numbers count from 0 over the whole DataFrame in partition order);
 *       'skip':  such rows are dropped (Spark's na.drop over the input columns);
 *       'keep':  NaN is kept, a null number becomes NaN and a null vector `size` NaNs (its size
 *                must be known from the column type: a dense FixedSizeList column; Spark needs
 *                VectorSizeHint metadata for the same reason and fails the same way without it).
 *     NaN inside an input vector is not checked (Spark passes it through).
 *   - output: a dense FixedSizeList<Float64>[d] column when every input is a number, a
 *     boolean or a dense FixedSizeList vector column (the values are the ones Spark computes);
 *     otherwise Spark's VectorUDT struct column with each row in Spark's `compressed` form
 *     (sparse when 1.5 * (nnz + 1) < size, else dense).
 *   - the output column defaults to `<uid>__output`, as Spark's HasOutputCol, and carries Spark's
 *     ML attribute group (ml/attribute/: each entry named `<col>` or `<col>_<name|i>`, nominal
 *     and binary attributes of the inputs kept), so VectorIndexer, VectorSlicer's names and the
 *     trees' categorical features see what the inputs were; a VectorUDT struct input gives its
 *     size through its attributes (VectorSizeHint), which handleInvalid 'keep' needs.
 * The transformation is lazy and runs on the executors (vector-assembler-tasks.ts), fused with
 * the operators around it.
 */
import * as arrow from 'apache-arrow';
import { Errors } from '../../../src/errors.js';
import type { DataFrame } from '../../../src/dataframe/dataframe.js';
import { resolveIndex } from '../../../src/dataframe/eval.js';
import { isNumericType, isVectorType, sparkTypeName, Types } from '../../../src/dataframe/types.js';
import { isDenseVectorType } from '../../linalg/columns.js';
import { MLWritable } from '../../ml-writable.js';
import { Transformer } from '../../stage.js';
import { register } from '../../persist.js';
import { AttributeGroup, NumericAttribute, UnresolvedAttribute, attributeOf, withAttributeGroup, type Attribute } from '../../attribute/attributes.js';
import { VectorAssemblerParamsMixin, type VectorAssemblerParamsOptions } from '../feature-params.js';
import { vectorAssemble, type AssembleBroadcast, type InputKind } from './vector-assembler-tasks.js';

export type { HandleInvalid } from './vector-assembler-tasks.js';

export type VectorAssemblerOptions = VectorAssemblerParamsOptions;

/**
 * The output's ML attributes as Spark's VectorAssembler.transform names them: a double column
 * keeps its attribute under the column's name (numeric when it has none), another number or a
 * boolean is numeric, a vector's attributes are named `<col>_<name>` (or `<col>_<i>` when
 * unnamed; all numeric when it has none). null when a VectorUDT struct input's size is unknown
 * (Spark reads it from the first row, an eager job; kindling's transform stays lazy).
 */
function outputAttributes(out: string, schema: arrow.Schema, kinds: InputKind[]): AttributeGroup | null {
  const attrs: Attribute[] = [];
  for (const k of kinds) {
    const field = schema.fields[k.index]!;
    if (k.kind === 'number') {
      const t = field.type;
      const a = arrow.DataType.isFloat(t) && t.precision === arrow.Precision.DOUBLE ? attributeOf(field) : UnresolvedAttribute.instance;
      attrs.push(a instanceof UnresolvedAttribute ? NumericAttribute.defaultAttr.withName(k.name) : a.withName(k.name));
      continue;
    }
    const size = k.dim;
    if (size === undefined) return null;
    const group = AttributeGroup.fromField(field);
    for (let i = 0; i < size; i++) {
      const a = group.attributes ? group.getAttr(i) : NumericAttribute.defaultAttr;
      const named = a instanceof UnresolvedAttribute ? NumericAttribute.defaultAttr : a;
      attrs.push(named.withName(`${k.name}_${a.name ?? i}`));
    }
  }
  return new AttributeGroup(out, attrs);
}

/** Persisted as Spark's DefaultParamsWriter does (metadata only). */
export class VectorAssembler extends MLWritable(VectorAssemblerParamsMixin(Transformer)) {
  constructor(options?: VectorAssemblerOptions, uid?: string) {
    super(uid);
    this.setParams(options as Record<string, unknown> | undefined);
  }

  private inputs(schema: arrow.Schema): InputKind[] {
    const api = this.stageName;
    const unsupported: string[] = [];
    const kinds = this.getInputCols().map((name): InputKind => {
      const index = resolveIndex(api, name, schema);
      const t = schema.fields[index]!.type;
      if (isNumericType(t) || arrow.DataType.isBool(t)) return { kind: 'number', name, index, isDouble: arrow.DataType.isFloat(t) && t.precision === arrow.Precision.DOUBLE };
      if (isDenseVectorType(t)) return { kind: 'dense', name, index, dim: t.listSize };
      if (isVectorType(t)) {
        const size = AttributeGroup.fromField(schema.fields[index]!).size;
        return size >= 0 ? { kind: 'struct', name, index, dim: size } : { kind: 'struct', name, index };
      }
      unsupported.push(`Data type ${sparkTypeName(t)} of column ${name} is not supported.`);
      return { kind: 'number', name, index, isDouble: false };
    });
    if (unsupported.length > 0) throw Errors.schema(`${api}: ${unsupported.join(' ')} (VectorAssembler takes numeric, boolean and vector columns)`);
    return kinds;
  }

  transformSchema(schema: arrow.Schema): arrow.Schema {
    const kinds = this.inputs(schema);
    const out = this.getOutputCol();
    if (schema.fields.some((f) => f.name.toLowerCase() === out.toLowerCase())) throw Errors.schema(`${this.stageName}: Output column ${out} already exists.`);
    const dense = kinds.every((k) => k.kind !== 'struct');
    const dim = kinds.reduce((s, k) => s + (k.kind === 'dense' ? k.dim : 1), 0);
    const field = new arrow.Field(out, dense ? Types.vector(dim) : Types.vectorStruct(), true);
    const group = outputAttributes(out, schema, kinds);
    return new arrow.Schema([...schema.fields, group ? withAttributeGroup(field, group) : field]);
  }

  protected transformImpl(df: DataFrame): DataFrame {
    const api = this.stageName;
    const outSchema = this.transformSchema(df.schema);
    const kinds = this.inputs(df.schema);
    const mode = this.getHandleInvalid();
    if (mode === 'keep') {
      const unknown = kinds.filter((k) => k.kind === 'struct' && k.dim === undefined).map((k) => k.name);
      if (unknown.length > 0) {
        throw Errors.schema(
          `${api}: Can not infer column lengths with handleInvalid = "keep" for the VectorUDT struct column(s) [${unknown.join(', ')}]; ` +
            'a null vector there would need its size: give the column its size with VectorSizeHint, use dense (FixedSizeList) vector columns, or handleInvalid "error" or "skip"',
        );
      }
    }
    const out = outSchema.fields[outSchema.fields.length - 1]!;
    const b: AssembleBroadcast = { api, kinds, mode, outputCol: out.name, dim: isDenseVectorType(out.type) ? out.type.listSize : -1 };
    return df.mapInArrow(vectorAssemble, outSchema, b);
  }
}

register('org.apache.spark.ml.feature.VectorAssembler', VectorAssembler);
