/**
 * The `kindling` command (bin/kindling.mjs runs `main`): one subcommand per entry of COMMANDS,
 * parsed with node:util parseArgs. Like ts/worker.ts it sits above ts/src and ts/ml, so
 * subcommands can come from any layer.
 *
 *   kindling serve <model-uri> [--port 8080] [--host 127.0.0.1] [--max-body-bytes N]
 *   kindling server [--backend-store-uri ./mlruns] [--port 5000] [--host 127.0.0.1] [--max-body-bytes N]
 */
import { parseArgs } from 'node:util';
import { KindlingError } from './src/errors.js';
import { serveModel } from './ml/serving/scoring-server.js';
import { runServerCommand, SERVER_USAGE } from './ml/tracking/server/cli.js';
import './ml/index.js'; // registers every model class, so any saved model loads

type Command = (args: string[]) => Promise<number>;

const SERVE_USAGE = 'usage: kindling serve <model-uri> [--port 8080] [--host 127.0.0.1] [--max-body-bytes N]';
const USAGE = `${SERVE_USAGE}\n${SERVER_USAGE}`;

function intOption(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw)) throw new KindlingError('ERR_KINDLING_INVALID_ARG', `kindling: expected an integer for --${name}, got ${JSON.stringify(raw)}`);
  return Number(raw);
}

async function serve(args: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args, allowPositionals: true,
      options: { port: { type: 'string', short: 'p' }, host: { type: 'string' }, 'max-body-bytes': { type: 'string' } },
    });
  } catch (e) {
    throw new KindlingError('ERR_KINDLING_INVALID_ARG', `kindling serve: ${(e as Error).message}\n${SERVE_USAGE}`, { cause: e });
  }
  const { values, positionals } = parsed;
  if (positionals.length !== 1) throw new KindlingError('ERR_KINDLING_INVALID_ARG', `kindling serve: expected one model URI, got ${positionals.length}\n${SERVE_USAGE}`);
  const s = await serveModel(positionals[0]!, {
    host: values.host ?? '127.0.0.1',
    port: intOption('port', values.port, 8080),
    ...(values['max-body-bytes'] !== undefined ? { maxBodyBytes: intOption('max-body-bytes', values['max-body-bytes'], 0) } : {}),
  });
  process.stdout.write(`kindling serve: ${positionals[0]} at ${s.url} (POST /invocations, GET /ping /health /version)\n`);
  await untilSignal(() => s.close());
  return 0;
}

/** The MLflow tracking server with its REST API and UI over a file store (ts/ml/tracking/server/). */
async function server(args: string[]): Promise<number> {
  const s = await runServerCommand(args, (line) => process.stdout.write(`${line}\n`));
  if (s) await untilSignal(() => s.close());
  return 0;
}

/** Resolves after SIGINT or SIGTERM, once `close` has. */
function untilSignal(close: () => Promise<void>): Promise<void> {
  return new Promise<void>((resolve) => {
    const stop = () => void close().then(resolve);
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

const COMMANDS: Record<string, Command> = { serve, server };

/** Runs one command line (without `node kindling`); returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return name === undefined ? 2 : 0;
  }
  const cmd = COMMANDS[name];
  if (!cmd) {
    process.stderr.write(`kindling: unknown command ${JSON.stringify(name)} (commands: ${Object.keys(COMMANDS).join(', ')})\n${USAGE}\n`);
    return 2;
  }
  try {
    return await cmd(rest);
  } catch (e) {
    const code = (e as { code?: string }).code;
    process.stderr.write(`${code ? `${code}: ` : ''}${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
}
