/**
 * The scoring server (`kindling serve`): MLflow's scoring protocol (mlflow.pyfunc.scoring_server)
 * on node:http, bound to 127.0.0.1 unless told otherwise.
 * - `POST /invocations`: application/json in MLflow's formats (models/scoring-input.ts) or
 *   text/csv (a header row, then one row per line; unquoted fields, numbers where they parse);
 *   answers `{"predictions": [...]}`. Rows go through the model's row path when it has one
 *   (load-model.ts), so a request builds no DataFrame.
 * - `GET /ping`, `GET /health`: 200 with a newline body, as MLflow's; `GET /version`: kindling's version.
 * - Errors are MLflow's JSON, `{"error_code", "message"}`: 400 BAD_REQUEST (empty body, malformed
 *   JSON or CSV, no known format), 400 INVALID_PARAMETER_VALUE (the signature refuses the input:
 *   missing, extra or mistyped columns, naming column and row), 413 RESOURCE_LIMIT_EXCEEDED (a
 *   body over `maxBodyBytes`: refused from its Content-Length before any byte is read, or as
 *   soon as the bytes read pass the limit; the rest is dropped unbuffered), 415 for another content type, 404/405 for other routes, 500 INTERNAL_ERROR when
 *   the model itself fails. A request never takes the process down.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Errors, KindlingError } from '../../src/errors.js';
import { kindlingVersion } from '../persist.js';
import { loadModel, type LoadedModel } from '../models/load-model.js';
import { enforceSignature, parseScoringInput, type TableInput } from '../models/scoring-input.js';

export interface ServeOptions {
  /** Default 127.0.0.1 (loopback only). */
  host?: string;
  /** Default 8080; 0 picks a free port. */
  port?: number;
  /** The largest request body accepted, in bytes (default 20 MB). */
  maxBodyBytes?: number;
}

export interface ScoringServer {
  readonly server: Server;
  readonly host: string;
  readonly port: number;
  readonly url: string;
  readonly model: LoadedModel;
  close(): Promise<void>;
}

export const DEFAULT_MAX_BODY_BYTES = 20 * 1024 * 1024;

class HttpError extends Error {
  constructor(readonly status: number, readonly errorCode: string, message: string) {
    super(message);
  }
}

const JSON_TYPE = 'application/json';

function send(res: ServerResponse, status: number, body: string, type = JSON_TYPE): void {
  if (res.headersSent) return;
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

function sendError(res: ServerResponse, e: unknown): void {
  let status = 500;
  let code = 'INTERNAL_ERROR';
  let message = e instanceof Error ? e.message : String(e);
  if (e instanceof HttpError) ({ status, errorCode: code } = e);
  else if (e instanceof KindlingError && e.code === 'ERR_KINDLING_SCHEMA') (status = 400, code = 'INVALID_PARAMETER_VALUE');
  else if (e instanceof KindlingError && e.code === 'ERR_KINDLING_INVALID_ARG') (status = 400, code = 'BAD_REQUEST');
  else message = `the model failed to predict: ${message}`;
  send(res, status, JSON.stringify({ error_code: code, message }));
}

/** A CSV body as a table: a header row, then rows; unquoted fields, numbers where they parse. */
export function parseCsv(text: string): TableInput {
  const lines = text.split(/\r?\n/).filter((l) => l !== '');
  if (lines.length === 0) throw new HttpError(400, 'BAD_REQUEST', 'the CSV body has no header row');
  const columns = lines[0]!.split(',').map((c) => c.trim());
  const data = lines.slice(1).map((l, i) => {
    const cells = l.split(',');
    if (cells.length !== columns.length) throw new HttpError(400, 'BAD_REQUEST', `CSV line ${i + 2} has ${cells.length} fields, the header has ${columns.length}`);
    return cells.map((c) => (c.trim() !== '' && Number.isFinite(Number(c)) ? Number(c) : c));
  });
  return { columns, data };
}

/** The request body, refused with 413 once it passes `limit` bytes (read no further). */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return Promise.reject(tooLarge(declared, limit));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.pause();
        reject(tooLarge(size, limit));
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function tooLarge(size: number, limit: number): HttpError {
  return new HttpError(413, 'RESOURCE_LIMIT_EXCEEDED', `the request body (${size} bytes or more) is over the limit of ${limit} bytes`);
}

function tableOf(body: Buffer, contentType: string, model: LoadedModel): TableInput {
  if (body.length === 0) throw new HttpError(400, 'BAD_REQUEST', 'the request body is empty; send a JSON object with one of dataframe_split, dataframe_records, instances, inputs');
  const text = body.toString('utf8');
  if (contentType === 'text/csv') return enforceSignature(parseCsv(text), model.inputSignature);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new HttpError(400, 'BAD_REQUEST', `malformed JSON in the request body: ${(e as Error).message}`);
  }
  return enforceSignature(parseScoringInput(parsed, model.inputSignature), model.inputSignature);
}

