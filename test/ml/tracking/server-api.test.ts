// The tracking server's REST API (../shared/formats/MLFLOW.md §4) over a copy of MLflow 2.16's
// fixture store: every read endpoint with MLflow's documented request, the exact response JSON
// (string ids and versions, numeric timestamps, tags as [{key, value}], unset fields left out),
// paging with next_page_token, the /ajax-api alias the UI uses, and a damaged metric file (500
// naming file and line, the other runs still served).
import t from 'tap';
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { call, copyFixture, serve } from './server-helpers.js';

const EXP = '853099972095872099';
const RUN = '1c00447556424067ae62fe39e167bb34';
const SVM = '8595f7931d3943f4a7ee038c1728c2c3';
const ART = `file:///Users/muskaanjain/Downloads/Data_ML_Ops/MLOps_CA2_Iris/mlruns/${EXP}`;
const SOURCE = `${ART}/${SVM}/artifacts/model`;

const VERSION_1 = {
  name: 'SVMClassifier', version: '1', creation_timestamp: 1731484679925, last_updated_timestamp: 1731484679925, current_stage: 'None', description: '',
  source: SOURCE, run_id: SVM, status: 'READY', tags: [], run_link: '', aliases: [],
};

t.test('experiments: search (ACTIVE_ONLY, paged), get, get-by-name — exact JSON', async (t) => {
  const s = await serve(t, copyFixture(t.testdir()));
  const exp = { experiment_id: EXP, name: 'MLOps_CA_2', artifact_location: ART, lifecycle_stage: 'active', last_update_time: 1731482031581, creation_time: 1731482031581, tags: [] };
  const dflt = { experiment_id: '0', name: 'Default', artifact_location: 'mlflow-artifacts:/0', lifecycle_stage: 'active', last_update_time: 1731481171161, creation_time: 1731481171161, tags: [] };
  // the file store lists newest first (creation_time DESC, as MLflow's search_experiments)
  t.same(await call(s, 'POST', 'experiments/search', { max_results: 10 }), { status: 200, json: { experiments: [exp, dflt] } });
  const first = await call(s, 'GET', 'experiments/search', { max_results: 1 });
  t.same(first.json.experiments, [exp]);
  t.type(first.json.next_page_token, 'string');
  t.same(await call(s, 'POST', 'experiments/search', { max_results: 1, page_token: first.json.next_page_token }), { status: 200, json: { experiments: [dflt] } });
  t.same(await call(s, 'POST', 'experiments/search', { filter: "name LIKE 'MLOps%'" }), { status: 200, json: { experiments: [exp] } });
  t.same(await call(s, 'POST', 'experiments/search', { view_type: 'DELETED_ONLY' }), { status: 200, json: { experiments: [] } });
  t.same(await call(s, 'POST', 'experiments/search', { order_by: ['name DESC'] }), { status: 200, json: { experiments: [exp, dflt] } });
  t.same(await call(s, 'POST', 'experiments/search', { order_by: ['creation_time ASC'], max_results: 1 }), { status: 200, json: { experiments: [dflt], next_page_token: first.json.next_page_token } });
  t.same(await call(s, 'POST', 'experiments/search', { order_by: ['size DESC'] }), {
    status: 400,
    json: { error_code: 'INVALID_PARAMETER_VALUE', message: `POST /api/2.0/mlflow/experiments/search: expected '<key> [ASC|DESC]' with a key among name, experiment_id, creation_time, last_update_time for order_by[0], got "size DESC" (string)` },
  });
  t.same(await call(s, 'GET', 'experiments/get', { experiment_id: EXP }), { status: 200, json: { experiment: exp } });
  t.same(await call(s, 'GET', 'experiments/get-by-name', { experiment_name: 'MLOps_CA_2' }), { status: 200, json: { experiment: exp } });
  const ajax = await fetch(`${s.url}/ajax-api/2.0/mlflow/experiments/get?experiment_id=${EXP}`);
  t.same(await ajax.json(), { experiment: exp }, 'the /ajax-api alias answers the same');
});

