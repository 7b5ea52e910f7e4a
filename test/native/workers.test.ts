// The addon is context-aware: it loads in several worker threads at once (Piscina, 4 threads)
// and every thread computes what the main thread computes.
import t from 'tap';
import { Piscina } from 'piscina';
import { moments } from '../../ts/src/kernels/moments.js';
import { groupAggAdd, groupAggZero } from '../../ts/src/kernels/group-agg.js';
import { murmur3Batch } from '../../ts/src/kernels/hash.js';
import { kmeansStepAdd, kmeansStepZero } from '../../ts/src/kernels/distance.js';
import { simdLevel } from '../../ts/src/native.js';
import { mulberry32 } from '../reference/rng.js';

t.test('kernels run in 4 concurrent Piscina workers', async (t) => {
  const pool = new Piscina({ filename: new URL('../fixtures/kernel-worker.ts', import.meta.url).href, minThreads: 4, maxThreads: 4 });
  const rand = mulberry32(3);
  const tasks = Array.from({ length: 8 }, (_, i) => ({
    x: new Float64Array(4000 + i * 4).map(() => rand() * 10),
    keys: new Int32Array(4000 + i * 4).map(() => Math.floor(rand() * 17)),
    words: Array.from({ length: 50 }, (_, j) => `w${i}-${j}`),
    groups: 17,
  }));
  const results = await Promise.all(tasks.map((task) => pool.run(task)));
  await pool.destroy();
  const threads = new Set(results.map((r) => r.threadId));
  t.ok(threads.size >= 2, `tasks ran on ${threads.size} worker threads`);
  results.forEach((r, i) => {
    const task = tasks[i]!;
    const m = moments(task.x);
    t.equal(r.level, simdLevel(), 'workers use the same SIMD tier');
    t.equal(r.mean, m.mean);
    t.equal(r.m2, m.m2);
    t.same(Array.from(r.acc), Array.from(groupAggAdd(groupAggZero(17), task.keys, task.x).acc));
    t.same(Array.from(r.hashes), Array.from(murmur3Batch(task.words)));
    const d = 4;
    const s = kmeansStepAdd(kmeansStepZero(3, d), task.x, d, task.x.slice(0, 3 * d));
    t.equal(r.cost, s.cost);
    t.same(Array.from(r.sums), Array.from(s.sums));
  });
});
