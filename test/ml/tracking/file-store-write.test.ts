// Stores kindling writes: the files compared key by key and line by line with MLflow's own stores
// of the same layout (2.22 experiment and run meta.yaml, 2.16 registry meta.yaml), and read back;
// metric values as Python's float repr (nan, inf, 3.0, 1e-05); params immutable (error naming
// the key and both values) and written without a newline; keys and values checked; the fluent
// run lifecycle (nested runs, withRun ending FINISHED or FAILED, resumed runs); deletion and
// restore of runs and experiments (.trash); artifacts; http:// URIs open the REST store (server-rest-store.test.ts runs it).
import t from 'tap';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parse } from 'yaml';
import { tracking } from '../../../ts/ml/index.js';
import { pyFloatRepr } from '../../../ts/ml/tracking/store-files.js';

const FIX = fileURLToPath(new URL('../../../../shared/fixtures/mlflow/', import.meta.url));
const RUN_222 = join(FIX, 'filestore-mlflow-2.22-params-signature/mlruns/0/0d8653353e3e43beb89442a8bca1a94d');

/** The keys of a meta.yaml in file order, and each line's shape with the values masked by type. */
function shape(file: string): string[] {
  return readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => l
    .replace(/: file:\/\/\/\S+$/, ': <file-uri>').replace(/: '\d+'$/, ": '<id>'").replace(/: \d+$/, ': <int>').replace(/: [0-9a-f]{32}$/, ': <run-id>'));
}

t.beforeEach((t) => {
  tracking._resetFluentState();
  tracking.setTrackingUri(`file:${join(t.testdir(), 'mlruns')}`);
});

t.test('a written run has MLflow 2.22\'s files, keys, key order and line formats, and reads back', async (t) => {
  const root = join(t.testdirName, 'mlruns');
  const exp = await tracking.setExperiment('exp one');
  await tracking.setExperimentTag('owner', 'me');
  t.equal(readFileSync(join(root, exp.experimentId, 'tags', 'owner'), 'utf8'), 'me', 'experiment tags in tags/<key>, not in meta.yaml');
  t.same(Object.fromEntries((await tracking.searchExperiments()).map((e) => [e.name, e.tags])), { 'exp one': { owner: 'me' }, Default: {} });
  const run = await tracking.startRun({ runName: 'first' });
  await tracking.logParams({ alpha: 0.1, l1_ratio: '0.6' });
  await tracking.logMetric('rmse', 0.7317723392279818, { timestamp: 1748257990918 });
  await tracking.logMetrics({ r2: 3, mae: NaN }, { step: 2, timestamp: 1748257990919 });
  await tracking.logMetric('r2', Infinity, { step: 3, timestamp: 1748257990920 });
  await tracking.setTags({ team: 'ml', 'nested/key': 'v' });
  await tracking.endRun();
  const dir = join(root, exp.experimentId, run.info.runId);
  t.same(shape(join(dir, 'meta.yaml')), shape(join(RUN_222, 'meta.yaml')).map((l) => l.replace(/^run_name: .*/, 'run_name: first').replace(/^user_id: .*/, `user_id: ${run.info.userId}`)));
  t.same(shape(join(root, exp.experimentId, 'meta.yaml')), shape(join(RUN_222, '..', 'meta.yaml')).map((l) => l.replace('name: Default', 'name: exp one')));
  t.same(readdirSync(dir).sort(), ['artifacts', 'meta.yaml', 'metrics', 'params', 'tags']);
  t.same(readdirSync(join(dir, 'params')).sort(), readdirSync(join(RUN_222, 'params')).sort());
  t.equal(readFileSync(join(dir, 'params', 'alpha'), 'utf8'), readFileSync(join(RUN_222, 'params', 'alpha'), 'utf8'), 'same bytes as MLflow: "0.1", no newline');
  t.equal(readFileSync(join(dir, 'metrics', 'rmse'), 'utf8'), readFileSync(join(RUN_222, 'metrics', 'rmse'), 'utf8'), 'same metric line as MLflow for the same value');
  t.equal(readFileSync(join(dir, 'metrics', 'r2'), 'utf8'), '1748257990919 3.0 2\n1748257990920 inf 3\n');
  t.equal(readFileSync(join(dir, 'metrics', 'mae'), 'utf8'), '1748257990919 nan 2\n');
  t.equal(readFileSync(join(dir, 'tags', 'nested', 'key'), 'utf8'), 'v');
  t.same(readdirSync(join(dir, 'tags')).sort(), ['mlflow.runName', 'mlflow.source.name', 'mlflow.source.type', 'mlflow.user', 'nested', 'team']);
  const meta = parse(readFileSync(join(dir, 'meta.yaml'), 'utf8'));
  t.match(meta, { status: 3, run_name: 'first', experiment_id: exp.experimentId, artifact_uri: `${exp.artifactLocation}/${run.info.runId}/artifacts`, tags: [], source_type: 4 });
  const back = await tracking.getRun(run.info.runId);
  t.equal(back.info.status, 'FINISHED');
  t.same(back.data.params, { alpha: '0.1', l1_ratio: '0.6' });
  t.same(back.data.metrics, { mae: NaN, r2: Infinity, rmse: 0.7317723392279818 });
  t.same(await tracking.getMetricHistory(run.info.runId, 'r2'), [{ key: 'r2', value: 3, timestamp: 1748257990919, step: 2 }, { key: 'r2', value: Infinity, timestamp: 1748257990920, step: 3 }]);
  t.match(back.data.tags, { 'mlflow.runName': 'first', 'mlflow.source.type': 'LOCAL', team: 'ml', 'nested/key': 'v' });
  t.same(shape(join(root, '0', 'meta.yaml')), shape(join(RUN_222, '..', 'meta.yaml')), 'the Default experiment as MLflow creates it');
});

