// The scoring server (ts/ml/serving/scoring-server.ts) on loopback, random port: every MLflow
// input format and CSV, /ping /health /version, each bad request of the "Bad input" list
// with its exact status and MLflow error JSON (a 100 MB body refused with 413 before it is read),
// other routes, methods and content types, and concurrent requests.
import t from 'tap';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as arrow from 'apache-arrow';
import { Session } from '../../ts/src/index.js';
import { KMeansModel, denseVectorColumn, kindlingVersion, loadModel, saveCustomModel, saveModel } from '../../ts/ml/index.js';
import { serveModel, type ScoringServer } from '../../ts/ml/serving/scoring-server.js';

const tmp = mkdtempSync(join(tmpdir(), 'kindling-serving-'));
t.teardown(() => rmSync(tmp, { recursive: true, force: true }));
const spark = await Session.builder().appName('serving-test').master('local').getOrCreate();
t.teardown(() => spark.stop());

// a KMeans model (row path, a vector input) and a custom model over two double columns
const km = new KMeansModel({ clusterCenters: [[0, 0], [10, 10]] });
await saveModel(km, join(tmp, 'km'), { inputExample: spark.createDataFrame(new arrow.Table({ features: arrow.makeVector(denseVectorColumn(Float64Array.from([0, 0, 9, 9]), 2) as never) })) });
writeFileSync(join(tmp, 'factor.txt'), '3');
await saveCustomModel({ module: new URL('../fixtures/models/scale-model.mjs', import.meta.url).href, name: 'ScaleModel' }, join(tmp, 'scale'), {
  artifacts: { factor: join(tmp, 'factor.txt') },
  signature: { inputs: [{ type: 'double', name: 'x', required: true }, { type: 'double', name: 'y', required: true }], outputs: [{ type: 'double', required: true }] },
});
const kmServer = await serveModel(join(tmp, 'km'), { port: 0 });
const scaleServer = await serveModel(await loadModel(join(tmp, 'scale')), { port: 0 });
t.teardown(() => Promise.all([kmServer.close(), scaleServer.close()]));

async function post(s: ScoringServer, body: string, type = 'application/json'): Promise<{ status: number; json: unknown }> {
  const r = await fetch(`${s.url}/invocations`, { method: 'POST', headers: { 'content-type': type }, body });
  return { status: r.status, json: await r.json() };
}

t.test('binds to loopback; /ping, /health, /version', async (t) => {
  t.equal(kmServer.host, '127.0.0.1');
  for (const p of ['/ping', '/health']) {
    const r = await fetch(`${kmServer.url}${p}`);
    t.equal(r.status, 200, p);
    t.equal(await r.text(), '\n', p);
  }
  const v = await fetch(`${kmServer.url}/version`);
  t.equal(v.status, 200);
  t.equal(await v.text(), kindlingVersion());
});

t.test('every MLflow input format, and CSV', async (t) => {
  const pts = [[0, 1], [9, 11], [1, 0]];
  const expected = { status: 200, json: { predictions: [0, 1, 0] } };
  t.same(await post(kmServer, JSON.stringify({ dataframe_split: { columns: ['features'], data: pts.map((p) => [p]) } })), expected);
  t.same(await post(kmServer, JSON.stringify({ dataframe_split: { columns: ['features'], index: [0, 1, 2], data: pts.map((p) => [p]) } })), expected);
  t.same(await post(kmServer, JSON.stringify({ dataframe_records: pts.map((p) => ({ features: p })) })), expected);
  t.same(await post(kmServer, JSON.stringify({ instances: pts.map((p) => ({ features: p })) })), expected);
  t.same(await post(kmServer, JSON.stringify({ instances: pts })), expected);
  t.same(await post(kmServer, JSON.stringify({ inputs: { features: pts } })), expected);
  t.same(await post(kmServer, JSON.stringify({ inputs: pts })), expected);
  t.same(await post(scaleServer, JSON.stringify({ dataframe_split: { columns: ['y', 'x'], data: [[0.5, 1], [0, 2]] } })), { status: 200, json: { predictions: [3.5, 6] } });
  t.same(await post(scaleServer, 'x,y\n1,0.5\n2,0\n', 'text/csv'), { status: 200, json: { predictions: [3.5, 6] } });
  t.same(await post(scaleServer, JSON.stringify({ dataframe_records: [] })), { status: 200, json: { predictions: [] } });
});

