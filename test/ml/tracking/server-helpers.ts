// Shared by the server tests: a kindling tracking server over a store on a random loopback port,
// and one call of its REST API returning the status and the parsed JSON.
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { startTrackingServer, type RunningServer } from '../../../ts/ml/tracking/server/server.js';

export const FIXTURE_216 = new URL('../../../../shared/fixtures/mlflow/filestore-mlflow-2.16-with-registry/mlruns', import.meta.url).pathname;

/** A copy of MLflow 2.16's fixture store under `dir` (the server writes into it). */
export function copyFixture(dir: string): string {
  const root = join(dir, 'mlruns-2.16');
  cpSync(FIXTURE_216, root, { recursive: true });
  return root;
}

export async function serve(t: { teardown(fn: () => unknown): void }, root: string, opts: { maxBodyBytes?: number } = {}): Promise<RunningServer> {
  const s = await startTrackingServer({ backendStoreUri: root, ...opts });
  t.teardown(() => s.close());
  return s;
}

export interface Reply { status: number; json: Record<string, unknown> }

/** `GET path?query` or `<method> path` with a JSON body (a string body is sent as is). */
export async function call(s: RunningServer, method: string, path: string, params: Record<string, unknown> | string = {}): Promise<Reply> {
  const url = new URL(`${s.url}/api/2.0/mlflow/${path}`);
  let body: string | undefined;
  if (method === 'GET' && typeof params === 'object') {
    for (const [k, v] of Object.entries(params)) for (const item of Array.isArray(v) ? v : [v]) url.searchParams.append(k, String(item));
  } else {
    body = typeof params === 'string' ? params : JSON.stringify(params);
  }
  const res = await fetch(url, { method, body, headers: body === undefined ? {} : { 'content-type': 'application/json' } });
  return { status: res.status, json: JSON.parse(await res.text()) as Record<string, unknown> };
}
