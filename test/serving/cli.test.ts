// The `kindling` command (bin/kindling.mjs → ts/cli.ts) as a child process: `serve` starts on a
// random loopback port, answers, and stops on SIGTERM with exit code 0; bad command lines and a
// missing model exit non-zero with the error on stderr.
import t from 'tap';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { KMeansModel, saveModel } from '../../ts/ml/index.js';

const BIN = fileURLToPath(new URL('../../bin/kindling.mjs', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'kindling-cli-'));
t.teardown(() => rmSync(tmp, { recursive: true, force: true }));
const dir = join(tmp, 'km');
await saveModel(new KMeansModel({ clusterCenters: [[0, 0], [10, 10]] }), dir);

function run(args: string[], onLine?: (line: string, stop: () => void) => void): Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => {
      stdout += c;
      if (onLine && stdout.includes('\n')) onLine(stdout, () => child.kill('SIGTERM'));
    });
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.on('exit', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

t.test('kindling serve <dir> --port 0: answers on loopback, stops on SIGTERM', async (t) => {
  let url = '';
  let answer: unknown = null;
  let started = false;
  const out = await run(['serve', dir, '--port', '0'], (line, stop) => {
    if (started) return;
    started = true;
    url = /at (http:\/\/127\.0\.0\.1:\d+) /.exec(line)?.[1] ?? '';
    void (async () => {
      try {
        const r = await fetch(`${url}/invocations`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ instances: [[1, 1], [9, 8]] }) });
        answer = [r.status, await r.json(), (await fetch(`${url}/ping`)).status];
      } finally {
        stop();
      }
    })();
  });
  t.match(out.stdout, new RegExp(`^kindling serve: ${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} at http://127\\.0\\.0\\.1:\\d+ \\(POST /invocations, GET /ping /health /version\\)\\n$`));
  t.same(answer, [200, { predictions: [0, 1] }, 200]);
  t.equal(out.code, 0, out.stderr);
});

t.test('kindling server --port 0: the tracking server answers on loopback, stops on SIGTERM', async (t) => {
  let answer: unknown = null;
  let started = false;
  const out = await run(['server', '--backend-store-uri', join(tmp, 'mlruns'), '--port', '0'], (line, stop) => {
    if (started) return;
    started = true;
    const url = /at (http:\/\/127\.0\.0\.1:\d+) /.exec(line)?.[1] ?? '';
    void (async () => {
      try {
        const r = await fetch(`${url}/api/2.0/mlflow/experiments/search`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"max_results": 10}' });
        const body = (await r.json()) as { experiments: Array<{ name: string }> };
        answer = [r.status, body.experiments.map((e) => e.name), (await fetch(`${url}/health`)).status];
      } finally {
        stop();
      }
    })();
  });
  t.match(out.stdout, /^kindling tracking server at http:\/\/127\.0\.0\.1:\d+ \(UI at /);
  t.same(answer, [200, ['Default'], 200]);
  t.equal(out.code, 0, out.stderr);
});

t.test('bad command lines', async (t) => {
  const none = await run([]);
  t.equal(none.code, 2);
  t.equal(none.stdout, 'usage: kindling serve <model-uri> [--port 8080] [--host 127.0.0.1] [--max-body-bytes N]\nusage: kindling server [--backend-store-uri ./mlruns] [--port 5000] [--host 127.0.0.1] [--max-body-bytes 1048576]\n');
  const unknown = await run(['train']);
  t.equal(unknown.code, 2);
  t.match(unknown.stderr, /^kindling: unknown command "train" \(commands: serve, server\)\n/);
  const noUri = await run(['serve']);
  t.equal(noUri.code, 1);
  t.match(noUri.stderr, /^ERR_KINDLING_INVALID_ARG: kindling serve: expected one model URI, got 0\n/);
  const badPort = await run(['serve', dir, '--port', 'x']);
  t.equal(badPort.code, 1);
  t.equal(badPort.stderr, 'ERR_KINDLING_INVALID_ARG: kindling: expected an integer for --port, got "x"\n');
  const missing = await run(['serve', join(tmp, 'nope'), '--port', '0']);
  t.equal(missing.code, 1);
  t.equal(missing.stderr, `ERR_KINDLING_LOAD: loadModel: ${join(tmp, 'nope')} is not an MLflow model directory: cannot read ${join(tmp, 'nope', 'MLmodel')} (ENOENT)\n`);
  const badOption = await run(['serve', dir, '--bogus']);
  t.equal(badOption.code, 1);
  t.match(badOption.stderr, /^ERR_KINDLING_INVALID_ARG: kindling serve: Unknown option '--bogus'/);
  const badServer = await run(['server', '--port', 'x']);
  t.equal(badServer.code, 1);
  t.match(badServer.stderr, /^ERR_KINDLING_INVALID_ARG: kindling server: expected an integer in \[0, 65535\] for --port, got "x"/);
});