t.test('bad input: 400 with MLflow error JSON naming what is wrong', async (t) => {
  const sig = "the model's signature (x, y)";
  t.same(await post(scaleServer, JSON.stringify({ dataframe_split: { columns: ['x'], data: [[1]] } })), { status: 400, json: { error_code: 'INVALID_PARAMETER_VALUE', message: `scoring: missing column y required by ${sig}` } });
  t.same(await post(scaleServer, JSON.stringify({ dataframe_records: [{ x: 1, y: 2, z: 3, w: 4 }] })), { status: 400, json: { error_code: 'INVALID_PARAMETER_VALUE', message: `scoring: columns z, w not in ${sig}` } });
  t.same(await post(scaleServer, JSON.stringify({ dataframe_records: [{ x: 1, y: 2 }, { x: 'a', y: 2 }] })), { status: 400, json: { error_code: 'INVALID_PARAMETER_VALUE', message: 'scoring: row 1 of column x must be double, got "a" (string)' } });
  t.same(await post(scaleServer, JSON.stringify({ dataframe_records: [{ x: null, y: 2 }] })), { status: 400, json: { error_code: 'INVALID_PARAMETER_VALUE', message: 'scoring: row 0 of column x is null, but the signature requires a value' } });
  t.same(await post(kmServer, JSON.stringify({ instances: [[1, 'b']] })), { status: 400, json: { error_code: 'INVALID_PARAMETER_VALUE', message: 'scoring: row 0 of column features must be sparkml_vector, got Array(2) (object)' } });
  t.same(await post(scaleServer, ''), { status: 400, json: { error_code: 'BAD_REQUEST', message: 'the request body is empty; send a JSON object with one of dataframe_split, dataframe_records, instances, inputs' } });
  const bad = await post(scaleServer, '{"dataframe_split": {');
  t.equal(bad.status, 400);
  t.equal((bad.json as { error_code: string }).error_code, 'BAD_REQUEST');
  t.match((bad.json as { message: string }).message, /^malformed JSON in the request body: /);
  t.same(await post(scaleServer, JSON.stringify({ data: [[1, 2]] })), { status: 400, json: { error_code: 'BAD_REQUEST', message: 'scoring: expected exactly one of dataframe_split, dataframe_records, instances, inputs (got keys data) for the request, got Object (object)' } });
  t.same(await post(scaleServer, JSON.stringify({ dataframe_split: { columns: ['x', 'y'], data: [[1]] } })), { status: 400, json: { error_code: 'BAD_REQUEST', message: 'scoring: expected dataframe_split.data[0] as a list of 2 values for the request, got Array(1) (object)' } });
  t.same(await post(scaleServer, 'x,y\n1\n', 'text/csv'), { status: 400, json: { error_code: 'BAD_REQUEST', message: 'CSV line 2 has 1 fields, the header has 2' } });
  t.same(await post(scaleServer, '{}', 'text/plain'), { status: 415, json: { error_code: 'BAD_REQUEST', message: 'content type "text/plain" is not supported; send application/json or text/csv' } });
  const r404 = await fetch(`${scaleServer.url}/predict`);
  t.same([r404.status, await r404.json()], [404, { error_code: 'ENDPOINT_NOT_FOUND', message: 'no endpoint /predict; the scoring server has POST /invocations, GET /ping, /health, /version' }]);
  const r405 = await fetch(`${scaleServer.url}/invocations`);
  t.same([r405.status, await r405.json()], [405, { error_code: 'BAD_REQUEST', message: 'GET /invocations: use POST' }]);
});

