// The tracking server's write endpoints with MLflow's documented requests (MLFLOW.md §4) over a
// store first written by the fluent API: experiments, runs and their params, metrics and tags,
// the registry (models, versions, stages, tags, aliases); then every error case with MLflow's
// error JSON and status (unknown ids, taken names, wrong types, bad JSON, oversize bodies, unknown
// endpoints and methods, log-batch limits) and concurrent requests losing nothing.
import t from 'tap';
import { request } from 'node:http';
import { join } from 'node:path';
import { tracking } from '../../../ts/ml/index.js';
import { call, serve } from './server-helpers.js';

async function fluentStore(dir: string): Promise<{ root: string; runId: string; expId: string }> {
  const root = join(dir, 'mlruns');
  tracking._resetFluentState();
  tracking.setTrackingUri(`file:${root}`);
  const exp = await tracking.setExperiment('fluent');
  const run = await tracking.startRun({ runName: 'written' });
  await tracking.logParams({ k: 3 });
  await tracking.logMetric('rmse', 0.5, { step: 1, timestamp: 1000 });
  await tracking.logMetric('rmse', 0.25, { step: 2, timestamp: 2000 });
  await tracking.endRun();
  return { root, runId: run.info.runId, expId: exp.experimentId };
}

t.test('experiments and runs: create, update, log, tag, delete, restore — responses exact, effects read back', async (t) => {
  const { root, runId, expId } = await fluentStore(t.testdir());
  const s = await serve(t, root);
  const got = await call(s, 'GET', 'runs/get', { run_id: runId });
  const run = got.json.run as { info: Record<string, unknown>; data: Record<string, unknown> };
  t.same(run.data, { metrics: [{ key: 'rmse', value: 0.25, timestamp: 2000, step: 2 }], params: [{ key: 'k', value: '3' }], tags: run.data.tags });
  t.match(run.info, { run_id: runId, run_name: 'written', experiment_id: expId, status: 'FINISHED', lifecycle_stage: 'active' });

  const created = await call(s, 'POST', 'experiments/create', { name: 'rest exp', tags: [{ key: 'owner', value: 'ana' }] });
  t.same(created.status, 200);
  const id = created.json.experiment_id as string;
  t.type(id, 'string');
  t.same(await call(s, 'POST', 'experiments/set-experiment-tag', { experiment_id: id, key: 'stage', value: 'dev' }), { status: 200, json: {} });
  const e = (await call(s, 'GET', 'experiments/get-by-name', { experiment_name: 'rest exp' })).json.experiment as Record<string, unknown>;
  t.same(e.tags, [{ key: 'owner', value: 'ana' }, { key: 'stage', value: 'dev' }]);
  t.same(await call(s, 'POST', 'experiments/delete-experiment-tag', { experiment_id: id, key: 'stage' }), { status: 200, json: {} });
  t.same(((await call(s, 'GET', 'experiments/get', { experiment_id: id })).json.experiment as Record<string, unknown>).tags, [{ key: 'owner', value: 'ana' }]);
  t.match(await call(s, 'POST', 'experiments/delete-experiment-tag', { experiment_id: id, key: 'stage' }), { status: 404, json: { error_code: 'RESOURCE_DOES_NOT_EXIST', message: /tag "stage" of experiment/ } });
  await call(s, 'POST', 'experiments/set-experiment-tag', { experiment_id: id, key: 'stage', value: 'dev' });
  t.same(await call(s, 'POST', 'experiments/update', { experiment_id: id, new_name: 'renamed' }), { status: 200, json: {} });
  t.match((await call(s, 'GET', 'experiments/get', { experiment_id: id })).json, { experiment: { experiment_id: id, name: 'renamed' } });
  t.match(await call(s, 'GET', 'experiments/get-by-name', { experiment_name: 'rest exp' }), { status: 404 });
  t.same(await call(s, 'POST', 'experiments/update', { experiment_id: id, new_name: 'rest exp' }), { status: 200, json: {} });
  t.same(await call(s, 'POST', 'experiments/delete', { experiment_id: id }), { status: 200, json: {} });
  t.match((await call(s, 'GET', 'experiments/get', { experiment_id: id })).json, { experiment: { lifecycle_stage: 'deleted' } });
  t.match(await call(s, 'POST', 'experiments/update', { experiment_id: id, new_name: 'x' }), { status: 400, json: { error_code: 'INVALID_PARAMETER_VALUE', message: /an active experiment for experimentId/ } });
  t.same(await call(s, 'POST', 'experiments/restore', { experiment_id: id }), { status: 200, json: {} });
  t.match((await call(s, 'GET', 'experiments/get', { experiment_id: id })).json, { experiment: { lifecycle_stage: 'active' } });

  const r = (await call(s, 'POST', 'runs/create', { experiment_id: id, user_id: 'ana', run_name: 'r1', start_time: 5000 })).json.run as { info: Record<string, unknown> };
  const rid = r.info.run_id as string;
  t.same(r.info, { run_id: rid, run_uuid: rid, run_name: 'r1', experiment_id: id, user_id: 'ana', status: 'RUNNING', start_time: 5000, artifact_uri: r.info.artifact_uri, lifecycle_stage: 'active' });
  t.same(await call(s, 'POST', 'runs/log-parameter', { run_id: rid, key: 'alpha', value: '0.1' }), { status: 200, json: {} });
  t.same(await call(s, 'POST', 'runs/log-metric', { run_id: rid, key: 'loss', value: 2.5, timestamp: 6000 }), { status: 200, json: {} });
  t.same(await call(s, 'POST', 'runs/log-metric', { run_id: rid, key: 'loss', value: 'NaN', timestamp: 6001, step: 1 }), { status: 200, json: {} });
  t.same(await call(s, 'POST', 'runs/set-tag', { run_id: rid, key: 'gone', value: 'x' }), { status: 200, json: {} });
  t.same(await call(s, 'POST', 'runs/delete-tag', { run_id: rid, key: 'gone' }), { status: 200, json: {} });
  const mlmodel = { artifact_path: 'model', flavors: { kindling: { model_data: 'sparkml', config: { x: 1 } } }, model_uuid: 'ab12', run_id: rid, utc_time_created: '2026-12-07 10:00:00.000000', signature: { inputs: '[]' } };
  t.same(await call(s, 'POST', 'runs/log-model', { run_id: rid, model_json: JSON.stringify(mlmodel) }), { status: 200, json: {} });
  const logged = ((await call(s, 'GET', 'runs/get', { run_id: rid })).json.run as { data: { tags: Array<{ key: string; value: string }> } }).data.tags.find((x) => x.key === 'mlflow.log-model.history');
  t.equal(logged?.value, `[{"run_id": "${rid}", "artifact_path": "model", "utc_time_created": "2026-12-07 10:00:00.000000", "model_uuid": "ab12", "flavors": {"kindling": {"model_data": "sparkml"}}}]`, "log-model appends MLflow's get_tags_dict() entry (no signature, flavors without config)");
  t.match(await call(s, 'POST', 'runs/log-model', { run_id: rid, model_json: '{oops' }), { status: 400, json: { error_code: 'INVALID_PARAMETER_VALUE', message: /model_json/ } });
  t.match(await call(s, 'POST', 'runs/log-model', { run_id: rid, model_json: '{"artifact_path": "m"}' }), { status: 400, json: { error_code: 'INVALID_PARAMETER_VALUE', message: /flavors/ } });
  t.same(await call(s, 'POST', 'runs/log-batch', {
    run_id: rid, metrics: [{ key: 'acc', value: 0.9, timestamp: 7000, step: 0 }, { key: 'acc', value: 0.95, timestamp: 7001, step: 1 }],
    params: [{ key: 'beta', value: '2' }], tags: [{ key: 'team', value: 'ml' }],
  }), { status: 200, json: {} });
  t.same(await call(s, 'GET', 'metrics/get-history', { run_id: rid, metric_key: 'loss' }), {
    status: 200, json: { metrics: [{ key: 'loss', value: 2.5, timestamp: 6000, step: 0 }, { key: 'loss', value: 'NaN', timestamp: 6001, step: 1 }] },
  });
  const upd = await call(s, 'POST', 'runs/update', { run_id: rid, status: 'FINISHED', end_time: 8000, run_name: 'r1b' });
  t.same(upd.json, { run_info: { ...r.info, run_name: 'r1b', status: 'FINISHED', end_time: 8000 } });
  const after = (await call(s, 'GET', 'runs/get', { run_id: rid })).json.run as { data: { metrics: unknown; params: unknown; tags: { key: string; value: string }[] } };
  t.same(after.data.metrics, [{ key: 'acc', value: 0.95, timestamp: 7001, step: 1 }, { key: 'loss', value: 'NaN', timestamp: 6001, step: 1 }]);
  t.same(after.data.params, [{ key: 'alpha', value: '0.1' }, { key: 'beta', value: '2' }]);
  t.same(after.data.tags.filter((kv) => !kv.key.startsWith('mlflow.')), [{ key: 'team', value: 'ml' }]);
  t.same(await call(s, 'POST', 'runs/delete', { run_id: rid }), { status: 200, json: {} });
  t.same((await call(s, 'POST', 'runs/search', { experiment_ids: [id] })).json, { runs: [] });
  t.equal(((await call(s, 'POST', 'runs/search', { experiment_ids: [id], run_view_type: 'DELETED_ONLY' })).json.runs as unknown[]).length, 1);
  t.same(await call(s, 'POST', 'runs/restore', { run_id: rid }), { status: 200, json: {} });
  t.equal(((await call(s, 'POST', 'runs/search', { experiment_ids: [id], filter: "params.beta = '2'" })).json.runs as unknown[]).length, 1);
});

