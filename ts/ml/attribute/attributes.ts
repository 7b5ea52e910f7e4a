/**
 * ML attributes (Spark's org.apache.spark.ml.attribute): what a column's values mean — numeric,
 * nominal (a category with known values), binary — kept with the column. Spark keeps them in a
 * StructField's metadata under the key `ml_attr`; kindling keeps them in the Arrow Field's
 * metadata under the same key `ml_attr` (ATTRIBUTE_KEY), whose value is the JSON text of Spark's
 * `ml_attr` object, with Spark's keys (AttributeKeys: type, name, idx, min, max, std, sparsity,
 * ord, vals, num_vals, attrs, num_attrs):
 *
 *   one column:  {"type":"nominal","name":"label","vals":["a","b"]}   (a numeric attribute has no type)
 *   a vector:    {"attrs":{"numeric":[…],"nominal":[…],"binary":[…]},"num_attrs":3}
 *                (attributes inside a group carry their index `idx` and no type; default numeric
 *                attributes are left out, as Spark's AttributeGroup.toMetadataImpl does)
 *
 * `withAttribute(field, attr)` / `attributeOf(field)` handle one column, `AttributeGroup.fromField`
 * / `group.toField(type)` a vector column.
 */
import * as arrow from 'apache-arrow';
import { Errors } from '../../src/errors.js';

/** The Arrow field metadata key holding Spark's `ml_attr` JSON. */
export const ATTRIBUTE_KEY = 'ml_attr';

type Json = Record<string, unknown>;

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);
const bool = (v: unknown): boolean | undefined => (typeof v === 'boolean' ? v : undefined);
const strs = (v: unknown): string[] | undefined => (Array.isArray(v) && v.every((x) => typeof x === 'string') ? (v as string[]) : undefined);

function put(o: Json, key: string, v: unknown): void {
  if (v !== undefined) o[key] = v;
}

abstract class AttributeBase {
  abstract readonly attrType: 'numeric' | 'nominal' | 'binary' | 'unresolved';
  constructor(readonly name?: string, readonly index?: number) {}
  /** Spark's toMetadataImpl: the `ml_attr` object (withType false inside a group). */
  abstract toJson(withType?: boolean): Json;
  protected head(withType: boolean): Json {
    const o: Json = {};
    if (withType) o.type = this.attrType;
    put(o, 'name', this.name);
    put(o, 'idx', this.index);
    return o;
  }
}

/** A numeric attribute (Spark's NumericAttribute; optional min, max, std, sparsity). */
export class NumericAttribute extends AttributeBase {
  readonly attrType = 'numeric' as const;
  constructor(opts: { name?: string; index?: number; min?: number; max?: number; std?: number; sparsity?: number } = {}) {
    super(opts.name, opts.index);
    this.min = opts.min;
    this.max = opts.max;
    this.std = opts.std;
    this.sparsity = opts.sparsity;
  }
  readonly min?: number;
  readonly max?: number;
  readonly std?: number;
  readonly sparsity?: number;
  static readonly defaultAttr = new NumericAttribute();
  withName(name: string): NumericAttribute { return new NumericAttribute({ ...this.opts(), name }); }
  withIndex(index: number): NumericAttribute { return new NumericAttribute({ ...this.opts(), index }); }
  private opts() { return { name: this.name, index: this.index, min: this.min, max: this.max, std: this.std, sparsity: this.sparsity }; }
  /** Spark's numeric attributes carry no type key (numeric is the default). */
  toJson(_withType = false): Json {
    const o = this.head(false);
    put(o, 'min', this.min);
    put(o, 'max', this.max);
    put(o, 'std', this.std);
    put(o, 'sparsity', this.sparsity);
    return o;
  }
  /** Whether it says nothing beyond its index (Spark skips those in a group). */
  isDefault(): boolean { return this.name === undefined && this.min === undefined && this.max === undefined && this.std === undefined && this.sparsity === undefined; }
}

