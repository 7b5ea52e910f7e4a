// searchRuns over the MLflow 2.16 fixture (13 runs) and 2.22 (params): MLflow's filter grammar
// (metrics/params/tags/attributes, =, !=, <, <=, >, >=, LIKE, ILIKE, IN, NOT IN, AND, backticked
// keys), a run without the key never matching, order-by keys applied after the default order
// (start_time DESC) with missing values last, maxResults; parse errors naming the position.
import t from 'tap';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tracking } from '../../../ts/ml/index.js';

const FIX = fileURLToPath(new URL('../../../../shared/fixtures/mlflow/', import.meta.url));
const E = '853099972095872099';
/** Runs are named by the first four hex digits of their ids (unique in the 2.16 fixture). */
async function ids(filter: string, orderBy?: string[], maxResults?: number): Promise<string[]> {
  const runs = await tracking.searchRuns({ experimentIds: [E], filter, orderBy, maxResults });
  return runs.map((r) => r.info.runId.slice(0, 4));
}

t.before(() => tracking.setTrackingUri(join(FIX, 'filestore-mlflow-2.16-with-registry', 'mlruns')));

t.test('filters', async (t) => {
  t.same(await ids(''), ['8595', 'ffc6', '7a97', '1c00', '425b', '4ef5', '41d7', '2716', '2f0a', 'da1c', 'c837', 'af5c', 'c744'], 'default order: start_time DESC');
  t.same(await ids('metrics.metric_0 > 0.97'), ['425b', '4ef5', 'c837', 'af5c', 'c744']);
  t.same(await ids("metrics.metric_0 > 0.97 and tags.tag1 = 'SVM'"), ['425b', '4ef5']);
  t.same(await ids("tags.tag1 LIKE 'Random%'"), ['c837', 'af5c', 'c744']);
  t.same(await ids("tags.tag1 LIKE 'random%'"), [], 'LIKE is case-sensitive');
  t.same(await ids("tags.tag1 ILIKE 'random_forest'"), ['c837', 'af5c', 'c744'], "ILIKE, '_' one character");
  t.same(await ids("tags.tag1 != 'SVM'"), ['8595', '7a97', '1c00', '2f0a', 'da1c', 'c837', 'af5c', 'c744']);
  t.same(await ids("attributes.run_name IN ('RF', 'DT')"), ['1c00', '425b', '4ef5']);
  t.same((await ids("attributes.run_name NOT IN ('RF', 'DT', \"SVM\")")).length, 8);
  t.same(await ids('metrics.metric_4 != 0'), ['425b', '4ef5'], 'a run without the metric never matches, even !=');
  t.same(await ids('metrics.`metric_3` < 0.1'), ['8595', 'ffc6', '7a97', '1c00'], 'backticked key');
  t.same(await ids('metrics."metric_3" <= 0.0227'), ['8595'], 'double-quoted key');
  t.same(await ids('attributes.start_time >= 1731484475675'), ['8595', 'ffc6', '7a97', '1c00']);
  t.same((await ids("attributes.status = 'FINISHED'")).length, 13);
  t.same(await ids("attributes.run_id = '4ef5854252b74eaead2df1501e3dd622'"), ['4ef5']);
  t.same(await ids("run_name = 'RF' and start_time < 1731484378090"), ['4ef5'], 'bare names are attributes');
  t.same(await ids("tags.`mlflow.runName` = 'DT' AND metrics.metric_0 = 0.9333333333333333"), ['1c00']);
});

t.test('order by and maxResults', async (t) => {
  t.same(await ids('', ['metrics.metric_3 ASC'], 5), ['8595', '7a97', 'ffc6', '1c00', '425b']);
  t.same(await ids('', ['metrics.metric_3 DESC']), ['425b', '4ef5', 'c837', 'af5c', 'c744', '1c00', 'ffc6', '7a97', '8595', '41d7', '2716', '2f0a', 'da1c'], 'ties keep the default order; missing values last');
  t.same(await ids('', ['tags.tag1', 'attributes.start_time ASC']), ['2f0a', '1c00', '7a97', 'da1c', 'c744', 'af5c', 'c837', '2716', '41d7', '4ef5', '425b', 'ffc6', '8595']);
  t.same(await ids('metrics.metric_0 > 0.97', ['attributes.run_name DESC']), ['af5c', 'c744', 'c837', '425b', '4ef5'], 'run names by code unit, descending: suave-boar-183, righteous-zebra-248, RandomForest, RF, RF');
});

