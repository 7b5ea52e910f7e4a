// Test helpers of the scaling stages (not a test file): one session per master, in turn.
import { Session } from '../../../ts/src/index.js';

/** Runs `run` on a fresh `local` and then a fresh `local[2]` session (after stopping any open one) and returns both results. */
export async function onBothMasters<T>(open: Session | null, run: (spark: Session) => Promise<T>): Promise<[T, T]> {
  if (open) await open.stop();
  const out: T[] = [];
  for (const master of ['local', 'local[2]']) {
    const spark = await Session.builder().appName(`scaling-${master}`).master(master).getOrCreate();
    try {
      out.push(await run(spark));
    } finally {
      await spark.stop();
    }
  }
  return out as [T, T];
}
