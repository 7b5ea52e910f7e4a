/**
 * The one-vector-in, one-vector-out transformers of Spark's ml.feature, with Spark's names,
 * params, defaults and outputs (PySpark docstrings; the per-vector maths is vectors-ops.ts):
 *
 *   - PolynomialExpansion (degree 2): the monomials of degree 1..degree in Spark's order,
 *     [x, y] → [x, x², y, xy, y²]; output size C(n + degree, degree) − 1.
 *   - ElementwiseProduct (scalingVec): the Hadamard product; a size mismatch names both sizes.
 *   - VectorSlicer (indices, names; default []): the selected entries, indices first then names,
 *     names looked up in the input's ML attribute group (ml/attribute/attributes.ts); at least one
 *     feature, no duplicates, no overlap between the two.
 *   - VectorSizeHint (size, handleInvalid error | skip | optimistic): no output column; checks
 *     (error), drops (skip) or trusts (optimistic) the vector sizes, and records the size in the
 *     column's `ml_attr` metadata as Spark's AttributeGroup.
 * Dense in → dense out, sparse in → sparse out. Outputs default to `<uid>__output`. A null input
 * vector is an error naming the row (VectorSizeHint: per handleInvalid). All are persisted as
 * Spark's DefaultParamsWriter (metadata only; ElementwiseProduct's scalingVec as Spark's vector JSON).
 */
import * as arrow from 'apache-arrow';
import { Errors } from '../../../src/errors.js';
import type { DataFrame } from '../../../src/dataframe/dataframe.js';
import { Types } from '../../../src/dataframe/types.js';
import { checkVector } from '../../data/schema-checks.js';
import { isDenseVectorType } from '../../linalg/columns.js';
import { DenseVector, type Vector } from '../../linalg/vectors.js';
import { vectorFromJsonValue, vectorJsonValue } from '../../linalg/param-json.js';
import { MLWritable } from '../../ml-writable.js';
import { encodeParamFor, getAndSetParams, register, writeMetadata } from '../../persist.js';
import { Transformer } from '../../stage.js';
import { AttributeGroup, withAttributeGroup } from '../../attribute/attributes.js';
import { checkedPolySize } from './vectors-ops.js';
import {
  DCTParamsMixin, ElementwiseProductParamsMixin, PolynomialExpansionParamsMixin, VectorSizeHintParamsMixin, VectorSlicerParamsMixin,
  type DCTParamsOptions, type ElementwiseProductParamsOptions, type PolynomialExpansionParamsOptions, type VectorSizeHintParamsOptions, type VectorSlicerParamsOptions,
} from './vectors-params.js';
import { vectorMap, vectorSizeHint, type VectorMapBroadcast, type VectorOp } from './vectors-tasks.js';

/** The input's field checked as a vector, the output name free; returns the input field. */
function checkInOut(api: string, schema: arrow.Schema, inputCol: string, outputCol: string): arrow.Field {
  const field = schema.fields[checkVector(api, schema, 'inputCol', inputCol)]!;
  if (schema.fields.some((f) => f.name.toLowerCase() === outputCol.toLowerCase())) throw Errors.schema(`${api}: Output column ${outputCol} already exists.`);
  return field;
}

/** The schema with the output column: dense of `outDim` for a dense input of known size, else Spark's VectorUDT struct. */
function withOutput(schema: arrow.Schema, input: arrow.Field, outputCol: string, outDim: (inDim: number) => number): { schema: arrow.Schema; dim: number } {
  const dim = isDenseVectorType(input.type) ? outDim(input.type.listSize) : -1;
  const t = dim >= 0 ? Types.vector(dim) : Types.vectorStruct();
  return { schema: new arrow.Schema([...schema.fields, new arrow.Field(outputCol, t, true)]), dim };
}

/** A `vectorMap` transform: the broadcast built from the checked schema. */
function mapVectors(df: DataFrame, api: string, inputCol: string, outputCol: string, op: VectorOp, outDim: (inDim: number) => number): DataFrame {
  const input = checkInOut(api, df.schema, inputCol, outputCol);
  const { schema, dim } = withOutput(df.schema, input, outputCol, outDim);
  const b: VectorMapBroadcast = { api, inputCol, outputCol, op, outDim: dim };
  return df.mapInArrow(vectorMap, schema, b);
}

export class PolynomialExpansion extends MLWritable(PolynomialExpansionParamsMixin(Transformer)) {
  constructor(options?: PolynomialExpansionParamsOptions, uid?: string) {
    super(uid);
    this.setParams(options as Record<string, unknown> | undefined);
  }

  transformSchema(schema: arrow.Schema): arrow.Schema {
    const input = checkInOut(this.stageName, schema, this.getInputCol(), this.getOutputCol());
    return withOutput(schema, input, this.getOutputCol(), (d) => checkedPolySize(this.stageName, d, this.getDegree())).schema;
  }

