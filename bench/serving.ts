/**
 * Serving benchmark (`npm run bench:serving`; the bars): autocannon, in this process,
 * against (a) `kindling serve` (serveModel over a saved KMeansModel: k = 2, 4 features, the row
 * path, no DataFrame per request) and (b) a bare node:http server that parses the same JSON and
 * computes the same nearest centre in plain JS. Each server runs in its own child process (this
 * file with `--serve`), one at a time, so the load generator and the server share the machine
 * the same way for both. Single-row `dataframe_split` requests; prints requests/s, p99 latency
 * and the ratio to the bare server, and saves bench/results/<date>-<cpu>-serving.json.
 * KINDLING_BENCH_DURATION (seconds, default 10) and KINDLING_BENCH_CONNECTIONS (default 10).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { KMeansModel, saveModel } from '../ts/ml/index.js';
import { serveModel } from '../ts/ml/serving/scoring-server.js';
import { bar, saveResults } from './harness.js';

const CENTERS = [[0.1, -0.2, 0.3, 0.5], [2.5, 1.5, -1.0, 0.7]];
const BODY = JSON.stringify({ dataframe_split: { columns: ['features'], data: [[[1.2, 0.4, -0.3, 0.9]]] } });

/** The bare server: parse, check the shape, nearest centre by squared distance, answer. */
function bareServer(): Promise<number> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      try {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { dataframe_split: { data: number[][][] } };
        const predictions = body.dataframe_split.data.map((row) => {
          const x = row[0]!;
          let best = Infinity;
          let bj = 0;
          CENTERS.forEach((c, j) => {
            let s = 0;
            for (let t = 0; t < c.length; t++) s += (x[t]! - c[t]!) ** 2;
            if (s < best) (best = s, bj = j);
          });
          return bj;
        });
        const out = JSON.stringify({ predictions });
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(out) });
        res.end(out);
      } catch (e) {
        res.writeHead(400);
        res.end(String(e));
      }
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)));
}

async function child(kind: string, dir: string): Promise<void> {
  const port = kind === 'bare' ? await bareServer() : (await serveModel(dir, { port: 0 })).port;
  process.stdout.write(`${port}\n`);
}

function startChild(kind: string, dir: string): Promise<{ proc: ChildProcess; port: number }> {
  const proc = spawn(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '--serve', kind, dir], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    proc.stdout!.setEncoding('utf8').once('data', (s: string) => resolve({ proc, port: Number(s.trim()) }));
    proc.once('exit', (code) => reject(new Error(`the ${kind} server exited with ${code}`)));
  });
}

async function load(port: number, duration: number, connections: number): Promise<{ rps: number; p99: number; p50: number; errors: number; non2xx: number }> {
  const r = await autocannon({ url: `http://127.0.0.1:${port}/invocations`, method: 'POST', headers: { 'content-type': 'application/json' }, body: BODY, duration, connections });
  return { rps: r.requests.average, p99: r.latency.p99, p50: r.latency.p50, errors: r.errors, non2xx: r.non2xx };
}

async function main(): Promise<void> {
  const duration = Number(process.env.KINDLING_BENCH_DURATION ?? 10);
  const connections = Number(process.env.KINDLING_BENCH_CONNECTIONS ?? 10);
  const tmp = mkdtempSync(join(tmpdir(), 'kindling-bench-serving-'));
  try {
    const dir = join(tmp, 'model');
    await saveModel(new KMeansModel({ clusterCenters: CENTERS }), dir);
    const results: Record<string, Awaited<ReturnType<typeof load>>> = {};
    for (const kind of ['kindling', 'bare']) {
      const { proc, port } = await startChild(kind, dir);
      try {
        const check = await fetch(`http://127.0.0.1:${port}/invocations`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: BODY });
        const answer = await check.text();
        if (answer !== '{"predictions":[0]}') throw new Error(`${kind} answered ${check.status} ${answer}`);
        await load(port, 2, connections); // warm-up
        results[kind] = await load(port, duration, connections);
      } finally {
        proc.kill('SIGKILL');
      }
    }
    const k = results.kindling!;
    const b = results.bare!;
    console.log(`\n## Serving: single-row dataframe_split, ${connections} connections, ${duration} s each`);
    console.log('| server | requests/s | p50 ms | p99 ms | errors | non-2xx |');
    console.log('|---|---|---|---|---|---|');
    for (const [name, r] of Object.entries(results)) console.log(`| ${name} | ${r.rps.toFixed(0)} | ${r.p50} | ${r.p99} | ${r.errors} | ${r.non2xx} |`);
    const ratio = k.rps / b.rps;
    console.log(`kindling / bare: ${ratio.toFixed(2)}x`);
    const bars = [
      bar('>= 10,000 requests/s', k.rps >= 10_000, `${k.rps.toFixed(0)} requests/s`),
      bar('p99 < 5 ms', k.p99 < 5, `${k.p99} ms`),
      bar('>= 0.6x the bare node:http server', ratio >= 0.6, `${ratio.toFixed(2)}x of ${b.rps.toFixed(0)} requests/s`),
    ];
    console.log(`saved ${saveResults('serving', { duration, connections, results, ratio, bars })}`);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

const at = process.argv.indexOf('--serve');
if (at >= 0) await child(process.argv[at + 1]!, process.argv[at + 2]!);
else await main();
