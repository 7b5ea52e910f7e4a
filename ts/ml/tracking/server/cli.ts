/**
 * `kindling server`: MLflow's `mlflow server` for kindling (docs/ARCHITECTURE.md "Tracking server,
 * REST store and UI"). `runServerCommand(argv)` parses the flags, starts the server and returns it;
 * the `server` subcommand of the kindling command (ts/cli.ts) calls it.
 *
 *   kindling server [--backend-store-uri ./mlruns] [--port 5000] [--host 127.0.0.1] [--max-body-bytes N]
 */
import { parseArgs } from 'node:util';
import { Errors } from '../../../src/errors.js';
import { startTrackingServer, type RunningServer } from './server.js';

export const SERVER_USAGE = 'usage: kindling server [--backend-store-uri ./mlruns] [--port 5000] [--host 127.0.0.1] [--max-body-bytes 1048576]';

function intFlag(name: string, text: string | undefined, dflt: number, min: number, max: number): number {
  if (text === undefined) return dflt;
  const n = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) throw Errors.invalidArg('kindling server', `--${name}`, `an integer in [${min}, ${max}]`, text);
  return n;
}

/** Starts the tracking server the flags describe (loopback by default) and logs its URL; `--help` logs the usage and returns null. */
export async function runServerCommand(argv: string[], log: (line: string) => void = console.log): Promise<RunningServer | null> {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv, strict: true, allowPositionals: false,
      options: { 'backend-store-uri': { type: 'string' }, port: { type: 'string' }, host: { type: 'string' }, 'max-body-bytes': { type: 'string' }, help: { type: 'boolean' } },
    }));
  } catch (e) {
    throw Errors.invalidArg('kindling server', 'arguments', `${SERVER_USAGE} (${(e as Error).message})`, argv.join(' '));
  }
  if (values.help) {
    log(SERVER_USAGE);
    return null;
  }
  const server = await startTrackingServer({
    backendStoreUri: (values['backend-store-uri'] as string | undefined) ?? './mlruns',
    host: (values.host as string | undefined) ?? '127.0.0.1',
    port: intFlag('port', values.port as string | undefined, 5000, 0, 65535),
    maxBodyBytes: intFlag('max-body-bytes', values['max-body-bytes'] as string | undefined, 1024 * 1024, 1, 2 ** 31 - 1),
  });
  log(`kindling tracking server at ${server.url} (UI at ${server.url}/, REST API at ${server.url}/api/2.0/mlflow/)`);
  return server;
}