t.test('params and the view type (MLflow 2.22 store)', async (t) => {
  const runs = (filter: string, extra: object = {}) => tracking.searchRuns({ experimentIds: ['0'], filter, ...extra }).then((rs) => rs.map((r) => r.info.runName));
  t.same(await tracking.searchRuns({ experimentIds: ['0'], filter: "params.alpha = '0.1'" }).then((rs) => rs.length), 0, 'another store is not searched');
  tracking.setTrackingUri(join(FIX, 'filestore-mlflow-2.22-params-signature', 'mlruns'));
  t.same(await runs("params.alpha = '0.1'"), ['wise-roo-476']);
  t.same(await runs("params.alpha = '0.5' and metrics.rmse < 0.8 and attributes.status = 'RUNNING'"), ['abrasive-donkey-377', 'carefree-pig-210', 'gregarious-roo-26', 'loud-colt-529']);
  t.same(await runs("params.l1_ratio != '0.5'"), ['wise-roo-476']);
  t.same(await runs('', { runViewType: 'DELETED_ONLY' }), []);
  tracking.setTrackingUri(join(FIX, 'filestore-mlflow-2.16-with-registry', 'mlruns'));
});

t.test('bad filters and order-by entries name the position', async (t) => {
  const bad = async (filter: string, message: string, orderBy?: string[]) =>
    t.rejects(tracking.searchRuns({ experimentIds: [E], filter, orderBy }), { code: 'ERR_KINDLING_INVALID_ARG', message }, filter || orderBy!.join());
  await bad("params.alpha = 0.1", 'searchRuns: expected a quoted string value for params.alpha at position 0 for filter, got "params.alpha = 0.1" (string)');
  await bad("metrics.rmse < '1'", `searchRuns: expected a numeric value for metrics.rmse at position 0 for filter, got "metrics.rmse < '1'" (string)`);
  await bad("metrics.rmse LIKE '1%'", `searchRuns: expected a comparator among =, !=, <, <=, >, >= for metrics.rmse at position 0 (found LIKE) for filter, got "metrics.rmse LIKE '1%'" (string)`);
  await bad("params.a > '1'", `searchRuns: expected a comparator among =, !=, LIKE, ILIKE for params.a at position 0 (found >) for filter, got "params.a > '1'" (string)`);
  await bad("metrics.a < 1 OR metrics.b < 1", `searchRuns: expected AND (OR is not supported by MLflow's search) at position 14 (found "OR") for filter, got "metrics.a < 1 OR metrics.b < 1" (string)`);
  await bad('rmse < 1', 'searchRuns: expected an attribute among run_id, run_name, status, user_id, artifact_uri, experiment_id, lifecycle_stage, start_time, end_time, created at position 0 (found "rmse") for filter, got "rmse < 1" (string)');
  await bad("metricz.rmse < 1", 'searchRuns: expected an identifier starting with metrics., params., tags. or attributes. at position 0 (found "metricz.rmse") for filter, got "metricz.rmse < 1" (string)');
  await bad('metrics.a <', 'searchRuns: expected a value (a quoted string or a number) at position 11 (end of input) for filter, got "metrics.a <" (string)');
  await bad("params.a = 'x", `searchRuns: expected a closing ' for the quote at position 11 for filter, got "params.a = 'x" (string)`);
  await bad('metrics.a = 1 and', 'searchRuns: expected an identifier such as metrics.rmse or params.alpha at position 17 (end of input) for filter, got "metrics.a = 1 and" (string)');
  await bad('metrics.a ~ 1', 'searchRuns: expected a valid token at position 10 (unexpected "~") for filter, got "metrics.a ~ 1" (string)');
  await bad("attributes.foo = 'x'", `searchRuns: expected an attribute among run_id, run_name, status, user_id, artifact_uri, experiment_id, lifecycle_stage, start_time, end_time, created at position 0 (found "foo") for filter, got "attributes.foo = 'x'" (string)`);
  await bad("tags.t IN ('a')", `searchRuns: expected a comparator among =, !=, LIKE, ILIKE for tags.t at position 0 (found IN) for filter, got "tags.t IN ('a')" (string)`);
  await bad('', 'searchRuns: expected the end of the order-by entry (after ASC or DESC) at position 13 (found "DOWN") for orderBy, got "metrics.rmse DOWN" (string)', ['metrics.rmse DOWN']);
  await t.rejects(tracking.searchRuns({ experimentIds: [E], maxResults: 0 }), { code: 'ERR_KINDLING_INVALID_ARG', message: 'searchRuns: expected an integer in [1, 50000] for maxResults, got 0 (number)' });
  await t.rejects(tracking.searchRuns({ experimentIds: E as never }), { code: 'ERR_KINDLING_INVALID_ARG', message: `searchRuns: expected an array of experiment ids for experimentIds, got "${E}" (string)` });
  await t.rejects(tracking.searchRuns({ experimentIds: [E], orderBy: 'metrics.rmse' as never }), { code: 'ERR_KINDLING_INVALID_ARG', message: `searchRuns: expected an array such as ['metrics.rmse DESC'] for orderBy, got "metrics.rmse" (string)` });
  await t.rejects(tracking.searchRuns({ experimentIds: ['404'] }), { code: 'ERR_KINDLING_NOT_FOUND', message: /^searchRuns: experiment '404'/ });
});