async function invocations(req: IncomingMessage, res: ServerResponse, model: LoadedModel, limit: number): Promise<void> {
  const contentType = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (contentType !== JSON_TYPE && contentType !== 'text/csv') {
    throw new HttpError(415, 'BAD_REQUEST', `content type ${JSON.stringify(contentType)} is not supported; send application/json or text/csv`);
  }
  const table = tableOf(await readBody(req, limit), contentType, model);
  const predictions = model.predictRowsSync(table) ?? (await model.predictTable(table));
  send(res, 200, JSON.stringify({ predictions }));
}

function handler(model: LoadedModel, limit: number) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/invocations') {
      if (req.method !== 'POST') return sendError(res, new HttpError(405, 'BAD_REQUEST', `${req.method} /invocations: use POST`));
      invocations(req, res, model, limit).catch((e: unknown) => {
        sendError(res, e);
        // a refused oversized body is not kept: once the answer is out, what still arrives is
        // dropped unread (closing at once could reset the answer out of the client's buffers),
        // and a connection whose body has not ended 2 s later is closed
        if (e instanceof HttpError && e.status === 413) {
          res.once('finish', () => {
            req.removeAllListeners('data');
            req.resume();
            const timer = setTimeout(() => req.socket.destroy(), 2000).unref();
            req.once('end', () => clearTimeout(timer));
          });
        }
      });
      return;
    }
    if (req.method !== 'GET') return sendError(res, new HttpError(405, 'BAD_REQUEST', `${req.method} ${path}: use GET`));
    if (path === '/ping' || path === '/health') return send(res, 200, '\n', 'application/json');
    if (path === '/version') return send(res, 200, kindlingVersion(), 'text/plain');
    sendError(res, new HttpError(404, 'ENDPOINT_NOT_FOUND', `no endpoint ${path}; the scoring server has POST /invocations, GET /ping, /health, /version`));
  };
}

/** Serves a model (a LoadedModel, or a model URI to load) until close(). */
export async function serveModel(model: LoadedModel | string, options: ServeOptions = {}): Promise<ScoringServer> {
  const api = 'serveModel';
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? 8080;
  const limit = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  if (typeof host !== 'string' || host === '') throw Errors.invalidArg(api, 'host', 'a host name or address', host);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw Errors.outOfRange(api, 'port', 'an integer port in [0, 65535]', port);
  if (!Number.isInteger(limit) || limit < 1) throw Errors.outOfRange(api, 'maxBodyBytes', 'a positive integer', limit);
  const m = typeof model === 'string' ? await loadModel(model) : model;
  const server = createServer({ keepAlive: true }, handler(m, limit));
  server.on('clientError', (_e, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\ncontent-type: application/json\r\n\r\n{"error_code": "BAD_REQUEST", "message": "malformed HTTP request"}');
    else socket.destroy();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e) => reject(Errors.load(`${api}: cannot listen on ${host}:${port}: ${e.message}`, e)));
    server.listen(port, host, () => resolve());
  });
  const addr = server.address() as AddressInfo;
  const shown = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  return {
    server, host: addr.address, port: addr.port, url: `http://${shown}:${addr.port}`, model: m,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}
