/**
 * Generator functions of the function table: rand(seed) (deterministic per seed, partition and
 * row; Spark's XORShiftRandom sequence is not reproduced) and monotonically_increasing_id
 * (partition index in the upper 31 bits, row in the lower 33, as Spark).
 * Follows shared/ARCHITECTURE.md (Execution: per-partition evaluation); function-def.ts describes an entry.
 */
import { makePrimitive } from '../batch.js';
import { Types } from '../types.js';
import { litArg, type FunctionDef } from './function-def.js';

/** splitmix-style per-row uniform doubles in [0, 1) for rand(seed): deterministic per (seed, partition, row). */
export function rowRandom(seed: number, partition: number, n: number): Float64Array {
  const out = new Float64Array(n);
  let s = BigInt.asUintN(64, BigInt(Math.trunc(seed)) * 0x9e3779b97f4a7c15n + BigInt(partition) * 0xbf58476d1ce4e5b9n);
  for (let i = 0; i < n; i++) {
    s = BigInt.asUintN(64, s + 0x9e3779b97f4a7c15n);
    let z = s;
    z = BigInt.asUintN(64, (z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n);
    z = BigInt.asUintN(64, (z ^ (z >> 27n)) * 0x94d049bb133111ebn);
    z ^= z >> 31n;
    out[i] = Number(z >> 11n) / 2 ** 53;
  }
  return out;
}

export const GENERATOR_FUNCTIONS: readonly FunctionDef[] = [
  { name: 'rand', type: () => Types.double(), evaluate: ({ e, n, out, ctx }) => {
      const res = rowRandom(Number(litArg(e, 0)), ctx.partition, n);
      return makePrimitive(out, res, null);
    } },
  { name: 'monotonically_increasing_id', type: () => Types.bigint(), evaluate: ({ n, out, ctx }) => {
      const res = new BigInt64Array(n);
      const base = BigInt(ctx.partition) << 33n;
      for (let i = 0; i < n; i++) res[i] = base + BigInt(i);
      return makePrimitive(out, res, null);
    } },
];