t.test('registry: create, rename, update, tags, versions, stages with archiving, aliases, delete', async (t) => {
  const { root, runId } = await fluentStore(t.testdir());
  const s = await serve(t, root);
  const m = await call(s, 'POST', 'registered-models/create', { name: 'm', tags: [{ key: 't', value: '1' }], description: 'first' });
  t.match(m, { status: 200, json: { registered_model: { name: 'm', description: 'first', latest_versions: [], tags: [{ key: 't', value: '1' }], aliases: [] } } });
  t.type((m.json.registered_model as Record<string, unknown>).creation_timestamp, 'number');
  t.match((await call(s, 'POST', 'registered-models/rename', { name: 'm', new_name: 'model' })).json, { registered_model: { name: 'model' } });
  t.match((await call(s, 'PATCH', 'registered-models/update', { name: 'model', description: 'second' })).json, { registered_model: { name: 'model', description: 'second' } });
  t.same(await call(s, 'POST', 'registered-models/set-tag', { name: 'model', key: 'x', value: 'y' }), { status: 200, json: {} });
  t.same(await call(s, 'DELETE', 'registered-models/delete-tag', { name: 'model', key: 't' }), { status: 200, json: {} });
  t.match((await call(s, 'GET', 'registered-models/get', { name: 'model' })).json, { registered_model: { name: 'model', description: 'second', tags: [{ key: 'x', value: 'y' }] } });

  const v1 = await call(s, 'POST', 'model-versions/create', { name: 'model', source: 'file:///tmp/m1', run_id: runId, description: 'v1' });
  const mv = v1.json.model_version as Record<string, unknown>;
  t.same(Object.keys(mv).sort(), ['aliases', 'creation_timestamp', 'current_stage', 'description', 'last_updated_timestamp', 'name', 'run_id', 'run_link', 'source', 'status', 'tags', 'user_id', 'version'].filter((k) => k in mv).sort());
  t.match(mv, { name: 'model', version: '1', current_stage: 'None', description: 'v1', source: 'file:///tmp/m1', run_id: runId, status: 'READY', tags: [], aliases: [] });
  await call(s, 'POST', 'model-versions/create', { name: 'model', source: 'file:///tmp/m2' });
  t.match((await call(s, 'POST', 'model-versions/transition-stage', { name: 'model', version: '1', stage: 'Production', archive_existing_versions: false })).json, { model_version: { version: '1', current_stage: 'Production' } });
  t.match((await call(s, 'POST', 'model-versions/transition-stage', { name: 'model', version: '2', stage: 'production', archive_existing_versions: true })).json, { model_version: { version: '2', current_stage: 'Production' } });
  t.match((await call(s, 'GET', 'model-versions/get', { name: 'model', version: '1' })).json, { model_version: { current_stage: 'Archived' } });
  t.match((await call(s, 'PATCH', 'model-versions/update', { name: 'model', version: '2', description: 'v2' })).json, { model_version: { version: '2', description: 'v2' } });
  t.same(await call(s, 'POST', 'model-versions/set-tag', { name: 'model', version: '2', key: 'ok', value: 'yes' }), { status: 200, json: {} });
  t.same(await call(s, 'POST', 'registered-models/alias', { name: 'model', alias: 'champion', version: '2' }), { status: 200, json: {} });
  t.match((await call(s, 'GET', 'registered-models/alias', { name: 'model', alias: 'champion' })).json, { model_version: { version: '2', aliases: ['champion'], tags: [{ key: 'ok', value: 'yes' }] } });
  t.match((await call(s, 'GET', 'registered-models/get', { name: 'model' })).json, { registered_model: { aliases: [{ alias: 'champion', version: '2' }], tags: [{ key: 'x', value: 'y' }] } });
  const latest = (await call(s, 'POST', 'registered-models/get-latest-versions', { name: 'model' })).json.model_versions as { version: string; current_stage: string }[];
  t.same(latest.map((v) => [v.version, v.current_stage]), [['2', 'Production'], ['1', 'Archived']]);
  const ordered = await call(s, 'GET', 'model-versions/search', { filter: "name = 'model'", order_by: 'version_number DESC' });
  t.same((ordered.json.model_versions as { version: string }[]).map((v) => v.version), ['2', '1']);
  t.same(await call(s, 'DELETE', 'model-versions/delete-tag', { name: 'model', version: '2', key: 'ok' }), { status: 200, json: {} });
  t.same(await call(s, 'DELETE', 'registered-models/alias', { name: 'model', alias: 'champion' }), { status: 200, json: {} });
  t.same(await call(s, 'DELETE', 'model-versions/delete', { name: 'model', version: '1' }), { status: 200, json: {} });
  t.same(((await call(s, 'GET', 'model-versions/search', { filter: "name = 'model'" })).json.model_versions as { version: string }[]).map((v) => v.version), ['2']);
  t.same(await call(s, 'DELETE', 'registered-models/delete', { name: 'model' }), { status: 200, json: {} });
  t.same((await call(s, 'GET', 'registered-models/search', {})).json, { registered_models: [] });
});

