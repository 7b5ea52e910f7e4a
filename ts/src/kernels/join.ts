/**
 * Hash joins on equal keys (Spark's `=`: a null key never matches). One side is built into a
 * hash table, the other probes it. Outputs are row indices: `left` holds probe rows and `right`
 * build rows, in probe order and, within one probe row, in build order (deterministic), so a
 * many-to-many key yields every pair. Key kinds are those of group ids (int32, int64, float64
 * normalised as Spark does, UTF-8 strings, packed composite rows); both sides must have the same
 * kind (cast first).
 *
 * Modes (of the probe side): 'inner' pairs only; 'probeOuter' also emits (row, -1) in place for
 * every probe row without a match (a left outer join when the probe side is the left one);
 * 'semi' emits each matching probe row once in `left` (`right` is empty). Every mode also gives
 * `unmatchedProbe` (the anti join) and marks the build rows that matched (`matchedBuild`: a
 * right/full outer join adds the build rows still 0, a semi join on the build side keeps the 1s).
 *
 * `JoinTable` builds once and probes many batches (a broadcast join); `matchedBuild()` then
 * covers every probe so far. It holds native memory: `dispose()` frees it early.
 */
import { Errors } from '../errors.js';
import { native, type NativeJoinTable, type NativeKernels } from '../native.js';
import { checkOffsets, jsKeyAt, jsKeyIsNull, keyArgs, type KeyArgs, type KeyColumn, type KeyKind } from './hash-group.js';

export type JoinMode = 'inner' | 'probeOuter' | 'semi';

export interface JoinProbe {
  /** Probe-side rows of the pairs (for 'semi': the matching probe rows, each once). */
  left: Int32Array;
  /** Build-side rows of the pairs; -1 for an unmatched probe row ('probeOuter'); empty for 'semi'. */
  right: Int32Array;
  /** Probe rows without a match (null keys included), ascending. */
  unmatchedProbe: Int32Array;
}

export interface JoinResult extends JoinProbe {
  /** 1 for each build row whose key matched at least one probe row. */
  matchedBuild: Uint8Array;
}

export interface JoinOptions {
  mode?: JoinMode;
}

const MODES: readonly JoinMode[] = ['inner', 'probeOuter', 'semi'];

function modeArg(api: string, options: JoinOptions | undefined): JoinMode {
  if (options !== undefined && (options === null || typeof options !== 'object')) throw Errors.invalidArg(api, 'options', 'an options object', options);
  const mode = options?.mode ?? 'inner';
  if (!MODES.includes(mode)) throw Errors.invalidArg(api, 'options.mode', `one of ${MODES.join(', ')}`, mode);
  return mode;
}

function sameKind(api: string, build: { kind: KeyKind; width: number }, a: KeyArgs): void {
  if (a.kind !== build.kind) throw Errors.invalidArg(api, 'probe.kind', `the build side's kind ${build.kind}`, a.kind);
  if (a.width !== build.width) throw Errors.outOfRange(api, 'probe.width', `the build side's width ${build.width}`, a.width);
}

/** What JoinTable and its JS reference share. */
export interface JoinTableLike {
  readonly kind: KeyKind;
  readonly width: number;
  readonly buildRows: number;
  probe(keys: KeyColumn, options?: JoinOptions): JoinProbe;
  /** 1 for each build row matched by any probe so far. */
  matchedBuild(): Uint8Array;
  dispose(): void;
}

/** The build side of a hash join (native JoinTable). */
export class JoinTable implements JoinTableLike {
  readonly kind: KeyKind;
  readonly width: number;
  readonly buildRows: number;
  #t: NativeJoinTable | null;

  constructor(build: KeyColumn, impl: NativeKernels = native()) {
    const api = 'JoinTable';
    const a = keyArgs(api, 'build', build);
    this.kind = a.kind;
    this.width = a.width;
    this.buildRows = a.rows;
    let t: NativeJoinTable | null = null;
    try {
      t = impl.joinTableNew(a.kind, a.width);
      t.build(a.values, a.offsets, a.bitmap, a.bitOffset);
    } catch (err) {
      t?.dispose();
      throw Errors.fromNative(api, err);
    }
    this.#t = t;
  }