t.test('runs: get (latest metric entries, tags), search with filter, order_by and pages, metric history, artifacts list', async (t) => {
  const s = await serve(t, copyFixture(t.testdir()));
  const got = await call(s, 'GET', 'runs/get', { run_id: RUN });
  t.equal(got.status, 200);
  const run = got.json.run as { info: unknown; data: { metrics: unknown[]; params: unknown[]; tags: { key: string; value: string }[] }; inputs: unknown };
  t.same(run.info, {
    run_id: RUN, run_uuid: RUN, run_name: 'DT', experiment_id: EXP, user_id: 'muskaanjain', status: 'FINISHED', start_time: 1731484475675, end_time: 1731484481801,
    artifact_uri: `${ART}/${RUN}/artifacts`, lifecycle_stage: 'active',
  });
  t.same(run.data.metrics, [
    { key: 'metric_0', value: 0.9333333333333333, timestamp: 1731484475712, step: 0 }, { key: 'metric_1', value: 0.9166666666666666, timestamp: 1731484475716, step: 0 },
    { key: 'metric_2', value: 0.9166666666666666, timestamp: 1731484475718, step: 0 }, { key: 'metric_3', value: 0.0572049617767334, timestamp: 1731484475786, step: 0 },
  ]);
  t.same(run.data.params, []);
  t.same(run.data.tags.map((kv) => kv.key), ['mlflow.log-model.history', 'mlflow.runName', 'mlflow.source.git.commit', 'mlflow.source.name', 'mlflow.source.type', 'mlflow.user', 'tag1', 'tag2', 'tag3']);
  t.same(run.data.tags.find((kv) => kv.key === 'mlflow.runName'), { key: 'mlflow.runName', value: 'DT' });
  t.same(run.inputs, { dataset_inputs: [] });
  t.same((await call(s, 'GET', 'runs/get', { run_uuid: RUN })).json, got.json, 'the legacy run_uuid parameter');

  const all = await call(s, 'POST', 'runs/search', { experiment_ids: [EXP] });
  const ids = (all.json.runs as { info: { run_id: string } }[]).map((r) => r.info.run_id);
  t.equal(ids.length, 13);
  t.equal(all.json.next_page_token, undefined);
  const p1 = await call(s, 'POST', 'runs/search', { experiment_ids: [EXP], max_results: 5 });
  const p2 = await call(s, 'POST', 'runs/search', { experiment_ids: [EXP], max_results: 5, page_token: p1.json.next_page_token });
  const p3 = await call(s, 'POST', 'runs/search', { experiment_ids: [EXP], max_results: 5, page_token: p2.json.next_page_token });
  t.same([...p1.json.runs as { info: { run_id: string } }[], ...p2.json.runs as [], ...p3.json.runs as []].map((r: { info: { run_id: string } }) => r.info.run_id), ids, 'three pages give the same runs in order');
  t.equal(p3.json.next_page_token, undefined);
  const best = await call(s, 'POST', 'runs/search', { experiment_ids: [EXP], filter: 'metrics.metric_0 >= 0.975', order_by: ['metrics.metric_0 DESC'] });
  t.same((best.json.runs as { info: { run_name: string } }[]).map((r) => r.info.run_name).sort(), ['RF', 'RF', 'RandomForest', 'righteous-zebra-248', 'suave-boar-183']);
  const dt = await call(s, 'GET', 'runs/search', { experiment_ids: EXP, filter: "tags.mlflow.runName = 'DT'" });
  t.same((dt.json.runs as { info: { run_id: string } }[]).map((r) => r.info.run_id), [RUN], 'GET with a single experiment_ids value');

  t.same(await call(s, 'GET', 'metrics/get-history', { run_id: RUN, metric_key: 'metric_0' }), { status: 200, json: { metrics: [{ key: 'metric_0', value: 0.9333333333333333, timestamp: 1731484475712, step: 0 }] } });
  t.same(await call(s, 'GET', 'artifacts/list', { run_id: RUN }), { status: 200, json: { root_uri: `${ART}/${RUN}/artifacts`, files: [{ path: 'model', is_dir: true }] } });
  t.same(await call(s, 'GET', 'artifacts/list', { run_id: RUN, path: 'model' }), {
    status: 200,
    json: {
      root_uri: `${ART}/${RUN}/artifacts`,
      files: [{ path: 'model/MLmodel', is_dir: false, file_size: 526 }, { path: 'model/conda.yaml', is_dir: false, file_size: 211 }, { path: 'model/python_env.yaml', is_dir: false, file_size: 114 }, { path: 'model/requirements.txt', is_dir: false, file_size: 94 }],
    },
  });
});

