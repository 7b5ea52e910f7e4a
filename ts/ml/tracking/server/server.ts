/**
 * The tracking server (docs/ARCHITECTURE.md "Tracking server, REST store and UI"): node:http
 * serving MLflow's REST API 2.0 (routes.ts) under `/api/2.0/mlflow/` and the `/ajax-api/2.0/mlflow/`
 * alias MLflow's UI calls, `GET /health` ("OK", as `mlflow server`), and the web UI (ui/) at `/`.
 * Every failure is MLflow's error JSON `{ error_code, message }` with MLflow's status (MLFLOW.md
 * §4); nothing a client sends crashes it.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Errors, KindlingError } from '../../../src/errors.js';
import { openStores } from '../client.js';
import { RequestParams } from './params.js';
import { methodsOf, ROUTES, type Stores } from './routes.js';
import type { Json } from './rest-json.js';

export interface TrackingServerOptions {
  /** Largest request body accepted, in bytes (default 1 MiB, MLflow's log-batch limit); larger is a 413. */
  maxBodyBytes?: number;
}

const PREFIXES = ['/api/2.0/mlflow/', '/ajax-api/2.0/mlflow/'];
const UI_FILES: Record<string, string> = { '/': 'index.html', '/index.html': 'index.html', '/app.js': 'app.js', '/charts.js': 'charts.js', '/style.css': 'style.css' };
const TYPES: Record<string, string> = { html: 'text/html; charset=utf-8', js: 'text/javascript; charset=utf-8', css: 'text/css; charset=utf-8' };

/** MLflow's error codes and HTTP statuses for kindling's error codes. */
function mlflowError(e: unknown): { status: number; body: Json } {
  const code = e instanceof KindlingError ? e.code : undefined;
  const message = e instanceof Error ? e.message : String(e);
  if (code === 'ERR_KINDLING_NOT_FOUND') return { status: 404, body: { error_code: 'RESOURCE_DOES_NOT_EXIST', message } };
  if (code === 'ERR_KINDLING_ALREADY_EXISTS') return { status: 400, body: { error_code: 'RESOURCE_ALREADY_EXISTS', message } };
  if (code === 'ERR_KINDLING_INVALID_ARG' || code === 'ERR_KINDLING_SCHEMA') return { status: 400, body: { error_code: 'INVALID_PARAMETER_VALUE', message } };
  if (code === 'ERR_KINDLING_UNSUPPORTED') return { status: 501, body: { error_code: 'NOT_IMPLEMENTED', message } };
  return { status: 500, body: { error_code: 'INTERNAL_ERROR', message } };
}

function send(res: ServerResponse, status: number, body: Json): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** The body as parsed JSON (undefined when empty); oversize → 413, malformed → 400, both as MLflow's error JSON. */
async function readBody(req: IncomingMessage, api: string, limit: number): Promise<unknown> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) throw new BodyError(413, `${api}: request body of ${declared} bytes is over the limit of ${limit} bytes`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new BodyError(413, `${api}: request body is over the limit of ${limit} bytes`);
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new BodyError(400, `${api}: malformed JSON in the request body: ${(e as Error).message}`);
  }
}

/** A body the server refuses before any handler runs (the status travels with it). */
class BodyError extends KindlingError {
  constructor(readonly status: number, message: string) {
    super('ERR_KINDLING_INVALID_ARG', message);
  }
}

/**
 * The UI's files: beside this module when it runs from ts/ (tsx, tests), or — compiled into
 * dist/ts/ml/tracking/server/, where tsc copies no .html/.js assets — the package's ts/ copy.
 */
const UI_DIR = [new URL('./ui/', import.meta.url), new URL('../../../../../ts/ml/tracking/server/ui/', import.meta.url)].find((u) => existsSync(new URL('index.html', u)));