t.test('Python float repr for metric values', async (t) => {
  const cases: Array<[number, string]> = [[0.975, '0.975'], [3, '3.0'], [-2, '-2.0'], [0, '0.0'], [1e-5, '1e-05'], [0.0001, '0.0001'], [1e16, '1e+16'], [1.5e16, '1.5e+16'],
    [123456789012345680, '1.2345678901234568e+17'], [1234567890123456, '1234567890123456.0'], [NaN, 'nan'], [Infinity, 'inf'], [-Infinity, '-inf'], [2.5e-7, '2.5e-07'], [0.005040884017944336, '0.005040884017944336']];
  for (const [v, s] of cases) t.equal(pyFloatRepr(v), s, String(v));
});

t.test('params cannot change; keys and values are checked', async (t) => {
  const run = await tracking.startRun();
  await tracking.logParam('k', 3);
  await tracking.logParam('k', '3');
  await t.rejects(tracking.logParam('k', 4), { code: 'ERR_KINDLING_INVALID_ARG', message: `logParam: expected its logged value "3" (params cannot change; tried "4") for param "k" of run ${run.info.runId}, got "4" (string)` });
  await t.rejects(tracking.logParam('bad*key', 1), { code: 'ERR_KINDLING_INVALID_ARG', message: /^logParam: expected a non-empty string of alphanumerics.* for param key, got "bad\*key"/ });
  await t.rejects(tracking.logMetric('../up', 1), { code: 'ERR_KINDLING_INVALID_ARG', message: /^logMetric: expected a relative path without '', '\.' or '\.\.' segments for metric key, got "\.\.\/up"/ });
  await t.rejects(tracking.logParam('x'.repeat(251), 1), { code: 'ERR_KINDLING_INVALID_ARG', message: /for param key/ });
  await t.rejects(tracking.logParam('long', 'v'.repeat(6001)), { code: 'ERR_KINDLING_INVALID_ARG', message: /^logParam: expected a value of at most 6000 characters for param "long"/ });
  await t.rejects(tracking.setTag('t', 'v'.repeat(8001)), { code: 'ERR_KINDLING_INVALID_ARG', message: /^setTag: expected a value of at most 8000 characters for tag "t"/ });
  await t.rejects(tracking.logMetric('m', '1' as unknown as number), { code: 'ERR_KINDLING_INVALID_ARG', message: 'logMetric: expected a number for metric "m", got "1" (string)' });
  await t.rejects(tracking.logMetric('m', 1, { step: 1.5 }), { code: 'ERR_KINDLING_INVALID_ARG', message: 'logMetric: expected an integer for step, got 1.5 (number)' });
  t.equal(readFileSync(join(t.testdirName, 'mlruns', '0', run.info.runId, 'params', 'k'), 'utf8'), '3');
  await tracking.logParams({ fitIntercept: true, weightCol: null, tol: 1e-6 });
  t.match((await tracking.getRun(run.info.runId)).data.params, { fitIntercept: 'True', weightCol: '', tol: '1e-06' }, "booleans and fractions as Python's str() writes them, null as an empty file");
  await t.rejects(tracking.logParam('obj', { a: 1 }), { code: 'ERR_KINDLING_INVALID_ARG', message: 'logParam: expected a string, number, boolean or null for param "obj", got Object (object)' });
  await tracking.endRun();
});

