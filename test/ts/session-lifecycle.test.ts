/**
 * Issue 10, "Pool lifecycle": a `local[2]` session stopped while its jobs run (stage tasks on
 * the threads, a user task whose module the threads are still importing) stops cleanly, cycle
 * after cycle. In a child process, so an abort (SIGABRT) fails the test instead of ending tap.
 * The 100-cycle run is bench/session-cycles.ts.
 */
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const script = fileURLToPath(new URL('../fixtures/session-cycles.mts', import.meta.url));

t.test('create and stop local[2] sessions with jobs in flight: no abort, every job finished or refused', (t) => {
  const r = spawnSync(process.execPath, ['--import=tsx', script, '4'], { encoding: 'utf8', timeout: 120_000 });
  t.equal(r.signal, null, `no signal (stderr: ${r.stderr.slice(-2000)})`);
  t.equal(r.status, 0, r.stderr.slice(-2000));
  t.match(r.stdout, /cycles 4 ok/);
  t.end();
});
