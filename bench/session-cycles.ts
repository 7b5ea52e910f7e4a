/**
 * npm run bench:session-cycles — issue 10's bar for the pool lifecycle: 100 create/stop cycles
 * of a `local[2]` session with jobs in flight (test/fixtures/session-cycles.mts) never abort the
 * process. Runs the cycles in a child process (KINDLING_BENCH_CYCLES, default 100) and reports
 * whether it exited cleanly and the time per cycle.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { bar, saveResults } from './harness.js';

const cycles = Number(process.env.KINDLING_BENCH_CYCLES ?? 100);
const script = fileURLToPath(new URL('../test/fixtures/session-cycles.mts', import.meta.url));
const t0 = performance.now();
const r = spawnSync(process.execPath, ['--import=tsx', script, String(cycles)], { encoding: 'utf8' });
const ms = performance.now() - t0;
const clean = r.status === 0 && r.signal === null && r.stdout.includes(`cycles ${cycles} ok`);
if (!clean) console.log(r.stderr.slice(-4000));
console.log(`${cycles} cycles in ${(ms / 1000).toFixed(1)} s (${(ms / cycles).toFixed(0)} ms a cycle), exit ${r.status ?? r.signal}`);
const bars = [bar(`${cycles} create/stop cycles of local[2] with jobs in flight never abort`, clean, `exit ${r.status ?? r.signal}`)];
console.log(`saved ${saveResults('session-cycles', { cycles, ms, status: r.status, signal: r.signal, bars })}`);