t.test('run lifecycle: nested runs, withRun, resume, names, deleteTag', async (t) => {
  const parent = await tracking.startRun({ runName: 'parent', tags: { a: '1' } });
  await t.rejects(tracking.startRun(), { code: 'ERR_KINDLING_INVALID_ARG', message: new RegExp(`^startRun: expected true to start a run inside the active run ${parent.info.runId}`) });
  const child = await tracking.startRun({ nested: true });
  t.equal(child.data.tags['mlflow.parentRunId'], parent.info.runId);
  t.match(child.info.runName, /^[a-z]+-[a-z]+-\d{1,3}$/);
  t.equal(tracking.activeRun()!.info.runId, child.info.runId);
  await tracking.endRun('KILLED');
  t.equal(tracking.activeRun()!.info.runId, parent.info.runId);
  await tracking.setTag('mlflow.runName', 'renamed');
  t.equal((await tracking.getRun(parent.info.runId)).info.runName, 'renamed', 'setting mlflow.runName rewrites run_name');
  await tracking.deleteTag('a');
  await t.rejects(tracking.deleteTag('a'), { code: 'ERR_KINDLING_NOT_FOUND', message: `deleteTag: tag "a" of run '${parent.info.runId}' does not exist` });
  await tracking.endRun();
  t.equal((await tracking.getRun(child.info.runId)).info.status, 'KILLED');
  const err = new Error('boom');
  let failedId = '';
  await t.rejects(tracking.withRun({ runName: 'w' }, async (r) => { failedId = r.info.runId; throw err; }), err);
  const failed = await tracking.getRun(failedId);
  t.equal(failed.info.status, 'FAILED');
  t.type(failed.info.endTime, 'number');
  t.equal(tracking.activeRun(), null);
  const ok = await tracking.withRun(async (r) => { await tracking.logMetric('m', 1); return r.info.runId; });
  await t.rejects(tracking.withRun({ runName: 'x' } as never), { code: 'ERR_KINDLING_INVALID_ARG', message: 'withRun: expected a function (run) => … for fn, got undefined (undefined)' });
  t.equal((await tracking.getRun(ok)).info.status, 'FINISHED');
  await tracking.startRun({ runId: ok });
  t.same([(await tracking.getRun(ok)).info.status, (await tracking.getRun(ok)).info.endTime], ['RUNNING', null]);
  await tracking.endRun();
  await t.rejects(tracking.getRun('0123456789abcdef0123456789abcdef'), { code: 'ERR_KINDLING_NOT_FOUND', message: /^getRun: run '0123456789abcdef0123456789abcdef' \(in .*\) does not exist$/ });
});

