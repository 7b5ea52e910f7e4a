/**
 * Param tables: each family of params (Spark's KMeansParams, HasMaxIter, …) is declared once, as
 * a table of `ParamSpec`s — name, Spark's doc, default, validator and the TypeScript type of the
 * values. A package keeps its families in `<package>-params.table.ts`; `npm run gen:params`
 * (scripts/gen-params.ts) writes the sibling `<package>-params.ts` with, per family, an
 * interface (the `Param` fields and `getX()` / `setX(value)` accessors, each with the Spark doc
 * as JSDoc), the mixin that implements it (`KMeansParamsMixin(Base)`) and its options type
 * (`KMeansParamsOptions`, derived from the interface). Shared params (shared-params.table.ts)
 * each get a mixin of their own (`HasMaxIterMixin`), which the families compose.
 *
 *   export const KMeansParamsTable = paramFamily('KMeansParams', {
 *     doc: "Spark's KMeansParams, shared by KMeans and KMeansModel.",
 *     params: {
 *       featuresCol: S.featuresCol,                      // a shared param, as declared once
 *       maxIter: withDefault(S.maxIter, 20),             // … with this family's default
 *       k: param.number('The number of clusters to create. Must be > 1.', { default: 2, validate: V.intGt(1) }),
 *       initMode: param.oneOf(['random', 'k-means||'], "The initialization algorithm. …", { default: 'k-means||' }),
 *     },
 *   });
 *
 *   export class KMeans extends MLWritable(KMeansParamsMixin(Estimator<KMeansModel>)) { … }
 *   export class KMeansModel extends MLWritable(KMeansParamsMixin(Model)) { … }
 *
 * An enumerated param (`param.oneOf`) gets its validator and its literal-union type from the
 * one list of allowed values, so the two cannot disagree. Any other value type is
 * `param.of<T>('T as text', doc, { validate })`, with the family's `typeImports` naming the
 * modules of the types the text uses.
 */
import { ParamValidators as V, type Param, type Params, type Validator } from './params.js';

/** One param of a table. */
export interface ParamSpec<T> {
  /** The param's name: its key in the table. */
  readonly name: string;
  /** Spark's doc text (explainParam prints it; the accessors carry it as JSDoc). */
  readonly doc: string;
  /** The TypeScript text of T, as the generated accessors are typed ('number', "'euclidean' | 'cosine'"). */
  readonly type: string;
  readonly default?: T;
  /** A default computed from the stage (Spark's HasOutputCol: `uid + "__output"`); wins over `default`. */
  readonly defaultOf?: (owner: Params) => T;
  readonly validate: Validator<T>;
  /** `getX()` returns undefined for a param with no value (Spark's optional params, e.g. weightCol) instead of throwing. */
  readonly optional?: boolean;
  /** `getX()` returns a copy of the (array) value. */
  readonly copyOnGet?: boolean;
  /** Set on the params of the shared table: the name of the shared mixin that declares it (HasMaxIter). */
  readonly shared?: string;
}

/** A ParamSpec before its table gives it a name. */
export type ParamSpecInput<T> = Omit<ParamSpec<T>, 'name'> & { readonly name?: string };

type Options<T> = Pick<ParamSpec<T>, 'default' | 'defaultOf' | 'optional' | 'copyOnGet'> & { readonly validate: Validator<T> };

