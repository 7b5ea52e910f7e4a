/**
 * Params as Spark's ml.param: every stage owns typed `Param<T>`s (name, doc, optional default,
 * validator), a user map and a default map (precedence default < user < extra), and explains
 * them in Spark's format: `k: Number of clusters to create. (default: 2, current: 3)`.
 * Invalid values throw at set time with the stage, the param and the allowed range:
 * `KMeans: expected integer > 1 for k, got 1.5 (number)`.
 */
import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { Errors, describeValue } from '../../src/errors.js';
import type { ParamSpec } from './spec.js';

/** Checks a value: returns null when valid, else what was expected ("integer > 1"). */
export type Validator<T> = (value: T) => string | null;

export class Param<T> {
  constructor(
    /** uid of the owning stage. */
    readonly parent: string,
    readonly name: string,
    readonly doc: string,
    readonly validator: Validator<T> = () => null,
  ) {}

  toString(): string {
    return `${this.parent}__${this.name}`;
  }

  [inspect.custom](): string {
    return `Param(parent='${this.parent}', name='${this.name}', doc='${this.doc}')`;
  }
}

/** The value type of a Param (`ParamValue<KMeans['distanceMeasure']>` is 'euclidean' | 'cosine'). */
export type ParamValue<P> = P extends Param<infer T> ? T : never;

/** A map of param → value, as Spark's ParamMap (keys are Param objects, so stages stay distinct). */
/** `extra` of copy / fit / transform / evaluate: a ParamMap or nothing. */
export function checkExtra(api: string, extra: unknown): asserts extra is ParamMap | undefined {
  if (extra !== undefined && !(extra instanceof ParamMap)) throw Errors.invalidArg(api, 'extra', 'a ParamMap (or nothing)', extra);
}

export class ParamMap {
  private readonly m = new Map<Param<unknown>, unknown>();

  static of(...pairs: Array<[Param<any>, unknown]>): ParamMap {
    const pm = new ParamMap();
    for (const [p, v] of pairs) pm.put(p, v);
    return pm;
  }

  put<T>(param: Param<T>, value: T): this {
    const why = param.validator(value);
    if (why !== null) throw Errors.invalidArg(param.parent.replace(/_[0-9a-f]{12}$/, ''), param.name, why, value);
    this.m.set(param as Param<unknown>, value);
    return this;
  }

  get<T>(param: Param<T>): T | undefined {
    return this.m.get(param as Param<unknown>) as T | undefined;
  }

  contains(param: Param<unknown>): boolean {
    return this.m.has(param);
  }

  remove(param: Param<unknown>): boolean {
    return this.m.delete(param);
  }

  entries(): Array<[Param<unknown>, unknown]> {
    return [...this.m.entries()];
  }

  get size(): number {
    return this.m.size;
  }

  copy(): ParamMap {
    const pm = new ParamMap();
    for (const [p, v] of this.m) pm.m.set(p, v);
    return pm;
  }

  /** Entries of `other` override this map's (returns a new map). */
  merge(other: ParamMap | undefined): ParamMap {
    const pm = this.copy();
    if (other) for (const [p, v] of other.m) pm.m.set(p, v);
    return pm;
  }

  [inspect.custom](): string {
    return this.toString();
  }

  toString(): string {
    return `{\n${this.entries().map(([p, v]) => `\t${p.parent}-${p.name}: ${renderValue(v)}`).join(',\n')}\n}`;
  }
}

