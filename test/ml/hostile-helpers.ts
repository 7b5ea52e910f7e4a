/**
 * The garbage-argument sweep shared by test/ml/hostile-args.test.ts and
 * test/ml/feature/feature-hostile.test.ts (issue 10: any argument works or throws a coded
 * kindling error, never a TypeError from inside).
 */

export const GARBAGE: unknown[] = [undefined, null, 42, NaN, -1, 1.5, '', 'nope', {}, [], [null], [[1]], () => 1, Symbol('s'), 10n, Infinity];
export const TRUTHY = GARBAGE.filter((g) => Boolean(g) && !(g instanceof Array && g.length === 0));

export const show = (g: unknown): string => (typeof g === 'symbol' ? 'Symbol' : typeof g === 'bigint' ? `${g}n` : typeof g === 'function' ? 'fn' : JSON.stringify(g) ?? String(g));

/** A call's error (null when it worked), awaiting promises and collecting returned DataFrames. */
export async function outcome(f: () => unknown): Promise<unknown> {
  try {
    const r = f();
    if (r instanceof Promise) await r;
    else if (r && typeof (r as { collect?: unknown }).collect === 'function') await (r as { collect: () => Promise<unknown> }).collect();
    return null;
  } catch (e) {
    return e;
  }
}

export type HostileCall = [name: string, values: unknown[], call: (g: unknown) => unknown];

/** Each call and value whose outcome is an error without an ERR_KINDLING_ code, as "name(value): error". */
export async function uncodedOutcomes(calls: readonly HostileCall[]): Promise<string[]> {
  const uncoded: string[] = [];
  for (const [name, values, call] of calls) {
    for (const g of values) {
      const e = await outcome(() => call(g));
      const code = (e as { code?: unknown } | null)?.code;
      if (e !== null && !(typeof code === 'string' && code.startsWith('ERR_KINDLING_'))) uncoded.push(`${name}(${show(g)}): ${String(e)}`);
    }
  }
  return uncoded;
}
