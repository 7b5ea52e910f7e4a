/**
 * Spark ML persistence: `stage.save(path)`, `stage.write().overwrite().save(path)` and
 * `Class.load(path)` in the directory layout Spark's DefaultParamsWriter / MLWriter produce, so
 * Spark (Scala or PySpark) reads what kindling writes and kindling reads what Spark wrote:
 *
 *   <path>/metadata/part-00000   one JSON line: {"class", "timestamp", "sparkVersion", "uid",
 *                                "paramMap", "defaultParamMap", <model fields…>, "kindlingVersion"}
 *   <path>/metadata/_SUCCESS     empty, as Hadoop's committer leaves it
 *   <path>/data/part-00000-<uuid>-c000.snappy.parquet (+ _SUCCESS)   models with learned state
 *   <path>/stages/<idx>_<uid>/   Pipeline / PipelineModel, idx zero-padded to the digits of the
 *                                stage count (Spark's getStagePath)
 *
 * Classes register themselves: `register('org.apache.spark.ml.feature.VectorAssembler',
 * VectorAssembler)` (params only: the generic DefaultParamsWriter/Reader apply) or with
 * `{ save, load }` for state beyond params (models write `data/` with `writeData`). The
 * registry maps Spark class names to kindling classes both ways, so `PipelineModel.load` can
 * instantiate every stage; a class nobody registered fails naming it ("… is not implemented
 * yet"). A stage class gets the usual API (write(), save(path), static read() and load(path))
 * from the MLWritable mixin (ml-writable.ts):
 *
 *   export class VectorAssembler extends MLWritable(VectorAssemblerParamsMixin(Transformer)) { … }
 *
 * Saves are atomic: the whole tree is written into a hidden temporary directory next to the
 * target and published by the directory commit protocol (ts/src/io/commit.ts, docs/COMMIT.md),
 * so a failing or killed save never leaves a half-written model and never loses the one it would
 * replace; `load` recovers an interrupted save first. Without `overwrite()` an existing path is
 * an error, as in Spark.
 *
 * Param values are JSON as Spark encodes them (json4s): doubles always with a decimal point or
 * exponent in Java's Double.toString form (`1.0`, `1.0E-4`), NaN / ±Infinity as the strings
 * "NaN" / "Inf" / "-Inf", ints and longs bare, string arrays as arrays. kindling's Param carries
 * no JVM type, so a number is written as a double when the param's validator accepts a
 * non-integer next to it (`register(…, { jsonKinds })` overrides per param). Reading is
 * BigInt-safe (Spark's long seeds exceed 2^53), takes `defaultParamMap` only from files of
 * Spark >= 2.4 (older files have none and keep every value in `paramMap`), and skips params the
 * kindling class does not declare (metadata of other Spark versions carries params such as
 * `maxBlockSizeInMB` that come and go).
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as arrow from 'apache-arrow';
import { Errors, KindlingError, describeValue } from '../src/errors.js';
import { javaDoubleString } from '../src/io/text-common/java-format.js';
import { commitDirectory, isHidden, readStable, statOrNull } from '../src/io/commit.js';
import { expandPaths, partFileName } from '../src/io/dataset.js';
import { parquetSource, writeParquetPart } from '../src/io/parquet/index.js';
import { packageRoot } from '../src/native.js';
import type { Session } from '../src/session.js';
import { Params, type Param } from './param/params.js';

/** The Spark version kindling writes into `sparkVersion` (the release whose layout it follows). */
export const SPARK_VERSION = '3.5.1';

/** The metadata key holding the kindling version that wrote a stage (Spark ignores unknown keys). */
export const KINDLING_VERSION_KEY = 'kindlingVersion';

/**
 * The class namespace of kindling's feature stages that Spark does not have (the Spark ML book's
 * encoders, imputers, MeanNormalizer): saved in Spark's layout under `org.kindling.ml.feature.<Name>`,
 * which Spark cannot load.
 */
export const KINDLING_FEATURE_NS = 'org.kindling.ml.feature';

let cachedVersion: string | undefined;

/** kindling's package version (from its package.json). */
export function kindlingVersion(): string {
  if (cachedVersion === undefined) {
    try {
      cachedVersion = String((JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version?: unknown }).version ?? '0.0.0');
    } catch {
      cachedVersion = '0.0.0';
    }
  }
  return cachedVersion;
}

// ----- JSON as Spark (json4s) writes and reads it ---------------------------------------------

/** A number to be written as a JVM double (`1.0`, never `1`). */
export class JsonDouble {
  constructor(readonly value: number) {}
}