/** Spark prints param values with Scala's toString: arrays as [a, b], strings bare. */
export function renderValue(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(renderValue).join(', ')}]`;
  if (ArrayBuffer.isView(v)) return `[${Array.from(v as unknown as ArrayLike<number>).join(', ')}]`;
  if (typeof v === 'number' && Number.isInteger(v) && !Number.isSafeInteger(v)) return String(v);
  if (v !== null && typeof v === 'object' && 'uid' in (v as object)) return String((v as { uid: string }).uid);
  return String(v);
}

export function randomUid(prefix: string): string {
  return `${prefix}_${randomBytes(6).toString('hex')}`;
}

export abstract class Params {
  readonly uid: string;
  private readonly declared = new Map<string, Param<unknown>>();
  private readonly userMap = new ParamMap();
  private readonly defaultMap = new ParamMap();

  /** (Public so that params mixins can extend any stage class; Params itself is abstract.) */
  constructor(uid?: string) {
    this.uid = uid ?? randomUid(this.constructor.name);
  }

  /** The class name used in messages ('KMeans'). */
  get stageName(): string {
    return this.uid.replace(/_[0-9a-f]+$/, '') || this.constructor.name;
  }

  /** Declares a param of this stage (call from field initialisers); a name declared twice throws. */
  protected param<T>(name: string, doc: string, opts: { default?: T; validate?: Validator<T> } = {}): Param<T> {
    if (this.declared.has(name)) throw Errors.invalidArg(this.stageName, 'param', `a name not declared yet (${name} is)`, name);
    const p = new Param<T>(this.uid, name, doc, opts.validate);
    this.declared.set(name, p as Param<unknown>);
    if (opts.default !== undefined) this.defaultMap.put(p, opts.default);
    return p;
  }

  /** Declares the param a table entry describes (the generated params mixins call it), through `param`. */
  protected declareParam<T>(spec: ParamSpec<T>): Param<T> {
    return this.param<T>(spec.name, spec.doc, { default: spec.defaultOf ? spec.defaultOf(this) : spec.default, validate: spec.validate });
  }

  /** Params sorted by name, as Spark lists them. */
  get params(): Array<Param<unknown>> {
    return [...this.declared.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  hasParam(name: string): boolean {
    return this.declared.has(name);
  }

  getParam(name: string): Param<unknown> {
    const p = this.declared.get(name);
    if (!p) throw Errors.invalidArg(this.stageName, 'param name', `one of ${[...this.declared.keys()].sort().join(', ')}`, name);
    return p;
  }

  private own<T>(param: Param<T> | string): Param<T> {
    if (typeof param !== 'string' && !(param instanceof Param)) throw Errors.invalidArg(this.stageName, 'param', 'a Param or a param name', param);
    const p = (typeof param === 'string' ? this.getParam(param) : param) as Param<T>;
    if (p.parent !== this.uid || this.declared.get(p.name) !== (p as Param<unknown>)) {
      throw Errors.invalidArg(this.stageName, 'param', `a param of ${this.uid}`, `${p.parent}__${p.name}`);
    }
    return p;
  }

  isSet(param: Param<any> | string): boolean {
    return this.userMap.contains(this.own(param));
  }

  hasDefault(param: Param<any> | string): boolean {
    return this.defaultMap.contains(this.own(param));
  }

  isDefined(param: Param<any> | string): boolean {
    return this.isSet(param) || this.hasDefault(param);
  }

  getDefault<T>(param: Param<T>): T | undefined {
    return this.defaultMap.get(this.own(param));
  }

  /** The user value, else the default; throws when neither exists (Spark's getOrDefault). */
  getOrDefault<T>(param: Param<T> | string): T {
    const p = this.own(param);
    if (this.userMap.contains(p as Param<unknown>)) return this.userMap.get(p)!;
    if (this.defaultMap.contains(p as Param<unknown>)) return this.defaultMap.get(p)!;
    throw Errors.invalidArg(this.stageName, p.name, 'a value (the param has no default and was not set)', undefined);
  }

  /** The user value or default, or undefined (Spark's `get` returns an Option). */
  get<T>(param: Param<T> | string): T | undefined {
    const p = this.own(param);
    return this.userMap.contains(p as Param<unknown>) ? this.userMap.get(p) : this.defaultMap.get(p);
  }

  set<T>(param: Param<T> | string, value: T): this {
    const p = this.own(param);
    const why = p.validator(value);
    if (why !== null) throw Errors.invalidArg(this.stageName, p.name, why, value);
    this.userMap.put(p, value);
    return this;
  }

  protected setDefault<T>(param: Param<T>, value: T): this {
    this.defaultMap.put(this.own(param), value);
    return this;
  }

  clear(param: Param<any> | string): this {
    this.userMap.remove(this.own(param));
    return this;
  }

  /** Sets every key of a typed options object; an unknown key throws naming it. */
  protected setParams(options: Record<string, unknown> | undefined): this {
    if (options === undefined) return this;
    if (options === null || typeof options !== 'object') throw Errors.invalidArg(this.stageName, 'options', 'an object of param values', options);
    for (const [k, v] of Object.entries(options)) {
      if (v === undefined) continue;
      if (!this.declared.has(k)) throw Errors.invalidArg(this.stageName, 'options', `param names among ${[...this.declared.keys()].sort().join(', ')}`, k);
      this.set(this.declared.get(k)!, v);
    }
    return this;
  }

  /** `name: doc (default: d, current: v)` as Spark. */
  explainParam(param: Param<any> | string): string {
    const p = this.own(param);
    const parts: string[] = [];
    if (this.hasDefault(p)) parts.push(`default: ${renderValue(this.getDefault(p))}`);
    if (this.isSet(p)) parts.push(`current: ${renderValue(this.userMap.get(p))}`);
    return `${p.name}: ${p.doc} (${parts.length > 0 ? parts.join(', ') : 'undefined'})`;
  }

  explainParams(): string {
    return this.params.map((p) => this.explainParam(p)).join('\n');
  }

  /** Defaults, then user values, then `extra` (which may also hold other stages' params: ignored here). */
  extractParamMap(extra?: ParamMap): ParamMap {
    const pm = this.defaultMap.merge(this.userMap);
    if (extra) for (const [p, v] of extra.entries()) if (this.declared.get(p.name) === p) pm.put(p as Param<unknown>, v);
    return pm;
  }

  /** Plain objects of the user and default values by name (for persistence). */
  paramValues(): { paramMap: Record<string, unknown>; defaultParamMap: Record<string, unknown> } {
    const byName = (m: ParamMap) => Object.fromEntries(m.entries().map(([p, v]) => [p.name, v]).sort((a, b) => ((a[0] as string) < (b[0] as string) ? -1 : 1)));
    return { paramMap: byName(this.userMap), defaultParamMap: byName(this.defaultMap) };
  }

  /** Spark's copyValues: defaults and set values (then `extra`) for params `to` also declares, by name. */
  copyValues<P extends Params>(to: P, extra?: ParamMap): P {
    for (const p of this.declared.values()) {
      if (!to.hasParam(p.name)) continue;
      const target = to.getParam(p.name);
      if (this.defaultMap.contains(p)) to.defaultMap.put(target, this.defaultMap.get(p));
      if (extra?.contains(p)) to.set(target, extra.get(p));
      else if (this.userMap.contains(p)) to.set(target, this.userMap.get(p));
    }
    return to;
  }

  /** A new instance with the same uid and values, plus `extra` (Spark's copy(extra)). */
  copy(extra?: ParamMap): this {
    checkExtra(this.stageName, extra);
    const Ctor = this.constructor as new (options?: Record<string, unknown>, uid?: string) => this;
    const that = new Ctor(undefined, this.uid);
    for (const [p, v] of this.userMap.entries()) that.set(that.getParam(p.name), v);
    if (extra) for (const [p, v] of extra.entries()) if (this.declared.get(p.name) === p) that.set(that.getParam(p.name), v);
    return that;
  }

  toString(): string {
    return this.uid;
  }

  /** console.log shows what PySpark's repr does: the uid (a model's toString adds its shape). */
  [inspect.custom](): string {
    return this.toString();
  }
}

/** Spark's ParamValidators, returning the "expected …" text on failure. */
export const ParamValidators = {
  gt: (lo: number): Validator<number> => (v) => (typeof v === 'number' && v > lo ? null : `a number > ${lo}`),
  gtEq: (lo: number): Validator<number> => (v) => (typeof v === 'number' && v >= lo ? null : `a number >= ${lo}`),
  lt: (hi: number): Validator<number> => (v) => (typeof v === 'number' && v < hi ? null : `a number < ${hi}`),
  inRange: (lo: number, hi: number, lowerInclusive = true, upperInclusive = true): Validator<number> => (v) =>
    typeof v === 'number' && (lowerInclusive ? v >= lo : v > lo) && (upperInclusive ? v <= hi : v < hi)
      ? null
      : `a number in ${lowerInclusive ? '[' : '('}${lo}, ${hi}${upperInclusive ? ']' : ')'}`,
  int: (lo = -Infinity, hi = Infinity, what?: string): Validator<number> => (v) =>
    Number.isInteger(v) && v >= lo && v <= hi ? null : what ?? (hi === Infinity ? `integer >= ${lo}` : `integer in [${lo}, ${hi}]`),
  intGt: (lo: number): Validator<number> => (v) => (Number.isInteger(v) && v > lo ? null : `integer > ${lo}`),
  inArray: <T>(allowed: readonly T[]): Validator<T> => (v) => (allowed.includes(v) ? null : `one of ${allowed.join(', ')}`),
  bool: (): Validator<boolean> => (v) => (typeof v === 'boolean' ? null : 'a boolean'),
  str: (): Validator<string> => (v) => (typeof v === 'string' ? null : 'a string'),
  nonEmptyStr: (): Validator<string> => (v) => (typeof v === 'string' && v.length > 0 ? null : 'a non-empty string'),
  strArray: (nonEmpty = false): Validator<string[]> => (v) =>
    Array.isArray(v) && v.every((x) => typeof x === 'string') && (!nonEmpty || v.length > 0) ? null : nonEmpty ? 'a non-empty array of strings' : 'an array of strings',
  numArray: (check?: (x: number) => boolean, what = 'an array of numbers'): Validator<number[]> => (v) =>
    Array.isArray(v) && v.every((x) => typeof x === 'number' && (!check || check(x))) ? null : what,
  any: <T>(): Validator<T> => () => null,
};

export { describeValue };
