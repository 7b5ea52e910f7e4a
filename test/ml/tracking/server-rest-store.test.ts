// The REST store (ts/ml/tracking/rest-store.ts): the fluent API and MlflowClient with
// setTrackingUri('http://127.0.0.1:<port>') against a kindling server give the same results as
// against the file store directly (runs, params, metrics and their history, search, registry),
// errors come back with the same codes and messages, and an unreachable server is a coded error.
import t from 'tap';
import { join } from 'node:path';
import { tracking } from '../../../ts/ml/index.js';
import { serve } from './server-helpers.js';

/** One session of the fluent API; returns what it read, with ids and clock times masked. */
async function scenario(): Promise<unknown[]> {
  const out: unknown[] = [];
  const exp = await tracking.setExperiment('parity');
  await tracking.withRun({ runName: 'a' }, async () => {
    await tracking.logParams({ k: 3, solver: 'lbfgs' });
    await tracking.logMetric('rmse', 0.5, { step: 0, timestamp: 1000 });
    await tracking.logMetric('rmse', 0.25, { step: 1, timestamp: 2000 });
    await tracking.logMetrics({ r2: 0.75, nan: NaN, inf: -Infinity }, { step: 1, timestamp: 2000 });
    await tracking.setTags({ team: 'ml' });
  });
  await tracking.withRun({ runName: 'b' }, async () => {
    await tracking.logParam('k', 5);
    await tracking.logMetric('rmse', 0.75, { timestamp: 3000 });
  });
  const runs = await tracking.searchRuns({ filter: "metrics.rmse < 1 and params.k = '3'", orderBy: ['metrics.rmse ASC'] });
  out.push(runs.map((r) => ({ name: r.info.runName, status: r.info.status, data: { ...r.data, tags: { team: r.data.tags.team } } })));
  const all = await tracking.searchRuns({ orderBy: ['params.k DESC'], maxResults: 1 });
  out.push(all.map((r) => r.info.runName));
  const a = runs[0]!;
  out.push(await tracking.getMetricHistory(a.info.runId, 'rmse'));
  out.push((await tracking.getRun(a.info.runId)).data.metrics);
  out.push((await tracking.getExperiment(exp.experimentId)).name);
  const client = tracking.getClient();
  await client.renameExperiment(exp.experimentId, 'parity renamed');
  out.push((await client.searchExperiments()).map((e) => e.name));
  await client.renameExperiment(exp.experimentId, 'parity');
  const mv = await client.registerModel(`runs:/${a.info.runId}/model`, 'parity-model', { tags: { kind: 'lr' } });
  out.push({ version: mv.version, stage: mv.currentStage, runId: mv.runId === a.info.runId, tags: mv.tags });
  await client.transitionModelVersionStage('parity-model', 1, 'Staging');
  await client.registerModel(`runs:/${a.info.runId}/model`, 'parity-model');
  await client.transitionModelVersionStage('parity-model', 2, 'Staging', { archiveExistingVersions: true });
  await client.setRegisteredModelAlias('parity-model', 'champion', 2);
  out.push((await client.getLatestVersions('parity-model')).map((v) => [v.version, v.currentStage, v.aliases]));
  out.push((await client.getModelVersionByAlias('parity-model', 'champion')).version);
  out.push((await client.searchModelVersions({ filter: "name = 'parity-model'" })).map((v) => [v.version, v.currentStage]));
  const rm = await client.getRegisteredModel('parity-model');
  out.push({ name: rm.name, aliases: rm.aliases, latest: rm.latestVersions.map((v) => v.version) });
  await client.updateRegisteredModel('parity-model', 'a model');
  await client.setRegisteredModelTag('parity-model', 'owner', 'ana');
  await client.setRegisteredModelTag('parity-model', 'gone', 'x');
  await client.deleteRegisteredModelTag('parity-model', 'gone');
  await client.updateModelVersion('parity-model', 1, 'first');
  await client.setModelVersionTag('parity-model', 1, 'ok', 'yes');
  await client.setModelVersionTag('parity-model', 1, 'gone', 'x');
  await client.deleteModelVersionTag('parity-model', 1, 'gone');
  await client.deleteRegisteredModelAlias('parity-model', 'champion');
  const v1 = await client.getModelVersion('parity-model', 1);
  out.push({ description: v1.description, tags: v1.tags, aliases: v1.aliases });
  await client.renameRegisteredModel('parity-model', 'pm2');
  await client.deleteModelVersion('pm2', 1);
  const pm2 = (await client.searchRegisteredModels())[0]!;
  out.push({ name: pm2.name, description: pm2.description, tags: pm2.tags, versions: (await client.searchModelVersions({ filter: "name = 'pm2'" })).map((v) => v.version) });
  await client.deleteRegisteredModel('pm2');
  out.push((await client.searchRegisteredModels()).length);
  const other = await client.createRun(exp.experimentId, { runName: 'c', tags: { t: '1' }, startTime: 5 });
  await client.deleteTag(other.info.runId, 't');
  await client.updateRun(other.info.runId, { status: 'KILLED', runName: 'c2' });
  await client.deleteRun(other.info.runId);
  out.push((await tracking.searchRuns({ runViewType: 'DELETED_ONLY' })).map((r) => [r.info.runName, r.info.status, r.data.tags.t ?? null]));
  await client.restoreRun(other.info.runId);
  await client.setExperimentTag(exp.experimentId, 'k', 'v');
  const e2 = await client.createExperiment('parity other');
  await client.deleteExperiment(e2);
  out.push((await client.searchExperiments('DELETED_ONLY')).map((e) => e.name), (await client.getExperiment(exp.experimentId)).tags);
  await client.restoreExperiment(e2);
  for (const bad of [() => tracking.getRun('0'.repeat(32)), () => client.getModelVersion('parity-model', 7), () => client.createExperiment('parity'), () => client.transitionModelVersionStage('parity-model', 1, 'Gone')]) {
    const e = await bad().then(() => null, (err: { code: string; message: string }) => ({ code: err.code, message: err.message }));
    out.push(e);
  }
  return out;
}