  protected transformImpl(df: DataFrame): DataFrame {
    const degree = this.getDegree();
    const api = `${this.stageName}.transform`;
    return mapVectors(df, api, this.getInputCol(), this.getOutputCol(), { kind: 'poly', degree }, (d) => checkedPolySize(api, d, degree));
  }
}

/** Spark's DCT: the orthonormal DCT-II of each vector (DCT-III with inverse), a dense vector of the same size (vectors-ops.ts dctVector). */
export class DCT extends MLWritable(DCTParamsMixin(Transformer)) {
  constructor(options?: DCTParamsOptions, uid?: string) {
    super(uid);
    this.setParams(options as Record<string, unknown> | undefined);
  }

  transformSchema(schema: arrow.Schema): arrow.Schema {
    const input = checkInOut(this.stageName, schema, this.getInputCol(), this.getOutputCol());
    return withOutput(schema, input, this.getOutputCol(), (d) => d).schema;
  }

  protected transformImpl(df: DataFrame): DataFrame {
    return mapVectors(df, `${this.stageName}.transform`, this.getInputCol(), this.getOutputCol(), { kind: 'dct', inverse: this.getInverse() }, (d) => d);
  }
}

/** PySpark's TypeConverters.toVector: a plain array of numbers becomes a DenseVector. */
function toVector(v: unknown): unknown {
  return Array.isArray(v) || (ArrayBuffer.isView(v) && !(v instanceof DataView)) ? new DenseVector(v as ArrayLike<number>) : v;
}

export class ElementwiseProduct extends MLWritable(ElementwiseProductParamsMixin(Transformer)) {
  /** scalingVec may be given as a vector or, as in PySpark, a plain array of numbers. */
  constructor(options?: Omit<ElementwiseProductParamsOptions, 'scalingVec'> & { scalingVec?: Vector | ArrayLike<number> }, uid?: string) {
    super(uid);
    const opts = options as Record<string, unknown> | undefined;
    this.setParams(opts !== null && typeof opts === 'object' && 'scalingVec' in opts ? { ...opts, scalingVec: toVector(opts.scalingVec) } : opts);
  }

  override setScalingVec(value: Vector | ArrayLike<number>): this {
    return super.setScalingVec(toVector(value) as Vector);
  }

  private scaling(api: string): Float64Array {
    if (!this.isDefined(this.scalingVec)) throw Errors.invalidArg(api, 'scalingVec', 'a vector (scalingVec must be set)', undefined);
    return Float64Array.from(this.getScalingVec().toArray());
  }

  private sizeChecked(api: string, inDim: number): number {
    const s = this.getScalingVec().size;
    if (inDim !== s) throw Errors.schema(`${api}: vector sizes do not match: Expected ${s} (scalingVec) but found ${inDim} (column ${this.getInputCol()})`);
    return s;
  }

  transformSchema(schema: arrow.Schema): arrow.Schema {
    this.scaling(this.stageName);
    const input = checkInOut(this.stageName, schema, this.getInputCol(), this.getOutputCol());
    return withOutput(schema, input, this.getOutputCol(), (d) => this.sizeChecked(this.stageName, d)).schema;
  }

  protected transformImpl(df: DataFrame): DataFrame {
    const api = `${this.stageName}.transform`;
    return mapVectors(df, api, this.getInputCol(), this.getOutputCol(), { kind: 'hadamard', scaling: this.scaling(api) }, (d) => this.sizeChecked(api, d));
  }
}

export class VectorSlicer extends MLWritable(VectorSlicerParamsMixin(Transformer)) {
  constructor(options?: VectorSlicerParamsOptions, uid?: string) {
    super(uid);
    this.setParams(options as Record<string, unknown> | undefined);
  }

  /** The selected indices (indices, then names resolved through the input's attributes), checked as Spark's VectorSlicer. */
  private selected(api: string, input: arrow.Field): number[] {
    const indices = this.getIndices();
    const names = this.getNames();
    if (indices.length === 0 && names.length === 0) throw Errors.invalidArg(api, 'indices, names', 'at least one feature selected (VectorSlicer requires that at least one feature be selected)', []);
    const group = AttributeGroup.fromField(input);
    const fromNames = names.map((name) => {
      const i = group.attributes?.findIndex((a) => a.name === name) ?? -1;
      if (i < 0) throw Errors.schema(`${api}: getFeatureIndicesFromNames found no feature with name ${name} in column ${input.name} (names are read from its ml_attr attribute metadata${group.attributes ? '' : ', which it lacks'})`);
      return i;
    });
    const all = [...indices, ...fromNames];
    if (new Set(all).size !== all.length) throw Errors.invalidArg(api, 'indices, names', 'no overlap between indices and names (VectorSlicer found duplicate indices)', all);
    const size = group.size >= 0 ? group.size : isDenseVectorType(input.type) ? input.type.listSize : -1;
    const bad = size >= 0 ? all.find((i) => i >= size) : undefined;
    if (bad !== undefined) throw Errors.schema(`${api}: Selected feature index ${bad} invalid for only ${size} input features (column ${input.name})`);
    return all;
  }