/** A nominal (categorical) attribute: Spark's NominalAttribute (values, numValues, isOrdinal). */
export class NominalAttribute extends AttributeBase {
  readonly attrType = 'nominal' as const;
  readonly isOrdinal?: boolean;
  readonly numValues?: number;
  readonly values?: string[];
  constructor(opts: { name?: string; index?: number; isOrdinal?: boolean; numValues?: number; values?: readonly string[] } = {}) {
    super(opts.name, opts.index);
    this.isOrdinal = opts.isOrdinal;
    this.numValues = opts.values ? undefined : opts.numValues;
    this.values = opts.values ? [...opts.values] : undefined;
  }
  static readonly defaultAttr = new NominalAttribute();
  private opts() { return { name: this.name, index: this.index, isOrdinal: this.isOrdinal, numValues: this.numValues, values: this.values }; }
  withName(name: string): NominalAttribute { return new NominalAttribute({ ...this.opts(), name }); }
  withIndex(index: number): NominalAttribute { return new NominalAttribute({ ...this.opts(), index }); }
  /** Sets the values (and clears numValues, as Spark). */
  withValues(values: readonly string[]): NominalAttribute { return new NominalAttribute({ ...this.opts(), numValues: undefined, values }); }
  /** Sets numValues (and clears the values, as Spark). */
  withNumValues(numValues: number): NominalAttribute { return new NominalAttribute({ ...this.opts(), values: undefined, numValues }); }
  /** The number of values: values.length, else numValues (undefined when neither is known). */
  getNumValues(): number | undefined { return this.values ? this.values.length : this.numValues; }
  toJson(withType = true): Json {
    const o = this.head(withType);
    put(o, 'ord', this.isOrdinal);
    put(o, 'num_vals', this.numValues);
    put(o, 'vals', this.values);
    return o;
  }
}

/** A binary attribute (Spark's BinaryAttribute; optional two values). */
export class BinaryAttribute extends AttributeBase {
  readonly attrType = 'binary' as const;
  readonly values?: string[];
  constructor(opts: { name?: string; index?: number; values?: readonly string[] } = {}) {
    super(opts.name, opts.index);
    this.values = opts.values ? [...opts.values] : undefined;
  }
  static readonly defaultAttr = new BinaryAttribute();
  withName(name: string): BinaryAttribute { return new BinaryAttribute({ name, index: this.index, values: this.values }); }
  withIndex(index: number): BinaryAttribute { return new BinaryAttribute({ name: this.name, index, values: this.values }); }
  toJson(withType = true): Json {
    const o = this.head(withType);
    put(o, 'vals', this.values);
    return o;
  }
}

/** No attribute information (Spark's UnresolvedAttribute). */
export class UnresolvedAttribute extends AttributeBase {
  readonly attrType = 'unresolved' as const;
  static readonly instance = new UnresolvedAttribute();
  toJson(): Json { return {}; }
}

export type Attribute = NumericAttribute | NominalAttribute | BinaryAttribute | UnresolvedAttribute;

/** One attribute from its `ml_attr` object (`type` names the kind; absent: numeric, or `defaultType` inside a group). */
export function attributeFromJson(o: Json, defaultType: string = 'numeric'): Attribute {
  const type = str(o.type) ?? defaultType;
  const name = str(o.name);
  const index = num(o.idx);
  switch (type) {
    case 'numeric': return new NumericAttribute({ name, index, min: num(o.min), max: num(o.max), std: num(o.std), sparsity: num(o.sparsity) });
    case 'nominal': return new NominalAttribute({ name, index, isOrdinal: bool(o.ord), numValues: num(o.num_vals), values: strs(o.vals) });
    case 'binary': return new BinaryAttribute({ name, index, values: strs(o.vals) });
    default: throw Errors.schema(`Attribute: unknown attribute type ${JSON.stringify(type)} in ml_attr metadata${name ? ` of ${name}` : ''}`);
  }
}

function parseMlAttr(field: arrow.Field): Json | null {
  const text = field.metadata.get(ATTRIBUTE_KEY);
  if (text === undefined) return null;
  let o: unknown;
  try {
    o = JSON.parse(text);
  } catch {
    throw Errors.schema(`Attribute: the ${ATTRIBUTE_KEY} metadata of column ${field.name} is not JSON: ${text.slice(0, 80)}`);
  }
  if (o === null || typeof o !== 'object' || Array.isArray(o)) throw Errors.schema(`Attribute: the ${ATTRIBUTE_KEY} metadata of column ${field.name} is not a JSON object`);
  return o as Json;
}

function withMeta(field: arrow.Field, json: Json, type: arrow.DataType = field.type): arrow.Field {
  const metadata = new Map(field.metadata);
  metadata.set(ATTRIBUTE_KEY, JSON.stringify(json));
  return new arrow.Field(field.name, type, field.nullable, metadata);
}

/** The field with `attr` as its `ml_attr` metadata (named after the field when the attribute has no name, as Spark's toStructField). */
export function withAttribute(field: arrow.Field, attr: Attribute): arrow.Field {
  if (!(field instanceof arrow.Field)) throw Errors.invalidArg('withAttribute', 'field', 'an Arrow Field', field);
  if (!(attr instanceof AttributeBase)) throw Errors.invalidArg('withAttribute', 'attr', 'a NumericAttribute, NominalAttribute, BinaryAttribute or UnresolvedAttribute', attr);
  if (attr instanceof UnresolvedAttribute) return field;
  const named = attr.name === undefined ? attr.withName(field.name) : attr;
  return withMeta(field, named.toJson());
}

