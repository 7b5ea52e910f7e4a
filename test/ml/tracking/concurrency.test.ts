// Two processes logging to the same run at once: every metric line of both lands, whole (one
// O_APPEND write per batch), params logged by both with the same value are accepted, and the
// run reads back with both processes' histories; two processes registering versions of one new
// model get distinct version numbers; a run left active ends FINISHED when its process runs out of work.
import t from 'tap';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { tracking } from '../../../ts/ml/index.js';

const run = promisify(execFile);
const N = 150;

t.test('two child processes log metrics to one run: nothing lost or interleaved', async (t) => {
  const root = join(t.testdir(), 'mlruns');
  tracking.setTrackingUri(root);
  const r = await tracking.getClient().createRun('0', { runName: 'shared' });
  const mod = new URL('../../../ts/ml/index.ts', import.meta.url).href;
  const child = (k: number) => run(process.execPath, [...process.execArgv, '--input-type=module', '-e', `
    const { tracking } = await import(${JSON.stringify(mod)});
    const c = new tracking.MlflowClient(${JSON.stringify(root)});
    await c.logParam(${JSON.stringify(r.info.runId)}, 'shared', 'same');
    for (let i = 0; i < ${N}; i++) {
      await c.logMetric(${JSON.stringify(r.info.runId)}, 'loss', ${k} + i / 1000, { step: i, timestamp: ${k} * 1e6 + i });
      if (i % 10 === 0) await c.logBatch(${JSON.stringify(r.info.runId)}, { metrics: [{ key: 'batch', value: ${k}, timestamp: i, step: i }, { key: 'batch', value: ${k}, timestamp: i, step: i + 1 }] });
    }`]);
  await Promise.all([child(1), child(2)]);
  const lines = readFileSync(join(root, '0', r.info.runId, 'metrics', 'loss'), 'utf8').split('\n');
  t.equal(lines.pop(), '', 'ends with a newline');
  t.equal(lines.length, 2 * N);
  t.ok(lines.every((l) => /^\d+ \d\.\d+ \d+$/.test(l) || /^\d+ \d\.0 0$/.test(l)), 'every line whole');
  const history = await tracking.getMetricHistory(r.info.runId, 'loss');
  for (const k of [1, 2]) {
    const mine = history.filter((m) => Math.floor(m.timestamp / 1e6) === k);
    t.same(mine.map((m) => m.step), Array.from({ length: N }, (_, i) => i), `process ${k}: every step, in order`);
    t.same(mine.map((m) => m.value), Array.from({ length: N }, (_, i) => k + i / 1000));
  }
  const batch = await tracking.getMetricHistory(r.info.runId, 'batch');
  t.equal(batch.length, 2 * 2 * (N / 10));
  t.same((await tracking.getRun(r.info.runId)).data.params, { shared: 'same' });
});

t.test('two child processes register versions of one new model: ten distinct versions', async (t) => {
  const root = join(t.testdir(), 'mlruns');
  tracking.setTrackingUri(root);
  const r = await tracking.getClient().createRun('0', { runName: 'src' });
  const mod = new URL('../../../ts/ml/index.ts', import.meta.url).href;
  const child = () => run(process.execPath, [...process.execArgv, '--input-type=module', '-e', `
    const { tracking } = await import(${JSON.stringify(mod)});
    const c = new tracking.MlflowClient(${JSON.stringify(root)});
    for (let i = 0; i < 5; i++) await c.registerModel('runs:/${r.info.runId}/model', 'shared-model');`]);
  await Promise.all([child(), child()]);
  const versions = await tracking.searchModelVersions({ filter: "name = 'shared-model'" });
  t.same(versions.map((v) => v.version), [10, 9, 8, 7, 6, 5, 4, 3, 2, 1]);
  t.ok(versions.every((v) => v.runId === r.info.runId));
});

t.test('a run left active ends FINISHED when the process runs out of work', async (t) => {
  const root = join(t.testdir(), 'mlruns');
  const mod = new URL('../../../ts/ml/index.ts', import.meta.url).href;
  const { stdout } = await run(process.execPath, [...process.execArgv, '--input-type=module', '-e', `
    const { tracking } = await import(${JSON.stringify(mod)});
    tracking.setTrackingUri(${JSON.stringify(root)});
    const r = await tracking.startRun();
    process.stdout.write(r.info.runId);`]);
  tracking.setTrackingUri(root);
  const info = (await tracking.getRun(stdout)).info;
  t.equal(info.status, 'FINISHED');
  t.type(info.endTime, 'number');
});