function quote(s: string): string {
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** Builders of table entries, by value type. */
export const param = {
  number: (doc: string, opts: Options<number>): ParamSpecInput<number> => ({ type: 'number', doc, ...opts }),
  string: (doc: string, opts: Options<string>): ParamSpecInput<string> => ({ type: 'string', doc, ...opts }),
  boolean: (doc: string, opts: Partial<Options<boolean>> = {}): ParamSpecInput<boolean> => ({ type: 'boolean', doc, validate: V.bool(), ...opts }),
  /**
   * An enumerated param: the values' literal union is its type, and the validator accepts exactly
   * them ('one of a, b'); with `caseInsensitive`, any letter case of them ('one of a, b
   * (case-insensitive)'), the value being kept as given.
   */
  oneOf: <const A extends readonly string[]>(
    allowed: A,
    doc: string,
    opts: Pick<ParamSpec<A[number]>, 'default' | 'optional'> & { caseInsensitive?: boolean } = {},
  ): ParamSpecInput<A[number]> => {
    const { caseInsensitive, ...rest } = opts;
    const validate: Validator<A[number]> = caseInsensitive
      ? (v) => (typeof v === 'string' && (allowed as readonly string[]).includes(v.toLowerCase()) ? null : `one of ${allowed.join(', ')} (case-insensitive)`)
      : V.inArray<A[number]>(allowed);
    return { type: allowed.map(quote).join(' | '), doc, validate, ...rest };
  },
  /** Any other value type, given as TypeScript text (the table's family lists where its names come from). */
  of: <T>(type: string, doc: string, opts: Options<T>): ParamSpecInput<T> => ({ type, doc, ...opts }),
};

/** A spec with another default (a shared param with this family's default). */
export function withDefault<T>(spec: ParamSpec<T>, value: T): ParamSpec<T> {
  return { ...spec, default: value };
}

/** A spec whose default is computed from the stage. */
export function withDefaultOf<T>(spec: ParamSpec<T>, defaultOf: (owner: Params) => T): ParamSpec<T> {
  return { ...spec, defaultOf };
}

type Named<S extends Record<string, ParamSpecInput<any>>> = { readonly [K in keyof S]: S[K] extends ParamSpecInput<infer T> ? ParamSpec<T> : never };

/** A family of params: what the generator turns into one interface, mixin and options interface. */
export interface ParamFamily<S extends Record<string, ParamSpec<any>> = Record<string, ParamSpec<any>>> {
  /** 'sharedParams': the shared table, one mixin per param; 'paramFamily': one mixin for the family. */
  readonly kind: 'paramFamily' | 'sharedParams';
  /** The interface name ('KMeansParams'); the mixin is `<name>Mixin`, the options `<name>Options`. */
  readonly name: string;
  readonly doc: string;
  /** A family this one builds on (its params, accessors and options come first). */
  readonly base?: ParamFamily;
  /** Where the names used in `type` texts come from: name → module, relative to the table. */
  readonly typeImports?: Readonly<Record<string, string>>;
  readonly params: S;
}

/**
 * A family table: every key names its param (a shared spec must keep its own name). Throws on a
 * param also declared by the base family.
 */
export function paramFamily<S extends Record<string, ParamSpecInput<any>>>(
  name: string,
  def: { doc: string; base?: ParamFamily; typeImports?: Readonly<Record<string, string>>; params: S },
): ParamFamily<Named<S>> {
  const params: Record<string, ParamSpec<unknown>> = {};
  for (const [key, spec] of Object.entries(def.params)) {
    if (spec.name !== undefined && spec.name !== key) throw new TypeError(`paramFamily ${name}: the key ${key} holds param ${spec.name}`);
    if (def.base && key in def.base.params) throw new TypeError(`paramFamily ${name}: ${key} is already a param of ${def.base.name}`);
    params[key] = { ...spec, name: key } as ParamSpec<unknown>;
  }
  return { kind: 'paramFamily', name, doc: def.doc, base: def.base, typeImports: def.typeImports, params: params as Named<S> };
}

/** The shared params' table: each param becomes its own mixin (`HasMaxIterMixin`), as Spark's shared traits. */
export function sharedParamTable<S extends Record<string, ParamSpecInput<any>>>(doc: string, specs: S): ParamFamily<Named<S>> {
  const named = Object.fromEntries(Object.entries(specs).map(([key, spec]) => [key, { ...spec, shared: `Has${key[0]!.toUpperCase()}${key.slice(1)}` }]));
  return { ...paramFamily('SharedParams', { doc, params: named as S }), kind: 'sharedParams' };
}

/** A class whose instances are Params (what a params mixin extends). */
export type ParamsClass = abstract new (...args: any[]) => Params;

/** The constructor type a mixin adds: instances gain `I`. */
export type Mixin<I> = abstract new (...args: any[]) => I;

/**
 * The options object of a params interface: an optional value for each of its Param fields
 * (`new KMeans({ k: 3 })`), keeping each field's doc and definition for hover.
 */
export type ParamsOptions<I> = { -readonly [K in keyof I as I[K] extends Param<any> ? K : never]?: I[K] extends Param<infer T> ? T : never };
