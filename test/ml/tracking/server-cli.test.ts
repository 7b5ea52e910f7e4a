// `kindling server` (ts/ml/tracking/server/cli.ts): flags parsed into a running loopback server
// over the backend store, --help, and every bad flag a coded error naming it.
import t from 'tap';
import { join } from 'node:path';
import { runServerCommand, SERVER_USAGE } from '../../../ts/ml/tracking/server/cli.js';

t.test('--backend-store-uri, --port 0 and --host start a server answering the REST API over that store', async (t) => {
  const lines: string[] = [];
  const s = await runServerCommand(['--backend-store-uri', join(t.testdir(), 'mlruns'), '--port', '0', '--host', '127.0.0.1'], (l) => lines.push(l));
  t.ok(s);
  t.teardown(() => s!.close());
  t.match(s!.url, /^http:\/\/127\.0\.0\.1:\d+$/);
  t.same(lines, [`kindling tracking server at ${s!.url} (UI at ${s!.url}/, REST API at ${s!.url}/api/2.0/mlflow/)`]);
  const res = await fetch(`${s!.url}/api/2.0/mlflow/experiments/search`, { method: 'POST', body: '{}' });
  t.match(await res.json(), { experiments: [{ experiment_id: '0', name: 'Default' }] });
});

t.test('--help prints the usage; bad flags are ERR_KINDLING_INVALID_ARG naming the flag', async (t) => {
  const lines: string[] = [];
  t.equal(await runServerCommand(['--help'], (l) => lines.push(l)), null);
  t.same(lines, [SERVER_USAGE]);
  await t.rejects(runServerCommand(['--port', 'http']), { code: 'ERR_KINDLING_INVALID_ARG', message: 'kindling server: expected an integer in [0, 65535] for --port, got "http" (string)' });
  await t.rejects(runServerCommand(['--port', '70000']), { code: 'ERR_KINDLING_INVALID_ARG', message: /for --port, got "70000"/ });
  await t.rejects(runServerCommand(['--max-body-bytes', '0']), { code: 'ERR_KINDLING_INVALID_ARG', message: /for --max-body-bytes, got "0"/ });
  await t.rejects(runServerCommand(['--bogus']), { code: 'ERR_KINDLING_INVALID_ARG', message: /^kindling server: expected usage: kindling server .*Unknown option '--bogus'.* for arguments/ });
  await t.rejects(runServerCommand(['--backend-store-uri', 'ftp://x']), { code: 'ERR_KINDLING_INVALID_ARG', message: /for uri, got "ftp:\/\/x"/ });
});

t.test('a port in use is ERR_KINDLING_TRANSPORT naming host and port', async (t) => {
  const s = await runServerCommand(['--backend-store-uri', join(t.testdir(), 'a'), '--port', '0'], () => {});
  t.teardown(() => s!.close());
  const port = new URL(s!.url).port;
  await t.rejects(runServerCommand(['--backend-store-uri', join(t.testdirName, 'b'), '--port', port], () => {}), { code: 'ERR_KINDLING_TRANSPORT', message: new RegExp(`^startTrackingServer: cannot listen on 127\\.0\\.0\\.1:${port}: .*EADDRINUSE`) });
});