function doubleJson(x: number): string {
  if (Number.isNaN(x)) return '"NaN"';
  if (x === Infinity) return '"Inf"';
  if (x === -Infinity) return '"-Inf"';
  return javaDoubleString(x);
}

/**
 * Compact JSON as json4s renders it: no spaces, `JsonDouble`s and non-integral numbers in Java's
 * Double.toString form, safe integers bare, bigints as their digits; undefined members dropped.
 */
export function toSparkJson(value: unknown): string {
  if (value === null) return 'null';
  if (value instanceof JsonDouble) return doubleJson(value.value);
  switch (typeof value) {
    case 'number': return Number.isSafeInteger(value) ? String(value) : doubleJson(value);
    case 'bigint': return value.toString();
    case 'string': return JSON.stringify(value);
    case 'boolean': return value ? 'true' : 'false';
    default: break;
  }
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : toSparkJson(v))).join(',')}]`;
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    const isFloat = value instanceof Float64Array || value instanceof Float32Array;
    return `[${Array.from(value as unknown as ArrayLike<number | bigint>, (v) => (isFloat ? doubleJson(Number(v)) : String(v))).join(',')}]`;
  }
  if (typeof value === 'object' && (Object.getPrototypeOf(value) === Object.prototype || Object.getPrototypeOf(value) === null)) {
    const parts: string[] = [];
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) if (v !== undefined) parts.push(`${JSON.stringify(k)}:${toSparkJson(v)}`);
    return `{${parts.join(',')}}`;
  }
  throw Errors.invalidArg('toSparkJson', 'value', 'a JSON value (numbers, strings, booleans, null, arrays, plain objects)', value);
}

/**
 * Parses one JSON text; integers outside ±2^53 come back as bigint (Spark writes 64-bit seeds
 * such as -8353184178808604403), every other number as a JS number. Also accepts the bare
 * NaN / Infinity / -Infinity tokens Python's json module writes.
 */
export function parseSparkJson(text: string): unknown {
  let i = 0;
  const n = text.length;
  const fail = (what: string): never => {
    throw Errors.load(`parseSparkJson: ${what} at offset ${i}`);
  };
  const ws = () => {
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) i++;
      else break;
    }
  };
  const NUM = /-?(?:0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;
  const value = (): unknown => {
    ws();
    if (i >= n) fail('unexpected end of input');
    const c = text[i]!;
    if (c === '{') {
      i++;
      const obj: Record<string, unknown> = {};
      ws();
      if (text[i] === '}') {
        i++;
        return obj;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail('expected a string key');
        const k = str();
        ws();
        if (text[i] !== ':') fail("expected ':'");
        i++;
        Object.defineProperty(obj, k, { value: value(), enumerable: true, writable: true, configurable: true });
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return obj;
        }
        fail("expected ',' or '}'");
      }
    }
    if (c === '[') {
      i++;
      const arr: unknown[] = [];
      ws();
      if (text[i] === ']') {
        i++;
        return arr;
      }
      for (;;) {
        arr.push(value());
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return arr;
        }
        fail("expected ',' or ']'");
      }
    }
    if (c === '"') return str();
    for (const [word, v] of [['true', true], ['false', false], ['null', null], ['NaN', NaN], ['Infinity', Infinity], ['-Infinity', -Infinity]] as const) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return v;
      }
    }
    NUM.lastIndex = i;
    const m = NUM.exec(text);
    if (!m) return fail('unexpected character');
    i += m[0].length;
    if (m[1] === undefined && m[2] === undefined) {
      const v = Number(m[0]);
      return Number.isSafeInteger(v) ? v : BigInt(m[0]);
    }
    return Number(m[0]);
  };
  const str = (): string => {
    const start = i;
    i++;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 0x5c) i += 2;
      else if (c === 0x22) break;
      else i++;
    }
    if (i >= n) fail('unterminated string');
    i++;
    try {
      return JSON.parse(text.slice(start, i)) as string;
    } catch {
      return fail('bad string escape');
    }
  };
  const out = value();
  ws();
  if (i < n) fail('trailing characters');
  return out;
}

// ----- param values ↔ JSON --------------------------------------------------------------------

export type JsonKind = 'double' | 'int';

function deepMapNumbers(v: unknown, f: (x: number) => unknown): unknown {
  if (typeof v === 'number') return f(v);
  if (Array.isArray(v)) return v.map((x) => deepMapNumbers(x, f));
  return v;
}

function hasNumbers(v: unknown): boolean {
  if (typeof v === 'number') return true;
  return Array.isArray(v) && v.some(hasNumbers);
}

/** Whether a (numeric or nested numeric array) value of `param` is a double: a non-integer next to it is valid. */
function isDoubleValued(param: Param<unknown>, v: unknown): boolean {
  let integral = true;
  deepMapNumbers(v, (x) => {
    if (!Number.isSafeInteger(x)) integral = false;
    return x;
  });
  if (!integral) return true;
  try {
    return param.validator(deepMapNumbers(v, (x) => x + 0.25)) === null || param.validator(deepMapNumbers(v, (x) => x - 0.25)) === null;
  } catch {
    return false;
  }
}

/** A param value as the JSON tree Spark's `Param.jsonEncode` writes (numbers typed as doubles or ints). */
export function encodeParamValue(api: string, owner: Params, param: Param<unknown>, value: unknown, kind?: JsonKind): unknown {
  const fail = () => {
    throw Errors.invalidArg(api, `param ${param.name} of ${owner.uid}`, 'a value that can be saved as JSON (numbers, strings, booleans, arrays of them)', value);
  };
  if (value === null || typeof value === 'string' || typeof value === 'boolean' || typeof value === 'bigint') return value;
  if (value instanceof Float64Array || value instanceof Float32Array) return Array.from(value, (x) => new JsonDouble(x));
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) return Array.from(value as unknown as ArrayLike<number>, (x) => (typeof x === 'bigint' ? x : Number(x)));
  if (typeof value === 'number' || Array.isArray(value)) {
    const check = (v: unknown): void => {
      if (Array.isArray(v)) v.forEach(check);
      else if (!(v === null || typeof v === 'string' || typeof v === 'boolean' || typeof v === 'number' || typeof v === 'bigint')) fail();
    };
    check(value);
    if (!hasNumbers(value)) return value;
    const k = kind ?? (isDoubleValued(param, value) ? 'double' : 'int');
    return deepMapNumbers(value, (x) => (k === 'double' || !Number.isSafeInteger(x) ? new JsonDouble(x) : x));
  }
  return fail();
}

const SPECIAL_DOUBLES: Record<string, number> = { NaN: NaN, Inf: Infinity, '-Inf': -Infinity, Infinity: Infinity, '-Infinity': -Infinity };

/** The value a JSON param value decodes to for `param`, or the validator's "expected …" text. */
export function decodeParamValue(param: Param<unknown>, raw: unknown): { ok: true; value: unknown } | { ok: false; expected: string } {
  const candidates: unknown[] = [raw];
  let changed = false;
  const conv = (v: unknown): unknown => {
    if (typeof v === 'bigint') {
      changed = true;
      return Number(v);
    }
    if (typeof v === 'string' && Object.hasOwn(SPECIAL_DOUBLES, v)) {
      changed = true;
      return SPECIAL_DOUBLES[v];
    }
    if (Array.isArray(v)) return v.map(conv);
    return v;
  };
  const converted = conv(raw);
  if (changed) candidates.push(converted);
  let expected = '';
  for (const c of candidates) {
    let why: string | null;
    try {
      why = param.validator(c);
    } catch (e) {
      why = (e as Error).message;
    }
    if (why === null) return { ok: true, value: c };
    if (expected === '') expected = why;
  }
  return { ok: false, expected };
}

// ----- registry -------------------------------------------------------------------------------

/** A stage class as the registry instantiates it: `(options?, uid?)`. */
export type ParamsCtor<T extends Params = Params> = new (options?: any, uid?: string) => T;

export interface WriteContext {
  /** The API name for messages ('Pipeline.save'). */
  readonly api: string;
  readonly session: Session | null;
  /** Writer options, keys lower-cased (Spark's optionMap), e.g. 'persistsubmodels'. */
  readonly options: ReadonlyMap<string, string>;
}

export interface ReadContext {
  readonly api: string;
  readonly session: Session | null;
}

export interface StageIO<T extends Params> {
  /**
   * Writes the stage into the directory `path` (which the caller created, empty): metadata
   * with `writeMetadata`, plus `data/` (`writeData`) or sub-stages (`saveStage`). Default: the
   * generic DefaultParamsWriter (metadata only).
   */
  save?(stage: T, path: string, ctx: WriteContext): Promise<void>;
  /** Rebuilds the stage from its directory. Default: DefaultParamsReader (new ctor(undefined, uid), then params). */
  load?(path: string, metadata: Metadata, ctx: ReadContext): Promise<T>;
  /** Nested stages (Pipeline stages, a validator's estimator/evaluator): checked for persistability and used for uid maps. */
  children?(stage: T): Params[];
  /** Other class names read as this class (e.g. PySpark's 'pyspark.ml.pipeline.PipelineModel'). */
  aliases?: readonly string[];
  /** JSON number kinds by param name, overriding the validator probe. */
  jsonKinds?: Readonly<Record<string, JsonKind>>;
}

interface Registration {
  sparkClass: string;
  ctor: ParamsCtor;
  io: StageIO<Params>;
}

const byClass = new Map<string, Registration>();
const byCtor = new Map<Function, Registration>();

/**
 * Registers a kindling class under its Spark class name (and `io.aliases`) so it can be saved
 * and loaded, alone or inside a Pipeline. Registering the same pair again is a no-op; a name or
 * class already bound to another one throws.
 */
export function register<T extends Params>(sparkClass: string, ctor: ParamsCtor<T>, io: StageIO<T> = {}): void {
  if (typeof sparkClass !== 'string' || !/^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*$/.test(sparkClass)) {
    throw Errors.invalidArg('register', 'sparkClass', "a fully qualified class name such as 'org.apache.spark.ml.feature.VectorAssembler'", sparkClass);
  }
  if (typeof ctor !== 'function' || !(ctor.prototype instanceof Params)) throw Errors.invalidArg('register', 'ctor', 'a class extending Params', ctor);
  if (io === null || typeof io !== 'object') throw Errors.invalidArg('register', 'io', 'an object { save?, load?, children?, aliases?, jsonKinds? }', io);
  const names = [sparkClass, ...(io.aliases ?? [])];
  const mine = byCtor.get(ctor);
  if (mine && mine.sparkClass !== sparkClass) {
    throw Errors.invalidArg('register', 'ctor', `a class not registered yet (${ctor.name} is registered as ${mine.sparkClass})`, ctor);
  }
  for (const name of names) {
    const other = byClass.get(name);
    if (other && other.ctor !== ctor) throw Errors.invalidArg('register', 'sparkClass', `a class name not registered yet (${name} is registered to ${other.ctor.name})`, name);
  }
  const reg: Registration = { sparkClass, ctor, io: io as StageIO<Params> };
  for (const name of names) byClass.set(name, reg);
  byCtor.set(ctor, reg);
}

/** The Spark class name a stage saves under, or undefined when its class is not registered. */
export function sparkClassOf(stage: Params): string | undefined {
  return byCtor.get(stage.constructor)?.sparkClass;
}

/** The kindling class registered for a Spark class name (or alias). */
export function registeredClass(sparkClass: string): ParamsCtor | undefined {
  return byClass.get(sparkClass)?.ctor;
}

export function isPersistable(stage: unknown): boolean {
  return stage instanceof Params && byCtor.has(stage.constructor);
}

function registrationOf(api: string, stage: Params, where: string): Registration {
  const reg = stage instanceof Params ? byCtor.get(stage.constructor) : undefined;
  if (!reg) {
    const cls = stage instanceof Params ? stage.constructor.name : describeValue(stage);
    const who = stage instanceof Params ? `${stage.uid}, class ${cls}` : cls;
    throw new KindlingError(
      'ERR_KINDLING_INVALID_ARG',
      `${api}: ${where} (${who}) is not persistable: register its class with register(sparkClassName, ${stage instanceof Params ? cls : 'ctor'}) from kindling/ml`,
    );
  }
  return reg;
}

/** Nested stages as the registry knows them. */
export function childStages(stage: Params): Params[] {
  const reg = byCtor.get(stage.constructor);
  return reg?.io.children ? reg.io.children(stage) : [];
}

/** Throws naming the first stage in the tree (the stage and its children) whose class is not registered. */
export function assertPersistable(api: string, stage: Params, where = 'stage'): void {
  registrationOf(api, stage, where);
  childStages(stage).forEach((k, i) => assertPersistable(api, k, `stage ${i} of ${stage.uid}`));
}

/**
 * uid → instance over a stage and its nested stages (Spark's MetaAlgorithmReadWrite.getUidMap);
 * duplicate uids throw, since a param map could not tell them apart.
 */
export function getUidMap(instance: Params, api = 'getUidMap'): Map<string, Params> {
  const list: Params[] = [];
  const walk = (p: Params) => {
    list.push(p);
    for (const c of childStages(p)) walk(c);
  };
  walk(instance);
  const map = new Map<string, Params>();
  for (const p of list) {
    if (map.has(p.uid) && map.get(p.uid) !== p) {
      throw new KindlingError('ERR_KINDLING_INVALID_ARG', `${api}: ${instance.uid} nests stages with duplicate uids: ${list.map((q) => q.uid).join(', ')}`);
    }
    map.set(p.uid, p);
  }
  return map;
}

// ----- metadata -------------------------------------------------------------------------------

export interface Metadata {
  /** `class`: Spark's class name. */
  className: string;
  uid: string;
  timestamp: number;
  sparkVersion: string;
  /** [major, minor] of sparkVersion. */
  version: [number, number];
  /** Explicitly set params (name → decoded JSON value; long integers as bigint). */
  paramMap: Record<string, unknown>;
  /** Default params; undefined for files written by Spark < 2.4. */
  defaultParamMap: Record<string, unknown> | undefined;
  /** The whole JSON object (model fields such as numFeatures, avgMetrics). */
  metadata: Record<string, unknown>;
  /** The metadata line as read. */
  json: string;
  /** The stage directory. */
  path: string;
}

/** [major, minor] of a Spark version string ('3.5.0-amzn-0' → [3, 5]). */
export function sparkMajorMinor(version: string): [number, number] {
  const m = /^(\d+)\.(\d+)/.exec(String(version));
  if (!m) throw Errors.load(`sparkMajorMinor: expected a Spark version such as 3.5.1, got ${describeValue(version)}`);
  return [Number(m[1]), Number(m[2])];
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/**
 * Reads `<path>/metadata` (the first line of its first part file, as Spark's
 * `sc.textFile(…).first()`). With `expected`, the class must be one of those names.
 */
export async function readMetadata(path: string, api = 'loadMetadata', expected?: string | readonly string[]): Promise<Metadata> {
  if (typeof path !== 'string' || path === '') throw Errors.invalidArg(api, 'path', 'a directory path', path);
  const dir = join(path, 'metadata');
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => !isHidden(n)).sort();
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw Errors.load(`${api}: no saved stage at ${path} (${dir} does not exist)`, e);
    throw Errors.load(`${api}: cannot read ${dir}: ${(e as Error).message}`, e);
  }
  if (names.length === 0) throw Errors.load(`${api}: no metadata file in ${dir}`);
  const file = join(dir, names[0]!);
  const text = await readFile(file, 'utf8');
  const line = text.split(/\r?\n/).find((l) => l.trim() !== '');
  if (line === undefined) throw Errors.load(`${api}: ${file} is empty`);
  let obj: unknown;
  try {
    obj = parseSparkJson(line);
  } catch (e) {
    throw Errors.load(`${api}: ${file} is not valid JSON: ${(e as Error).message}`, e);
  }
  if (!isPlainObject(obj)) throw Errors.load(`${api}: ${file} does not hold a JSON object`);
  const bad = (key: string, what: string): never => {
    throw Errors.load(`${api}: expected ${what} for "${key}" in ${file}, got ${describeValue(obj[key])}`);
  };
  const className = typeof obj.class === 'string' && obj.class !== '' ? obj.class : bad('class', 'a class name');
  const uid = typeof obj.uid === 'string' && obj.uid !== '' ? obj.uid : bad('uid', 'a uid string');
  const sparkVersion = typeof obj.sparkVersion === 'string' ? obj.sparkVersion : bad('sparkVersion', 'a version string');
  const ts = obj.timestamp;
  const timestamp = typeof ts === 'number' ? ts : typeof ts === 'bigint' ? Number(ts) : ts === undefined ? 0 : bad('timestamp', 'milliseconds since the epoch');
  const paramMap = obj.paramMap === undefined ? {} : isPlainObject(obj.paramMap) ? obj.paramMap : bad('paramMap', 'an object');
  const defaultParamMap = obj.defaultParamMap === undefined ? undefined : isPlainObject(obj.defaultParamMap) ? obj.defaultParamMap : bad('defaultParamMap', 'an object');
  let version: [number, number];
  try {
    version = sparkMajorMinor(sparkVersion);
  } catch {
    return bad('sparkVersion', 'a version such as 3.5.1');
  }
  if (expected !== undefined) {
    const list = typeof expected === 'string' ? [expected] : expected;
    if (!list.includes(className)) {
      throw Errors.load(`${api}: expected a saved ${list[0]} at ${path}, found class ${className} (in ${file})`);
    }
  }
  return { className, uid, timestamp, sparkVersion, version, paramMap, defaultParamMap, metadata: obj, json: line, path };
}

/**
 * Sets params of `instance` from metadata (Spark's Metadata.getAndSetParams): `paramMap` values
 * as set values (a value the param rejects throws naming it), then — for files of Spark >= 2.4 —
 * `defaultParamMap` values as defaults (a default kindling cannot represent, such as a 64-bit
 * PySpark seed, keeps kindling's own default). Params the class does not declare are skipped
 * and returned.
 */
export function getAndSetParams(instance: Params, metadata: Metadata, options: { skipParams?: readonly string[]; api?: string } = {}): { skipped: string[] } {
  const api = options.api ?? `${instance.constructor.name}.load`;
  const skip = new Set(options.skipParams ?? []);
  const skipped: string[] = [];
  for (const [name, raw] of Object.entries(metadata.paramMap)) {
    if (skip.has(name)) continue;
    if (!instance.hasParam(name)) {
      skipped.push(name);
      continue;
    }
    const param = instance.getParam(name);
    const r = decodeParamValue(param, raw);
    if (!r.ok) throw Errors.load(`${api}: cannot set param ${name} of ${instance.uid} from ${metadata.path}: expected ${r.expected}, got ${describeValue(raw)}`);
    instance.set(param, r.value);
  }
  const [major, minor] = metadata.version;
  if (metadata.defaultParamMap && (major > 2 || (major === 2 && minor >= 4))) {
    const setDefault = (instance as unknown as { setDefault(p: Param<unknown>, v: unknown): void }).setDefault.bind(instance);
    for (const [name, raw] of Object.entries(metadata.defaultParamMap)) {
      if (skip.has(name)) continue;
      if (!instance.hasParam(name)) {
        skipped.push(name);
        continue;
      }
      const param = instance.getParam(name);
      const r = decodeParamValue(param, raw);
      if (r.ok) setDefault(param, r.value);
    }
  }
  return { skipped };
}

/** One param value as JSON tree, with the owner class's registered `jsonKinds`. */
export function encodeParamFor(api: string, owner: Params, param: Param<unknown>, value: unknown): unknown {
  return encodeParamValue(api, owner, param, value, byCtor.get(owner.constructor)?.io.jsonKinds?.[param.name]);
}

/** JSON trees of the set and default params of a stage, as Spark's DefaultParamsWriter writes them. */
export function encodeParams(instance: Params, api = 'save'): { paramMap: Record<string, unknown>; defaultParamMap: Record<string, unknown> } {
  const kinds = byCtor.get(instance.constructor)?.io.jsonKinds ?? {};
  const { paramMap, defaultParamMap } = instance.paramValues();
  const enc = (m: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(m).map(([name, v]) => [name, encodeParamValue(api, instance, instance.getParam(name), v, kinds[name])]));
  return { paramMap: enc(paramMap), defaultParamMap: enc(defaultParamMap) };
}

export interface MetadataOptions {
  /** Replaces the encoded user params (Pipeline writes {stageUids}; validators their own map). */
  paramMap?: Record<string, unknown>;
  /** Replaces the encoded default params. */
  defaultParamMap?: Record<string, unknown>;
  /** Model fields written after defaultParamMap (numFeatures, avgMetrics, …). */
  extraMetadata?: Record<string, unknown>;
}

const BASE_KEYS = ['class', 'timestamp', 'sparkVersion', 'uid', 'paramMap', 'defaultParamMap', KINDLING_VERSION_KEY];

/** The metadata JSON line of a stage (Spark's DefaultParamsWriter.getMetadataToSave), without the newline. */
export function metadataJson(instance: Params, options: MetadataOptions = {}, api = 'save'): string {
  const sparkClass = registrationOf(api, instance, 'stage').sparkClass;
  const enc = options.paramMap === undefined || options.defaultParamMap === undefined ? encodeParams(instance, api) : undefined;
  const extra = options.extraMetadata ?? {};
  for (const k of Object.keys(extra)) if (BASE_KEYS.includes(k)) throw Errors.invalidArg(api, 'extraMetadata', `keys other than ${BASE_KEYS.join(', ')}`, k);
  return toSparkJson({
    class: sparkClass,
    timestamp: Date.now(),
    sparkVersion: SPARK_VERSION,
    uid: instance.uid,
    paramMap: options.paramMap ?? enc!.paramMap,
    defaultParamMap: options.defaultParamMap ?? enc!.defaultParamMap,
    ...extra,
    [KINDLING_VERSION_KEY]: kindlingVersion(),
  });
}

/** Writes `<path>/metadata/part-00000` (one JSON line) and an empty `<path>/metadata/_SUCCESS`. */
export async function writeMetadata(instance: Params, path: string, ctx: Pick<WriteContext, 'api'>, options: MetadataOptions = {}): Promise<void> {
  const line = metadataJson(instance, options, ctx.api);
  const dir = join(path, 'metadata');
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'part-00000'), `${line}\n`);
  await writeFile(join(dir, '_SUCCESS'), '');
}

/** Spark's DefaultParamsWriter, as functions. */
export const DefaultParamsWriter = {
  saveMetadata: writeMetadata,
  getMetadataToSave: metadataJson,
};

/** A registered params-only class rebuilt from its metadata (uid kept, params set). */
export function loadDefault<T extends Params>(ctor: ParamsCtor<T>, metadata: Metadata, ctx: Pick<ReadContext, 'api'>): T {
  const instance = new ctor(undefined, metadata.uid);
  getAndSetParams(instance, metadata, { api: ctx.api });
  return instance;
}

/**
 * Loads whatever stage is saved at `path`, by the class its metadata names (Spark's
 * DefaultParamsReader.loadParamsInstance). A class no kindling class is registered for throws
 * naming it.
 */
export async function loadStage(path: string, ctx: ReadContext): Promise<Params> {
  const md = await readMetadata(path, ctx.api);
  const reg = byClass.get(md.className);
  if (!reg) {
    throw Errors.load(`${ctx.api}: ${md.className} (uid ${md.uid}, saved at ${path}) is not implemented yet in kindling: no class is registered for it`);
  }
  return reg.io.load ? reg.io.load(path, md, ctx) : loadDefault(reg.ctor, md, ctx);
}

/** Spark's DefaultParamsReader, as functions. */
export const DefaultParamsReader = {
  loadMetadata: readMetadata,
  getAndSetParams,
  loadParamsInstance: loadStage,
  load: loadDefault,
};

/** Writes a stage (and its subtree) into the directory `path`, which must not hold another stage; not atomic on its own (MLWriter.save is). */
export async function saveStage(stage: Params, path: string, ctx: WriteContext): Promise<void> {
  const reg = registrationOf(ctx.api, stage, 'stage');
  await mkdir(path, { recursive: true });
  if (reg.io.save) await reg.io.save(stage, path, ctx);
  else await writeMetadata(stage, path, ctx);
}

// ----- data/ as Parquet -----------------------------------------------------------------------

/**
 * Writes a model's learned state as `<path>/<name>/part-00000-<uuid>-c000.snappy.parquet` plus
 * `_SUCCESS`, with Spark's physical schema and row metadata (org.apache.spark.sql.parquet.row.metadata,
 * VectorUDT / MatrixUDT for vector columns) and `org.apache.spark.version`.
 */
export async function writeData(path: string, data: arrow.Table | { schema: arrow.Schema; batches: readonly arrow.RecordBatch[] }, name = 'data'): Promise<void> {
  const schema = data instanceof arrow.Table ? data.schema : data?.schema;
  const batches = data instanceof arrow.Table ? data.batches : data?.batches;
  if (!(schema instanceof arrow.Schema) || !Array.isArray(batches)) throw Errors.invalidArg('writeData', 'data', 'an Arrow Table or { schema, batches }', data);
  const dir = join(path, name);
  await mkdir(dir, { recursive: true });
  await writeParquetPart(join(dir, partFileName(0, randomUUID(), '.snappy.parquet')), schema, batches.filter((b) => b.numRows > 0), {
    kvMetadata: { 'org.apache.spark.version': SPARK_VERSION },
  });
  await writeFile(join(dir, '_SUCCESS'), '');
}

/** The first row of a saved model's data table, or an error naming the model ('the NaiveBayesModel at … has no data row'). */
export function firstRow(table: arrow.Table, api: string, path: string, what: string): arrow.RecordBatch {
  const row = table.batches.find((b) => b.numRows > 0);
  if (!row) throw Errors.load(`${api}: the ${what} at ${path} has no data row`);
  return row;
}

/** Reads every Parquet part file of `<path>/<name>` (Spark may write several) into one Arrow Table. */
export async function readData(path: string, name = 'data', api = 'readData'): Promise<arrow.Table> {
  const dir = join(path, name);
  if (!(await statOrNull(dir))?.isDirectory()) throw Errors.load(`${api}: the saved model at ${path} has no ${name}/ directory`);
  const files = await expandPaths(api, dir, '.parquet');
  const source = await parquetSource(files);
  const batches: arrow.RecordBatch[] = [];
  for await (const b of source.scan()) batches.push(b);
  return new arrow.Table(source.schema, batches);
}

// ----- MLWriter / MLReader ----------------------------------------------------------------------

/** `stage.write()`: `.overwrite()`, `.session(spark)`, `.option(k, v)`, then `.save(path)`. */
export class MLWriter {
  private shouldOverwrite = false;
  private spark: Session | null = null;
  private readonly optionMap = new Map<string, string>();

  constructor(readonly instance: Params) {
    if (!(instance instanceof Params)) throw Errors.invalidArg('MLWriter', 'instance', 'a stage (Params)', instance);
  }

  /** Replaces an existing directory (Spark deletes it first; kindling swaps it only after the new one is complete). */
  overwrite(): this {
    this.shouldOverwrite = true;
    return this;
  }

  session(spark: Session): this {
    if (spark === null || typeof spark !== 'object') throw Errors.invalidArg(`${this.instance.constructor.name}.write`, 'session', 'a Session', spark);
    this.spark = spark;
    return this;
  }

  /** A writer option (keys are case-insensitive), e.g. option('persistSubModels', 'true'). */
  option(key: string, value: string | number | boolean): this {
    if (typeof key !== 'string' || key === '') throw Errors.invalidArg(`${this.instance.constructor.name}.write`, 'option key', 'a non-empty string', key);
    this.optionMap.set(key.toLowerCase(), String(value));
    return this;
  }

  async save(path: string): Promise<void> {
    const api = `${this.instance.constructor.name}.save`;
    if (typeof path !== 'string' || path === '') throw Errors.invalidArg(api, 'path', 'a directory path', path);
    assertPersistable(api, this.instance);
    const ctx: WriteContext = { api, session: this.spark, options: new Map(this.optionMap) };
    await commitDirectory(api, path, this.shouldOverwrite ? 'replace' : 'create', (dir) => saveStage(this.instance, dir, ctx), {
      refuse: (existing) => (existing && !this.shouldOverwrite
        ? new KindlingError('ERR_KINDLING_INVALID_ARG', `${api}: path ${path} already exists. To overwrite it, use write().overwrite().save(path)`)
        : null),
      wrap: (e) => Errors.load(`${api}: cannot move the saved stage into ${path}: ${e.message}`, e),
    });
  }
}

/** `Class.read()`: `.session(spark)`, then `.load(path)`; the saved class must be the reader's (or an alias). */
export class MLReader<T extends Params> {
  private spark: Session | null = null;

  constructor(readonly ctor: ParamsCtor<T>) {
    if (!byCtor.has(ctor)) throw Errors.invalidArg('MLReader', 'ctor', 'a class registered with register()', ctor);
  }

  session(spark: Session): this {
    this.spark = spark;
    return this;
  }

  async load(path: string): Promise<T> {
    const reg = byCtor.get(this.ctor)!;
    const api = `${this.ctor.name}.load`;
    const names = [...byClass.entries()].filter(([, r]) => r === reg).map(([n]) => n);
    names.sort((a, b) => (a === reg.sparkClass ? -1 : b === reg.sparkClass ? 1 : 0));
    const ctx: ReadContext = { api, session: this.spark };
    const out = await readStable(api, path, async () => {
      const md = await readMetadata(path, api, names);
      return reg.io.load ? reg.io.load(path, md, ctx) : loadDefault(reg.ctor, md, ctx);
    });
    return out as T;
  }
}

/** `Class.load(path)` for a registered class. */
export function loadAs<T extends Params>(ctor: ParamsCtor<T>, path: string, session?: Session): Promise<T> {
  const r = new MLReader(ctor);
  if (session) r.session(session);
  return r.load(path);
}

// ----- stage directories ----------------------------------------------------------------------

/** `<stagesDir>/<idx zero-padded to the digits of numStages>_<uid>` (Spark's getStagePath). */
export function stagePath(stagesDir: string, uid: string, index: number, numStages: number): string {
  const width = String(numStages).length;
  return join(stagesDir, `${String(index).padStart(width, '0')}_${uid}`);
}

/** Finds a stage directory written with any zero-padding (`7_uid`, `07_uid`), Spark's first. */
export async function findStagePath(stagesDir: string, uid: string, index: number, numStages: number): Promise<string> {
  const p = stagePath(stagesDir, uid, index, numStages);
  if (await statOrNull(p)) return p;
  let names: string[] = [];
  try {
    names = await readdir(stagesDir);
  } catch {
    /* reported below */
  }
  const hit = names.find((n) => {
    const m = /^(\d+)_(.*)$/.exec(n);
    return m !== null && Number(m[1]) === index && m[2] === uid;
  });
  return hit ? join(stagesDir, hit) : p;
}