t.test('delete and restore runs and experiments (.trash)', async (t) => {
  const root = join(t.testdirName, 'mlruns');
  const id = await tracking.createExperiment('gone', { tags: { owner: 'me' } });
  t.same((await tracking.getExperiment(id)).tags, { owner: 'me' });
  await t.rejects(tracking.createExperiment('gone'), { code: 'ERR_KINDLING_ALREADY_EXISTS', message: `createExperiment: experiment 'gone' (id ${id}, active) already exists` });
  const run = await tracking.startRun({ experimentId: id });
  await tracking.endRun();
  await tracking.deleteRun(run.info.runId);
  const meta = parse(readFileSync(join(root, id, run.info.runId, 'meta.yaml'), 'utf8'));
  t.equal(meta.lifecycle_stage, 'deleted');
  t.type(meta.deleted_time, 'number');
  t.same(await tracking.searchRuns({ experimentIds: [id] }), []);
  t.same((await tracking.searchRuns({ experimentIds: [id], runViewType: 'DELETED_ONLY' })).map((r) => r.info.runId), [run.info.runId]);
  await t.rejects(tracking.getClient().logParam(run.info.runId, 'p', 1), { code: 'ERR_KINDLING_INVALID_ARG', message: /in the 'active' lifecycle stage for runId/ });
  await tracking.restoreRun(run.info.runId);
  t.notOk('deleted_time' in parse(readFileSync(join(root, id, run.info.runId, 'meta.yaml'), 'utf8')));
  const alone = await tracking.startRun({ experimentId: id });
  await tracking.endRun();
  await tracking.deleteRun(alone.info.runId);
  await tracking.deleteExperiment(id);
  t.equal(parse(readFileSync(join(root, '.trash', id, run.info.runId, 'meta.yaml'), 'utf8')).lifecycle_stage, 'deleted', "the experiment's active runs are deleted with it");
  t.equal(parse(readFileSync(join(root, '.trash', id, run.info.runId, 'meta.yaml'), 'utf8')).deleted_time, parse(readFileSync(join(root, '.trash', id, 'meta.yaml'), 'utf8')).last_update_time);
  t.ok(existsSync(join(root, '.trash', id, 'meta.yaml')));
  t.notOk(existsSync(join(root, id)));
  t.equal((await tracking.getExperiment(id)).lifecycleStage, 'deleted');
  t.same((await tracking.getClient().searchExperiments()).map((e) => e.name), ['Default']);
  await tracking.restoreExperiment(id);
  t.equal((await tracking.getExperiment(id)).lifecycleStage, 'active');
  t.ok(existsSync(join(root, id, run.info.runId, 'meta.yaml')));
  t.same((await tracking.searchRuns({ experimentIds: [id], runViewType: 'ALL' })).map((r) => [r.info.runId, r.info.lifecycleStage]).sort(), [[run.info.runId, 'active'], [alone.info.runId, 'deleted']].sort(),
    'restoring brings back the runs deleted with the experiment, not the one deleted before');
  const slash = await tracking.createExperiment('/Users/me/exp', { artifactLocation: 'elsewhere' });
  t.same([(await tracking.getExperiment(slash)).name, (await tracking.getExperiment(slash)).artifactLocation], ['/Users/me/exp', pathToFileURL(join(process.cwd(), 'elsewhere')).href], 'names are free text; a path location is stored as its file: URI');
  await t.rejects(tracking.createExperiment(' '), { code: 'ERR_KINDLING_INVALID_ARG', message: 'createExperiment: expected a non-empty string for name, got " " (string)' });
  await t.rejects(tracking.deleteExperiment('0'), { code: 'ERR_KINDLING_INVALID_ARG', message: /Default experiment "0" \(it cannot be deleted\)/ });
  await t.rejects(tracking.getExperiment('42'), { code: 'ERR_KINDLING_NOT_FOUND', message: /^getExperiment: experiment '42' \(in .*\) does not exist$/ });
});

