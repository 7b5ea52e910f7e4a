// The sweep over test/native/hostile-cases.ts: each entry's baseline, one argument at a time
// replaced by hostile values (wrong types, negative / non-integer / 2^53 / 2^64 sizes, a view of a
// detached ArrayBuffer, the wrong typed-array kind, an empty array, a SharedArrayBuffer view), and
// its extras. Run as a script (`node --import=tsx hostile-run.ts <target> <file>`) it makes every
// call of one target (the addon, or one `_variants()` tier) and appends one JSON line per case to
// the file, synchronously, so a call that aborts the process shows as the first case without a line.
import { closeSync, openSync, writeSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { native } from '../../ts/src/native.js';
import { argErr, ENTRIES, type Case, type Entry, type Expect, type Target } from './hostile-cases.js';

export { ENTRIES, type Case, type Target };

const call = (name: string) => (a: Target, args: unknown[]) => a[name]!(...args);

function detached<T extends ArrayBufferView>(v: T): T {
  const copy = new (v.constructor as new (n: number) => T)(1);
  structuredClone(copy.buffer, { transfer: [copy.buffer as ArrayBuffer] }); // a fresh view: never shared
  return copy;
}

function wrongKind(v: ArrayBufferView): ArrayBufferView {
  return v instanceof Float64Array ? new Float32Array(1) : new Float64Array(1);
}

const HOSTILE: Array<[string, () => unknown]> = [
  ['undefined', () => undefined], ['null', () => null], ['-1', () => -1], ['1.5', () => 1.5], ['NaN', () => NaN],
  ['Infinity', () => Infinity], ['2^53-1', () => 2 ** 53 - 1], ['2^53', () => 2 ** 53], ['2^64', () => 2 ** 64],
  ['string', () => '3'], ['bigint', () => 3n], ['object', () => ({ length: 3 })], ['array', () => [1, 2, 3]],
  ['function', () => () => 1], ['boolean', () => true], ['DataView', () => new DataView(new ArrayBuffer(8))],
];

/** Every case of one entry: the baseline, the sweep over its arguments, its extras. */
function entryCases(name: string, e: Entry, probe: Target): Case[] {
  const fn = e.fn ?? name;
  const invoke = e.call ?? call(name);
  const out: Case[] = [];
  const baseline = e.args(probe);
  if (e.result !== 'error') {
    const value = e.result === 'active' ? render(invoke(probe, baseline)) : e.result;
    out.push({ id: `${name}#baseline`, fn, run: (a) => invoke(a, e.args(a)), expect: { value } });
  }
  if (baseline.length > 0) out.push({ id: `${name}#no-args`, fn, run: (a) => invoke(a, []), expect: { argError: true } });
  baseline.forEach((base, i) => {
    const swap = (label: string, make: () => unknown, expect: Expect) => out.push({
      id: `${name}#arg${i}=${label}`, fn, expect,
      run: (a) => { const args = e.args(a); args[i] = make(); return invoke(a, args); },
    });
    for (const [label, make] of HOSTILE) {
      const v = make();
      if (typeof base === typeof v && (typeof v === 'boolean' || typeof v === 'string')) continue;
      const legal = (v === null || v === undefined) && e.optional?.includes(i) || e.legal?.[i]?.some((l) => Object.is(l, v));
      swap(label, make, legal ? { argError: true, orReturn: true } : { argError: true });
    }
    if (ArrayBuffer.isView(base)) {
      const kind = base.constructor.name;
      swap('detached', () => detached(base), argErr(fn, new RegExp(`expected ${kind} for \\w+, got a view of a detached ArrayBuffer`), 'TypeError'));
      if (name !== 'hashGroupRows') swap('wrong-kind', () => wrongKind(base), argErr(fn, new RegExp(`expected ${kind} for `), 'TypeError'));
      swap('empty', () => new (base.constructor as new (n: number) => unknown)(0), { argError: true, orReturn: true });
      swap('shared', () => {
        const C = base.constructor as new (b: SharedArrayBuffer) => ArrayBufferView & { set(a: ArrayLike<unknown>): void };
        const s = new C(new SharedArrayBuffer(base.byteLength));
        s.set(base as unknown as ArrayLike<unknown>);
        return s;
      }, { argError: true, orReturn: true });
    }
  });
  return [...out, ...(e.extra?.(probe) ?? [])];
}

export function allCases(probe: Target): Case[] {
  return Object.entries(ENTRIES).flatMap(([name, e]) => entryCases(name, e, probe));
}

/** The JSON form of a result: typed arrays as { Kind: values }, non-finite numbers and bigints as strings. */
export function render(v: unknown): unknown {
  if (typeof v === 'number') return Number.isFinite(v) ? v : String(v);
  if (typeof v === 'bigint') return `${v}n`;
  if (typeof v === 'function') return 'function';
  if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return { [v.constructor.name]: Array.from(v as unknown as ArrayLike<unknown>, render) };
  if (Array.isArray(v)) return v.map(render);
  if (v && typeof v === 'object') {
    if (Object.getPrototypeOf(v) !== Object.prototype) return { class: v.constructor.name };
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, render(x)]));
  }
  return v;
}

/** The cases a target has the export for (`_variants()` tiers have the kernels and the handles). */
export function applicable(cases: Case[], t: Target): Case[] {
  return cases.filter((c) => {
    const name = c.id.split('#')[0]!;
    return name.includes('.') || typeof t[name] === 'function';
  });
}

/** Runs every case against one target ('addon' or a tier of `_variants()`), one JSON line each to `file`. */
export function runTarget(target: string, file: string): void {
  const fd = openSync(file, 'w');
  const addon = native() as unknown as Target;
  const t = target === 'addon' ? addon : (native()._variants().find((v) => v.isa === target) as unknown as Target);
  for (const c of applicable(allCases(addon), t)) {
    let line: unknown;
    try {
      const value = render(c.run(t));
      line = { id: c.id, value };
    } catch (err) {
      const e = err as { name?: string; code?: unknown; message?: string; constructor?: { name: string } };
      line = { id: c.id, error: e?.constructor?.name, code: e?.code ?? null, message: e?.message ?? String(err) };
    }
    writeSync(fd, `${JSON.stringify(line)}\n`);
  }
  closeSync(fd);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) runTarget(process.argv[2]!, process.argv[3]!);