/** Streams `total` bytes (chunked, or with a Content-Length) and stops at the answer; resolves the answer and the bytes sent by then. */
function sendLarge(s: ScoringServer, total: number, withLength: boolean): Promise<{ status: number; json: unknown; sent: number }> {
  return new Promise((resolve, reject) => {
    let sent = 0;
    let answered = false;
    const headers: Record<string, string | number> = { 'content-type': 'application/json' };
    if (withLength) headers['content-length'] = total;
    const req = request(`${s.url}/invocations`, { method: 'POST', headers }, (res) => {
      answered = true;
      const at = sent;
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode!, json: JSON.parse(text), sent: at }));
    });
    req.on('error', (e) => (answered ? undefined : reject(e)));
    const chunk = Buffer.alloc(1 << 20, 0x20);
    const pump = () => {
      while (!answered && sent < total) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      if (!answered) req.end();
    };
    pump();
  });
}

t.test('a 100 MB body: 413 before it is read, and the server goes on', async (t) => {
  const limit = 20 * 1024 * 1024;
  const chunked = await sendLarge(scaleServer, 100 * 1024 * 1024, false);
  t.equal(chunked.status, 413);
  t.match(chunked.json, { error_code: 'RESOURCE_LIMIT_EXCEEDED', message: new RegExp(`^the request body \\(\\d+ bytes or more\\) is over the limit of ${limit} bytes$`) });
  t.ok(chunked.sent < 40 * 1024 * 1024, `refused after ${chunked.sent} bytes of 100 MB`);
  const declared = await sendLarge(scaleServer, 100 * 1024 * 1024, true);
  t.same({ status: declared.status, json: declared.json }, { status: 413, json: { error_code: 'RESOURCE_LIMIT_EXCEEDED', message: `the request body (104857600 bytes or more) is over the limit of ${limit} bytes` } });
  t.ok(declared.sent < 40 * 1024 * 1024, `refused from its Content-Length after ${declared.sent} bytes`);
  t.equal((await fetch(`${scaleServer.url}/ping`)).status, 200);
});

t.test('concurrent requests each get their own answer', async (t) => {
  const answers = await Promise.all(Array.from({ length: 64 }, (_, i) => post(scaleServer, JSON.stringify({ dataframe_split: { columns: ['x', 'y'], data: [[i, 1]] } }))));
  t.same(answers, Array.from({ length: 64 }, (_, i) => ({ status: 200, json: { predictions: [3 * i + 1] } })));
  const mixed = await Promise.all([post(kmServer, '{'), post(kmServer, JSON.stringify({ instances: [[9, 9]] })), post(kmServer, '')]);
  t.same(mixed.map((a) => a.status), [400, 200, 400]);
});

t.test('a model that throws: 500 INTERNAL_ERROR, and the server goes on', async (t) => {
  const dir = join(tmp, 'failing');
  await saveCustomModel({ module: new URL('../fixtures/models/scale-model.mjs', import.meta.url).href, name: 'FailingModel' }, dir);
  const s = await serveModel(dir, { port: 0 });
  t.teardown(() => s.close());
  t.same(await post(s, JSON.stringify({ dataframe_records: [{ x: 2 }] }), 'application/json; charset=utf-8'), { status: 200, json: { predictions: [2] } });
  t.same(await post(s, JSON.stringify({ dataframe_records: [{ x: -1 }] })), { status: 500, json: { error_code: 'INTERNAL_ERROR', message: 'the model failed to predict: negative x: -1' } });
  t.equal((await fetch(`${s.url}/ping`)).status, 200);
});

t.test('serveModel checks its options', async (t) => {
  await t.rejects(serveModel(join(tmp, 'km'), { port: 70000 }), { code: 'ERR_KINDLING_INVALID_ARG', message: 'serveModel: expected an integer port in [0, 65535] for port, got 70000 (number)' });
  await t.rejects(serveModel(join(tmp, 'km'), { port: kmServer.port }), { code: 'ERR_KINDLING_LOAD', message: new RegExp(`^serveModel: cannot listen on 127\\.0\\.0\\.1:${kmServer.port}: .*EADDRINUSE`) });
});