t.test('artifacts: files, directories, text, dicts, figures, listing and download', async (t) => {
  const src = join(t.testdirName, 'src');
  mkdirSync(join(src, 'sub'), { recursive: true });
  writeFileSync(join(src, 'a.txt'), 'A');
  writeFileSync(join(src, 'sub', 'b.txt'), 'BB');
  const run = await tracking.startRun();
  await tracking.logArtifact(join(src, 'a.txt'));
  await tracking.logArtifact(join(src, 'a.txt'), 'files');
  await tracking.logArtifacts(src, 'tree');
  await tracking.logText('hello', 'notes/hello.txt');
  await tracking.logDict({ a: 1, b: [1, 2] }, 'cfg.json');
  await tracking.logDict({ b: [1, 2], a: 1 }, 'cfg.yaml');
  await tracking.logFigure(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1]), 'fig.png');
  await tracking.logFigure('<svg xmlns="http://www.w3.org/2000/svg"/>', 'plots/fig.svg');
  await t.rejects(tracking.logFigure('<svg/>', 'fig.gif'), { code: 'ERR_KINDLING_INVALID_ARG', message: `logFigure: expected a file name ending in '.png' or '.svg' for artifactFile, got "fig.gif" (string)` });
  await t.rejects(tracking.logFigure('not png', 'x.png'), { code: 'ERR_KINDLING_INVALID_ARG', message: /^logFigure: expected PNG bytes/ });
  await t.rejects(tracking.logText('x', '../escape.txt'), { code: 'ERR_KINDLING_INVALID_ARG', message: `logText: expected a relative path without '..' for artifactPath, got "../escape.txt" (string)` });
  await t.rejects(tracking.logArtifact(join(src, 'missing')), { code: 'ERR_KINDLING_NOT_FOUND', message: /^logArtifact: local path ".*missing" does not exist$/ });
  const art = join(t.testdirName, 'mlruns', '0', run.info.runId, 'artifacts');
  t.equal(readFileSync(join(art, 'cfg.json'), 'utf8'), '{\n  "a": 1,\n  "b": [\n    1,\n    2\n  ]\n}');
  t.equal(readFileSync(join(art, 'cfg.yaml'), 'utf8'), 'a: 1\nb:\n- 1\n- 2\n');
  t.same(await tracking.listArtifacts(run.info.runId), [
    { path: 'a.txt', isDir: false, fileSize: 1 }, { path: 'cfg.json', isDir: false, fileSize: 39 }, { path: 'cfg.yaml', isDir: false, fileSize: 16 },
    { path: 'fig.png', isDir: false, fileSize: 9 }, { path: 'files', isDir: true, fileSize: null }, { path: 'notes', isDir: true, fileSize: null },
    { path: 'plots', isDir: true, fileSize: null }, { path: 'tree', isDir: true, fileSize: null },
  ]);
  t.same(await tracking.listArtifacts(run.info.runId, 'tree'), [{ path: 'tree/a.txt', isDir: false, fileSize: 1 }, { path: 'tree/sub', isDir: true, fileSize: null }]);
  t.same(readdirSync(art).filter((n) => n.startsWith('.')), [], 'no temporaries, locks or journals left');
  await tracking.logArtifacts(join(src, 'sub'), 'tree');
  t.same((await tracking.listArtifacts(run.info.runId, 'tree')).map((f) => f.path), ['tree/a.txt', 'tree/b.txt', 'tree/sub'], 'logged into an existing directory: merged');
  const dst = join(t.testdirName, 'dl');
  const got = await tracking.downloadArtifacts({ runId: run.info.runId, artifactPath: 'tree', dstPath: dst });
  t.equal(got, join(dst, 'tree'));
  t.equal(readFileSync(join(got, 'sub', 'b.txt'), 'utf8'), 'BB');
  await tracking.endRun();
});

t.test('tracking URIs: file: relative and absolute, paths; http:// opens the REST store', async (t) => {
  t.type(new tracking.MlflowClient('http://localhost:5000').store, tracking.RestStore);
  t.throws(() => tracking.setTrackingUri('http:localhost'), { code: 'ERR_KINDLING_INVALID_ARG' });
  t.throws(() => tracking.setTrackingUri('databricks://x'), { code: 'ERR_KINDLING_INVALID_ARG' });
  const abs = join(t.testdirName, 'other');
  tracking.setTrackingUri(abs);
  t.equal(tracking.getTrackingUri(), abs);
  await tracking.getClient().searchExperiments();
  t.ok(existsSync(join(abs, '0', 'meta.yaml')), 'the store is created with its Default experiment');
});