  #live(api: string): NativeJoinTable {
    if (this.#t === null) throw Errors.invalidArg(api, 'this', 'a JoinTable that is not disposed', 'disposed');
    return this.#t;
  }

  probe(keys: KeyColumn, options?: JoinOptions): JoinProbe {
    const api = 'JoinTable.probe';
    const t = this.#live(api);
    const mode = modeArg(api, options);
    const a = keyArgs(api, 'probe', keys);
    sameKind(api, this, a);
    try {
      return t.probe(a.values, a.offsets, a.bitmap, a.bitOffset, MODES.indexOf(mode));
    } catch (err) {
      throw Errors.fromNative(api, err);
    }
  }

  matchedBuild(): Uint8Array {
    return this.#live('JoinTable.matchedBuild').matchedBuild();
  }

  /** Frees the native table now (idempotent); later calls throw. */
  dispose(): void {
    this.#t?.dispose();
    this.#t = null;
  }
}

/** JS reference of JoinTable: a Map from key to its build rows. */
export class JoinTableJs implements JoinTableLike {
  readonly kind: KeyKind;
  readonly width: number;
  readonly buildRows: number;
  #rows = new Map<number | bigint | string, number[]>();
  #matched: Uint8Array;

  constructor(build: KeyColumn) {
    const api = 'JoinTableJs';
    const a = keyArgs(api, 'build', build);
    if (build.kind === 'string') checkOffsets(api, 'build.strings', build.strings);
    this.kind = a.kind;
    this.width = a.width;
    this.buildRows = a.rows;
    this.#matched = new Uint8Array(a.rows);
    for (let r = 0; r < a.rows; r++) {
      if (jsKeyIsNull(build, r)) continue;
      const k = jsKeyAt(build, r);
      const list = this.#rows.get(k);
      if (list) list.push(r);
      else this.#rows.set(k, [r]);
    }
  }

  probe(keys: KeyColumn, options?: JoinOptions): JoinProbe {
    const api = 'JoinTableJs.probe';
    const mode = modeArg(api, options);
    const a = keyArgs(api, 'probe', keys);
    sameKind(api, this, a);
    if (keys.kind === 'string') checkOffsets(api, 'probe.strings', keys.strings);
    const left: number[] = [];
    const right: number[] = [];
    const unmatched: number[] = [];
    for (let i = 0; i < a.rows; i++) {
      const list = jsKeyIsNull(keys, i) ? undefined : this.#rows.get(jsKeyAt(keys, i));
      if (list === undefined) {
        unmatched.push(i);
        if (mode === 'probeOuter') {
          left.push(i);
          right.push(-1);
        }
        continue;
      }
      for (const r of list) this.#matched[r] = 1;
      if (mode === 'semi') {
        left.push(i);
        continue;
      }
      for (const r of list) {
        left.push(i);
        right.push(r);
      }
    }
    return { left: Int32Array.from(left), right: Int32Array.from(right), unmatchedProbe: Int32Array.from(unmatched) };
  }

  matchedBuild(): Uint8Array {
    return this.#matched.slice();
  }

  dispose(): void {
    this.#rows.clear();
  }
}

/** Joins one probe batch against one build batch (build, probe, free). */
export function hashJoin(probe: KeyColumn, build: KeyColumn, options?: JoinOptions, impl: NativeKernels = native()): JoinResult {
  const api = 'hashJoin';
  modeArg(api, options);
  const b = keyArgs(api, 'build', build);
  sameKind(api, b, keyArgs(api, 'probe', probe));
  const t = new JoinTable(build, impl);
  try {
    const r = t.probe(probe, options);
    return { ...r, matchedBuild: t.matchedBuild() };
  } finally {
    t.dispose();
  }
}

/** JS reference of `hashJoin` (identical results). */
export function hashJoinJs(probe: KeyColumn, build: KeyColumn, options?: JoinOptions): JoinResult {
  const api = 'hashJoinJs';
  modeArg(api, options);
  const b = keyArgs(api, 'build', build);
  sameKind(api, b, keyArgs(api, 'probe', probe));
  const t = new JoinTableJs(build);
  const r = t.probe(probe, options);
  return { ...r, matchedBuild: t.matchedBuild() };
}