  /** The output schema (the selected features' attributes in the output's `ml_attr`, as Spark) and the selected indices. */
  private sliced(api: string, schema: arrow.Schema): { schema: arrow.Schema; indices: number[]; dim: number } {
    const input = checkInOut(api, schema, this.getInputCol(), this.getOutputCol());
    const indices = this.selected(api, input);
    const out = withOutput(schema, input, this.getOutputCol(), () => indices.length);
    // Spark's VectorSlicer: the selected attributes when the input has them, else only their number.
    const group = AttributeGroup.fromField(input);
    const outGroup = new AttributeGroup(this.getOutputCol(), group.attributes ? indices.map((i) => group.getAttr(i)) : indices.length);
    const fields = out.schema.fields.slice();
    fields[fields.length - 1] = withAttributeGroup(fields[fields.length - 1]!, outGroup);
    return { schema: new arrow.Schema(fields, schema.metadata), indices, dim: out.dim };
  }

  transformSchema(schema: arrow.Schema): arrow.Schema {
    return this.sliced(this.stageName, schema).schema;
  }

  protected transformImpl(df: DataFrame): DataFrame {
    const api = `${this.stageName}.transform`;
    const { schema, indices, dim } = this.sliced(api, df.schema);
    const b: VectorMapBroadcast = { api, inputCol: this.getInputCol(), outputCol: this.getOutputCol(), op: { kind: 'slice', indices }, outDim: dim };
    return df.mapInArrow(vectorMap, schema, b);
  }
}

export class VectorSizeHint extends MLWritable(VectorSizeHintParamsMixin(Transformer)) {
  constructor(options?: VectorSizeHintParamsOptions, uid?: string) {
    super(uid);
    this.setParams(options as Record<string, unknown> | undefined);
  }

  /** The schema with the size in the input's `ml_attr` (Spark's AttributeGroup(name, size)); a recorded different size is an error. */
  transformSchema(schema: arrow.Schema): arrow.Schema {
    const api = this.stageName;
    if (!this.isDefined(this.size)) throw Errors.invalidArg(api, 'size', 'a size (VectorSizeHint requires the size param to be set)', undefined);
    const name = this.getInputCol();
    const index = checkVector(api, schema, 'inputCol', name);
    const field = schema.fields[index]!;
    const size = this.getSize();
    const group = AttributeGroup.fromField(field);
    const known = group.size >= 0 ? group.size : isDenseVectorType(field.type) ? field.type.listSize : -1;
    if (known >= 0 && known !== size && this.getHandleInvalid() !== 'optimistic') {
      throw Errors.schema(`${api}: Trying to set size of vectors in \`${name}\` to ${size} but size already set to ${known}.`);
    }
    // Spark's VectorSizeHint: a column whose group has no size gets AttributeGroup(name, size).
    const sized = group.size >= 0 ? field : withAttributeGroup(field, new AttributeGroup(name, size));
    const fields = schema.fields.map((f, j) => (j === index ? sized : f));
    return new arrow.Schema(fields, schema.metadata);
  }

  protected transformImpl(df: DataFrame): DataFrame {
    const schema = this.transformSchema(df.schema);
    return df.mapInArrow(vectorSizeHint, schema, { api: `${this.stageName}.transform`, inputCol: this.getInputCol(), size: this.getSize(), handleInvalid: this.getHandleInvalid() });
  }
}

register('org.apache.spark.ml.feature.DCT', DCT);
register('org.apache.spark.ml.feature.PolynomialExpansion', PolynomialExpansion);
register('org.apache.spark.ml.feature.VectorSlicer', VectorSlicer);
register('org.apache.spark.ml.feature.VectorSizeHint', VectorSizeHint);
register('org.apache.spark.ml.feature.ElementwiseProduct', ElementwiseProduct, {
  async save(stage, path, ctx) {
    const { paramMap, defaultParamMap } = stage.paramValues();
    const enc = (m: Record<string, unknown>) => Object.fromEntries(Object.entries(m).map(([k, v]) => [k, k === 'scalingVec' ? vectorJsonValue(v as Vector) : encodeParamFor(ctx.api, stage, stage.getParam(k), v)]));
    await writeMetadata(stage, path, ctx, { paramMap: enc(paramMap), defaultParamMap: enc(defaultParamMap) });
  },
  async load(_path, metadata, ctx) {
    const stage = new ElementwiseProduct(undefined, metadata.uid);
    getAndSetParams(stage, metadata, { api: ctx.api, skipParams: ['scalingVec'] });
    const raw = metadata.paramMap.scalingVec;
    if (raw !== undefined) stage.setScalingVec(vectorFromJsonValue(ctx.api, 'scalingVec', raw));
    return stage;
  },
});