async function serveUi(res: ServerResponse, file: string): Promise<void> {
  if (!UI_DIR) throw Errors.unsupported('tracking UI', 'serving the UI: its files (ts/ml/tracking/server/ui/) are not installed');
  const text = await readFile(new URL(file, UI_DIR));
  res.writeHead(200, { 'content-type': TYPES[file.split('.').pop()!]!, 'content-length': text.length });
  res.end(text);
}

async function handle(stores: Stores, limit: number, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const method = req.method ?? 'GET';
  const prefix = PREFIXES.find((p) => url.pathname.startsWith(p));
  if (!prefix) {
    if (url.pathname === '/health' && (method === 'GET' || method === 'HEAD')) {
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'content-length': 2 });
      return void res.end('OK');
    }
    const file = UI_FILES[url.pathname];
    if (file && (method === 'GET' || method === 'HEAD')) return serveUi(res, file);
    return send(res, 404, { error_code: 'ENDPOINT_NOT_FOUND', message: `no endpoint ${method} ${url.pathname}` });
  }
  const path = url.pathname.slice(prefix.length);
  const api = `${method} ${url.pathname}`;
  const handler = ROUTES[`${method} ${path}`];
  if (!handler) {
    const methods = methodsOf(path);
    if (methods.length) return send(res, 405, { error_code: 'ENDPOINT_NOT_FOUND', message: `${api}: method not allowed (use ${methods.join(' or ')})` });
    return send(res, 404, { error_code: 'ENDPOINT_NOT_FOUND', message: `no endpoint ${api}` });
  }
  try {
    const params = RequestParams.from(api, url.searchParams, await readBody(req, api, limit));
    send(res, 200, await handler(params, stores));
  } catch (e) {
    if (e instanceof BodyError) {
      send(res, e.status, { error_code: 'INVALID_PARAMETER_VALUE', message: e.message });
      if (e.status === 413) req.resume();
      return;
    }
    const { status, body } = mlflowError(e);
    send(res, status, body);
  }
}

/** An http.Server answering the REST API and the UI over the given stores (not yet listening). */
export function createTrackingServer(stores: Stores, opts: TrackingServerOptions = {}): Server {
  const limit = opts.maxBodyBytes ?? 1024 * 1024;
  if (!Number.isInteger(limit) || limit < 1) throw Errors.invalidArg('createTrackingServer', 'maxBodyBytes', 'a positive integer', limit);
  return createServer((req, res) => {
    handle(stores, limit, req, res).catch((e: unknown) => {
      const { status, body } = mlflowError(e);
      if (!res.headersSent) send(res, status, body);
      else res.destroy();
    });
  });
}

export interface RunningServer {
  server: Server;
  /** `http://host:port` — a tracking URI for setTrackingUri. */
  url: string;
  close(): Promise<void>;
}

/** Opens the stores of `backendStoreUri` and listens on host:port (127.0.0.1 and a free port by default). */
export async function startTrackingServer(opts: TrackingServerOptions & { backendStoreUri: string; host?: string; port?: number }): Promise<RunningServer> {
  const host = opts.host ?? '127.0.0.1';
  const port = opts.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw Errors.invalidArg('startTrackingServer', 'port', 'an integer in [0, 65535]', port);
  const server = createTrackingServer(openStores(opts.backendStoreUri), opts);
  await new Promise<void>((resolve, reject) => {
    const fail = (e: Error): void => reject(new KindlingError('ERR_KINDLING_TRANSPORT', `startTrackingServer: cannot listen on ${host}:${port}: ${e.message}`, { cause: e }));
    server.once('error', fail);
    server.listen(port, host, () => { server.off('error', fail); resolve(); });
  });
  const addr = server.address() as AddressInfo;
  const shown = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  return {
    server, url: `http://${shown}:${addr.port}`,
    close: () => new Promise<void>((resolve, reject) => { server.closeAllConnections(); server.close((e) => (e ? reject(e) : resolve())); }),
  };
}
