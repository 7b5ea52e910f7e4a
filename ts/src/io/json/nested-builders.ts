/**
 * Arrow column builders for the JSON reader's nested types: arrays (List) and structs, built over
 * child builders (builders.ts), so a record converts in one walk; when a field repeats in an
 * object the last occurrence wins, as JacksonParser's row.update does.
 * Follows shared/ARCHITECTURE.md (Data: partitions are Arrow RecordBatches).
 */
import * as arrow from 'apache-arrow';
import { countNulls } from '../../dataframe/batch.js';
import { sparkTypeName } from '../../dataframe/types.js';
import { ConvError, PrimBuilder, growBits, setBit, type JBuilder, type Parsers } from './builders.js';
import { JObj, describeJson, type JV } from './values.js';

/** An array column: list offsets over one child builder. */
class ListBuilder implements JBuilder {
  length = 0;
  private valid: Uint8Array = new Uint8Array(64);
  private offs = new Int32Array(65);
  constructor(readonly field: arrow.Field, private readonly child: JBuilder) {}

  private room(): void {
    this.valid = growBits(this.valid, this.length);
    if (this.length + 2 > this.offs.length) {
      const o = new Int32Array(this.offs.length * 2);
      o.set(this.offs);
      this.offs = o;
    }
  }

  appendNull(): void {
    this.room();
    setBit(this.valid, this.length, false);
    this.offs[this.length + 1] = this.child.length;
    this.length++;
  }

  append(v: JV): void {
    if (!Array.isArray(v)) throw new ConvError(`cannot parse ${describeJson(v)} as ${sparkTypeName(this.field.type)} for column ${this.field.name}`);
    this.room();
    for (const x of v) {
      if (x === null) this.child.appendNull();
      else this.child.append(x);
    }
    setBit(this.valid, this.length, true);
    this.offs[this.length + 1] = this.child.length;
    this.length++;
  }

  truncate(n: number): void {
    if (n >= this.length) return;
    this.length = n;
    this.child.truncate(this.offs[n]!);
  }

  finish(): arrow.Data {
    const n = this.length;
    const nullCount = countNulls(this.valid, n);
    const child = this.child.finish();
    return arrow.makeData({
      type: this.field.type as arrow.List, length: n, nullCount, nullBitmap: nullCount > 0 ? this.valid.slice(0, (n + 7) >> 3) : undefined,
      valueOffsets: this.offs.slice(0, n + 1), child,
    });
  }
}

/** A struct column: one child builder per field, matched by name. */
class StructBuilder implements JBuilder {
  length = 0;
  private valid: Uint8Array = new Uint8Array(64);
  private readonly index = new Map<string, number>();
  constructor(readonly field: arrow.Field, private readonly children: JBuilder[]) {
    children.forEach((c, k) => this.index.set(c.field.name, k));
  }

  appendNull(): void {
    this.valid = growBits(this.valid, this.length);
    setBit(this.valid, this.length, false);
    for (const c of this.children) c.appendNull();
    this.length++;
  }

  append(v: JV): void {
    if (!(v instanceof JObj)) throw new ConvError(`cannot parse ${describeJson(v)} as ${sparkTypeName(this.field.type)} for column ${this.field.name}`);
    const last = lastValues(v, this.index, this.children.length);
    for (let k = 0; k < this.children.length; k++) {
      const x = last[k];
      if (x === undefined || x === null) this.children[k]!.appendNull();
      else this.children[k]!.append(x);
    }
    this.valid = growBits(this.valid, this.length);
    setBit(this.valid, this.length, true);
    this.length++;
  }

  truncate(n: number): void {
    if (n >= this.length) return;
    this.length = n;
    for (const c of this.children) c.truncate(n);
  }

  finish(): arrow.Data {
    const n = this.length;
    const nullCount = countNulls(this.valid, n);
    return arrow.makeData({
      type: this.field.type as arrow.Struct, length: n, nullCount, nullBitmap: nullCount > 0 ? this.valid.slice(0, (n + 7) >> 3) : undefined,
      children: this.children.map((c) => c.finish()),
    });
  }
}

/** The value of each wanted field (last occurrence wins, as JacksonParser's row.update). */
export function lastValues(o: JObj, index: Map<string, number>, n: number): (JV | undefined)[] {
  const out: (JV | undefined)[] = new Array(n);
  for (let i = 0; i < o.keys.length; i++) {
    const k = index.get(o.keys[i]!);
    if (k !== undefined) out[k] = o.vals[i]!;
  }
  return out;
}

/** The builder of a column of any readable type. */
export function makeBuilder(f: arrow.Field, p: Parsers): JBuilder {
  const t = f.type;
  if (arrow.DataType.isList(t)) return new ListBuilder(f, makeBuilder(t.children[0]!, p));
  if (arrow.DataType.isStruct(t)) return new StructBuilder(f, t.children.map((c) => makeBuilder(c, p)));
  return new PrimBuilder(f, p);
}