t.test('errors: MLflow error JSON and statuses, naming the value at fault; the server stays up', async (t) => {
  const { root, runId } = await fluentStore(t.testdir());
  const s = await serve(t, root, { maxBodyBytes: 4096 });
  const err = (status: number, code: string, msg: RegExp) => ({ status, json: { error_code: code, message: msg } });
  t.match(await call(s, 'GET', 'runs/get', { run_id: 'f'.repeat(32) }), err(404, 'RESOURCE_DOES_NOT_EXIST', /run 'f{32}'.* does not exist/));
  t.match(await call(s, 'GET', 'experiments/get', { experiment_id: '424242' }), err(404, 'RESOURCE_DOES_NOT_EXIST', /424242/));
  t.match(await call(s, 'GET', 'experiments/get-by-name', { experiment_name: 'nope' }), err(404, 'RESOURCE_DOES_NOT_EXIST', /experiment "nope" does not exist/));
  t.match(await call(s, 'GET', 'registered-models/get', { name: 'nope' }), err(404, 'RESOURCE_DOES_NOT_EXIST', /nope/));
  t.match(await call(s, 'POST', 'experiments/create', { name: 'fluent' }), err(400, 'RESOURCE_ALREADY_EXISTS', /fluent/));
  t.match(await call(s, 'POST', 'experiments/create', { name: 5 }), err(400, 'INVALID_PARAMETER_VALUE', /^POST \/api\/2\.0\/mlflow\/experiments\/create: expected a string for name, got 5 \(number\)$/));
  t.match(await call(s, 'POST', 'experiments/create', {}), err(400, 'INVALID_PARAMETER_VALUE', /expected a string \(required\) for name, got undefined/));
  t.match(await call(s, 'POST', 'runs/log-metric', { run_id: runId, key: 'm', value: 'abc', timestamp: 1 }), err(400, 'INVALID_PARAMETER_VALUE', /for metric\.value, got "abc" \(string\)/));
  t.match(await call(s, 'POST', 'runs/log-metric', { run_id: runId, key: 'm', value: 1 }), err(400, 'INVALID_PARAMETER_VALUE', /for metric\.timestamp/));
  t.match(await call(s, 'POST', 'runs/log-parameter', { run_id: runId, key: 'k', value: '4' }), err(400, 'INVALID_PARAMETER_VALUE', /k/));
  t.match(await call(s, 'POST', 'runs/update', { run_id: runId, status: 'DONE' }), err(400, 'INVALID_PARAMETER_VALUE', /one of RUNNING, SCHEDULED, FINISHED, FAILED, KILLED for status, got "DONE"/));
  t.match(await call(s, 'POST', 'runs/log-batch', { run_id: runId, params: 'k=1' }), err(400, 'INVALID_PARAMETER_VALUE', /expected an array for params/));
  t.match(await call(s, 'POST', 'runs/log-batch', { run_id: runId, tags: Array.from({ length: 101 }, (_, i) => ({ key: `t${i}`, value: '' })) }), err(400, 'INVALID_PARAMETER_VALUE', /at most 100 entries for tags, got "101 entries"/));
  t.match(await call(s, 'POST', 'runs/search', { experiment_ids: ['0'], max_results: 0 }), err(400, 'INVALID_PARAMETER_VALUE', /max_results, got 0/));
  t.match(await call(s, 'POST', 'runs/search', { experiment_ids: ['0'], page_token: '%%%' }), err(400, 'INVALID_PARAMETER_VALUE', /page_token/));
  t.match(await call(s, 'POST', 'runs/search', { experiment_ids: ['0'], filter: 'metrics.rmse <<< 1' }), err(400, 'INVALID_PARAMETER_VALUE', /rmse/));
  t.match(await call(s, 'POST', 'runs/search', '{"experiment_ids": ['), err(400, 'INVALID_PARAMETER_VALUE', /^POST \/api\/2\.0\/mlflow\/runs\/search: malformed JSON in the request body/));
  t.match(await call(s, 'POST', 'runs/search', '[1, 2]'), err(400, 'INVALID_PARAMETER_VALUE', /expected a JSON object for request body, got Array\(2\)/));
  t.match(await call(s, 'POST', 'runs/search', JSON.stringify({ filter: 'x'.repeat(5000) })), err(413, 'INVALID_PARAMETER_VALUE', /request body of \d+ bytes is over the limit of 4096 bytes/));
  const chunked = await new Promise<string>((resolve) => {
    const u = new URL(`${s.url}/api/2.0/mlflow/runs/search`);
    const req = request({ host: u.hostname, port: u.port, path: u.pathname, method: 'POST' }, (res) => {
      let b = '';
      res.on('data', (c: Buffer) => (b += c.toString()));
      res.on('end', () => resolve(`${res.statusCode} ${b}`));
    });
    req.on('error', (e) => resolve(`client error: ${e.message}`));
    for (let i = 0; i < 100; i++) req.write('x'.repeat(100));
    req.end();
  });
  t.equal(chunked, '413 {"error_code":"INVALID_PARAMETER_VALUE","message":"POST /api/2.0/mlflow/runs/search: request body is over the limit of 4096 bytes"}', 'a chunked body without content-length is cut at the limit');
  t.match(await call(s, 'POST', 'experiments/create', { name: 'm', extra: 'y' }), { status: 200 }, 'unknown fields are ignored, as protobuf parsing does');
  await call(s, 'POST', 'registered-models/create', { name: 'rm' });
  t.match(await call(s, 'POST', 'registered-models/create', { name: 'rm' }), err(400, 'RESOURCE_ALREADY_EXISTS', /rm/));
  t.match(await call(s, 'POST', 'model-versions/create', { name: 'rm', source: 'file:///x' }), { status: 200 });
  t.match(await call(s, 'POST', 'model-versions/transition-stage', { name: 'rm', version: '1', stage: 'Prod' }), err(400, 'INVALID_PARAMETER_VALUE', /one of None, Staging, Production, Archived \(any case\) for stage, got "Prod"/));
  t.match(await call(s, 'GET', 'model-versions/get', { name: 'rm', version: 'one' }), err(400, 'INVALID_PARAMETER_VALUE', /a version number \(string\) for version, got "one"/));
  t.match(await call(s, 'GET', 'model-versions/get', { name: 'rm', version: '9' }), err(404, 'RESOURCE_DOES_NOT_EXIST', /9/));
  t.match(await call(s, 'POST', 'experiments/update', { experiment_id: '0', new_name: 'fluent' }), err(400, 'RESOURCE_ALREADY_EXISTS', /^renameExperiment: experiment 'fluent' \(id \d+, active\) already exists$/));
  t.match(await call(s, 'POST', 'experiments/update', { experiment_id: '0', new_name: ' ' }), err(400, 'INVALID_PARAMETER_VALUE', /^renameExperiment: expected a non-empty string for newName, got " " \(string\)$/));
  t.match(await call(s, 'GET', 'runs/nothing'), err(404, 'ENDPOINT_NOT_FOUND', /no endpoint GET \/api\/2\.0\/mlflow\/runs\/nothing/));
  t.match(await call(s, 'GET', 'runs/create'), err(405, 'ENDPOINT_NOT_FOUND', /method not allowed \(use POST\)/));
  t.match(await call(s, 'GET', 'runs/get'), err(400, 'INVALID_PARAMETER_VALUE', /^GET \/api\/2\.0\/mlflow\/runs\/get: expected a string \(required\) for run_id, got undefined/));
  t.match(await call(s, 'GET', 'runs/get', { run_id: ['a', 'b'] }), err(400, 'INVALID_PARAMETER_VALUE', /expected a string for run_id, got Array\(2\)/));
  const health = await fetch(`${s.url}/health`);
  t.same([health.status, await health.text()], [200, 'OK']);
  const raw = await fetch(`${s.url}/nope.html`);
  t.equal(raw.status, 404);
  t.match(await call(s, 'GET', 'runs/get', { run_id: runId }), { status: 200 }, 'still answering');
});

t.test('concurrent requests: 40 log-metric calls to one run and 40 reads at once, nothing lost', async (t) => {
  const { root, runId } = await fluentStore(t.testdir());
  const s = await serve(t, root);
  const writes = Array.from({ length: 40 }, (_, i) => call(s, 'POST', 'runs/log-metric', { run_id: runId, key: 'c', value: i, timestamp: 10000 + i, step: i }));
  const reads = Array.from({ length: 40 }, () => call(s, 'GET', 'runs/get', { run_id: runId }));
  const replies = await Promise.all([...writes, ...reads]);
  t.same(replies.map((r) => r.status), replies.map(() => 200));
  const hist = (await call(s, 'GET', 'metrics/get-history', { run_id: runId, metric_key: 'c' })).json.metrics as { value: number; step: number }[];
  t.same(hist.map((m) => m.value).sort((a, b) => a - b), Array.from({ length: 40 }, (_, i) => i));
  t.match((await call(s, 'GET', 'runs/get', { run_id: runId })).json, { run: { data: { metrics: [{ key: 'c', value: 39, step: 39 }, { key: 'rmse', value: 0.25 }] } } });
});