t.test('registry: registered-models get and search, model-versions get, search, latest versions, download uri', async (t) => {
  const s = await serve(t, copyFixture(t.testdir()));
  const model = { name: 'SVMClassifier', creation_timestamp: 1731484679780, last_updated_timestamp: 1731484679925, description: '', latest_versions: [VERSION_1], tags: [], aliases: [] };
  t.same(await call(s, 'GET', 'registered-models/get', { name: 'SVMClassifier' }), { status: 200, json: { registered_model: model } });
  t.same(await call(s, 'GET', 'registered-models/search', { filter: "name LIKE 'SVM%'" }), { status: 200, json: { registered_models: [model] } });
  t.same(await call(s, 'GET', 'registered-models/search', { filter: "name = 'nope'" }), { status: 200, json: { registered_models: [] } });
  t.same(await call(s, 'GET', 'model-versions/get', { name: 'SVMClassifier', version: '1' }), { status: 200, json: { model_version: VERSION_1 } });
  t.same(await call(s, 'GET', 'model-versions/search', { filter: `run_id = '${SVM}'` }), { status: 200, json: { model_versions: [VERSION_1] } });
  t.same(await call(s, 'POST', 'registered-models/get-latest-versions', { name: 'SVMClassifier', stages: ['None'] }), { status: 200, json: { model_versions: [VERSION_1] } });
  t.same(await call(s, 'GET', 'registered-models/get-latest-versions', { name: 'SVMClassifier', stages: 'Production' }), { status: 200, json: { model_versions: [] } });
  t.same(await call(s, 'GET', 'model-versions/get-download-uri', { name: 'SVMClassifier', version: '1' }), { status: 200, json: { artifact_uri: SOURCE } });
});

t.test('the fixture store answers writes too: a run created and logged into the 2.16 experiment', async (t) => {
  const s = await serve(t, copyFixture(t.testdir()));
  const created = await call(s, 'POST', 'runs/create', { experiment_id: EXP, user_id: 'ana', run_name: 'rest', start_time: 1700000000000, tags: [{ key: 'team', value: 'ml' }] });
  t.equal(created.status, 200);
  const id = (created.json.run as { info: { run_id: string } }).info.run_id;
  t.match(id, /^[0-9a-f]{32}$/);
  t.same((await call(s, 'POST', 'runs/log-metric', { run_id: id, key: 'metric_0', value: 0.99, timestamp: '1700000000001' })).json, {}, 'int64 as a decimal string');
  const best = await call(s, 'POST', 'runs/search', { experiment_ids: [EXP], order_by: ['metrics.metric_0 DESC'], max_results: 1 });
  t.same((best.json.runs as { info: { run_name: string } }[]).map((r) => r.info.run_name), ['rest']);
});

t.test('a damaged store: the broken run is a 500 naming the file and line, searches answer with the rest', async (t) => {
  const root = copyFixture(t.testdir());
  const file = join(root, EXP, RUN, 'metrics', 'metric_0');
  appendFileSync(file, 'garbage line\n');
  const s = await serve(t, root);
  t.same(await call(s, 'GET', 'runs/get', { run_id: RUN }), {
    status: 500,
    json: { error_code: 'INTERNAL_ERROR', message: `${file}:2: malformed MLflow store file: expected '<timestamp> <value> <step>' (integer, number, integer), got "garbage line"` },
  });
  const rest = await call(s, 'POST', 'runs/search', { experiment_ids: [EXP] });
  t.equal(rest.status, 200);
  t.equal((rest.json.runs as unknown[]).length, 12, 'the 12 other runs');
});