t.test('the fluent API over a kindling server gives the file store\'s results', async (t) => {
  const dir = t.testdir();
  tracking._resetFluentState();
  tracking.setTrackingUri(`file:${join(dir, 'direct')}`);
  const direct = await scenario();

  const s = await serve(t, join(dir, 'served'));
  tracking._resetFluentState();
  tracking.setTrackingUri(s.url);
  t.type(tracking.getClient().store, tracking.RestStore);
  const viaRest = await scenario();
  const mask = (v: unknown): unknown => JSON.parse(JSON.stringify(v, (_k, x: unknown) => (typeof x === 'number' && Number.isNaN(x) ? 'NaN' : x === -Infinity ? '-Inf' : x)).split(join(dir, 'served')).join('<root>').split(join(dir, 'direct')).join('<root>').replace(/\(id \d+/g, '(id <n>'));
  t.same(mask(viaRest), mask(direct));
  t.match(direct[0], [{ name: 'a', status: 'FINISHED', data: { params: { k: '3', solver: 'lbfgs' }, metrics: { rmse: 0.25, r2: 0.75, nan: NaN, inf: -Infinity }, tags: { team: 'ml' } } }]);
  t.same(direct[2], [{ key: 'rmse', value: 0.5, timestamp: 1000, step: 0 }, { key: 'rmse', value: 0.25, timestamp: 2000, step: 1 }]);
  t.same(direct[7], [[2, 'Staging', ['champion']], [1, 'Archived', []]]);
  t.same(direct[5], ['parity renamed', 'Default'], 'renameExperiment');
  t.same(direct.slice(11, 17), [
    { description: 'first', tags: { kind: 'lr', ok: 'yes' }, aliases: [] }, { name: 'pm2', description: 'a model', tags: { owner: 'ana' }, versions: [2] }, 0,
    [['c2', 'KILLED', null]], ['parity other'], { k: 'v' },
  ]);
  t.match(viaRest[viaRest.length - 4], { code: 'ERR_KINDLING_NOT_FOUND' });
  t.match(viaRest[viaRest.length - 2], { code: 'ERR_KINDLING_ALREADY_EXISTS' });
  t.match(viaRest[viaRest.length - 1], { code: 'ERR_KINDLING_INVALID_ARG', message: /for stage, got "Gone"/ });

  // the server's store holds what the REST store wrote: read it directly
  tracking._resetFluentState();
  tracking.setTrackingUri(`file:${join(dir, 'served')}`);
  t.same((await tracking.searchRuns({ experimentIds: [(await tracking.getExperimentByName('parity'))!.experimentId] })).map((r) => r.info.runName).sort(), ['a', 'b', 'c2']);
});

t.test('an unreachable server is ERR_KINDLING_TRANSPORT naming it', async (t) => {
  tracking._resetFluentState();
  tracking.setTrackingUri('http://127.0.0.1:9');
  await t.rejects(tracking.getClient().getRun('x'), { code: 'ERR_KINDLING_TRANSPORT', message: /^GET \/api\/2\.0\/mlflow\/runs\/get: cannot reach the tracking server http:\/\/127\.0\.0\.1:9: / });
  tracking._resetFluentState();
});