/** The vector field with `group` as its `ml_attr` metadata (name and type kept; Spark's `col.as(name, group.toMetadata)`). */
export function withAttributeGroup(field: arrow.Field, group: AttributeGroup): arrow.Field {
  return withMeta(field, group.toJson());
}

/** The attribute of a one-value column (UnresolvedAttribute when it has none; Spark's Attribute.fromStructField). */
export function attributeOf(field: arrow.Field): Attribute {
  if (!(field instanceof arrow.Field)) throw Errors.invalidArg('attributeOf', 'field', 'an Arrow Field', field);
  const o = parseMlAttr(field);
  if (o === null) return UnresolvedAttribute.instance;
  const a = attributeFromJson(o);
  return a.name === undefined && !(a instanceof UnresolvedAttribute) ? a.withName(field.name) : a;
}

/** The attributes of a vector column (Spark's AttributeGroup): a name and either the attributes or only their number. */
export class AttributeGroup {
  readonly attributes?: Attribute[];
  readonly numAttributes?: number;
  constructor(readonly name: string, attrs?: readonly Attribute[] | number) {
    if (typeof attrs === 'number') this.numAttributes = attrs;
    else if (attrs) {
      this.attributes = attrs.map((a, i) => (a instanceof UnresolvedAttribute ? a : a.withIndex(i)));
      this.numAttributes = attrs.length;
    }
  }

  /** The number of attributes, or -1 when unknown (Spark's `size`). */
  get size(): number {
    return this.numAttributes ?? -1;
  }

  /** Spark's toMetadataImpl: the group's `ml_attr` object. */
  toJson(): Json {
    if (this.attributes) {
      const byType: Record<'numeric' | 'nominal' | 'binary', Json[]> = { numeric: [], nominal: [], binary: [] };
      for (const a of this.attributes) {
        if (a instanceof NumericAttribute) {
          if (!a.isDefault()) byType.numeric.push(a.toJson(false));
        } else if (a instanceof NominalAttribute || a instanceof BinaryAttribute) byType[a.attrType].push(a.toJson(false));
      }
      const attrs: Json = {};
      for (const k of ['numeric', 'nominal', 'binary'] as const) if (byType[k].length > 0) attrs[k] = byType[k];
      return { attrs, num_attrs: this.attributes.length };
    }
    return this.numAttributes !== undefined ? { num_attrs: this.numAttributes } : {};
  }

  /** A field named after the group, of `type` (a vector type), carrying the group as metadata. */
  toField(type: arrow.DataType, nullable = true): arrow.Field {
    return withMeta(new arrow.Field(this.name, type, nullable), this.toJson());
  }

  /** Spark's AttributeGroup.fromStructField: the group of a vector column (no metadata: a group with neither attributes nor size). */
  static fromField(field: arrow.Field): AttributeGroup {
    if (!(field instanceof arrow.Field)) throw Errors.invalidArg('AttributeGroup.fromField', 'field', 'an Arrow Field', field);
    const o = parseMlAttr(field);
    if (o === null) return new AttributeGroup(field.name);
    const n = num(o.num_attrs);
    const attrsJson = o.attrs as Record<string, unknown> | undefined;
    if (attrsJson && typeof attrsJson === 'object' && n !== undefined) {
      const attrs: Attribute[] = new Array<Attribute>(n).fill(NumericAttribute.defaultAttr);
      for (const type of ['numeric', 'nominal', 'binary']) {
        const list = attrsJson[type];
        if (!Array.isArray(list)) continue;
        for (const a of list as Json[]) {
          const attr = attributeFromJson(a, type);
          if (attr.index === undefined || attr.index < 0 || attr.index >= n) throw Errors.schema(`AttributeGroup: an attribute of column ${field.name} has index ${String(attr.index)}, outside [0, ${n})`);
          attrs[attr.index] = attr;
        }
      }
      return new AttributeGroup(field.name, attrs);
    }
    return new AttributeGroup(field.name, n);
  }

  /** The attribute at index i (numeric default when the group lists none). */
  getAttr(i: number): Attribute {
    if (!this.attributes) return NumericAttribute.defaultAttr.withIndex(i);
    const a = this.attributes[i];
    if (!a) throw Errors.outOfRange('AttributeGroup.getAttr', 'index', `0..${this.attributes.length - 1}`, i);
    return a;
  }
}
