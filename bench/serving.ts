/**
 * Serving benchmark (`npm run bench:serving`; the bars): autocannon, in this process,
 * against (a) `kindling serve` (serveModel over a saved PipelineModel fitted on seeded data:
 * VectorAssembler over 4 double columns, StandardScaler with mean, KMeans k = 2; the row path,
 * no DataFrame per request) and (b) a bare node:http server that parses the same JSON and
 * computes the same prediction in plain JS (assemble, scale, nearest centre). Each server runs
 * in its own child process (this file with `--serve`); the load alternates between them for 3
 * rounds and each is reported by its median round, so the machine's other load weighs on both
 * alike. Single-row `dataframe_split` requests; prints requests/s, p99 latency
 * and the ratio to the bare server, and saves bench/results/<date>-<cpu>-serving.json.
 * KINDLING_BENCH_DURATION (seconds per round, default 5) and KINDLING_BENCH_CONNECTIONS (default 10).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { Session } from '../ts/src/index.js';
import { KMeans, Pipeline, StandardScaler, VectorAssembler, saveModel, type KMeansModel, type StandardScalerModel } from '../ts/ml/index.js';
import { mulberry32 } from '../test/reference/rng.js';
import { serveModel } from '../ts/ml/serving/scoring-server.js';
import { bar, median, saveResults } from './harness.js';

const COLUMNS = ['a', 'b', 'c', 'd'];
const ROUNDS = 3;
const BODY = JSON.stringify({ dataframe_split: { columns: COLUMNS, data: [[1.2, 0.4, -0.3, 0.9]] } });

/** What the bare server computes with: the fitted scaler's mean and std, and the centres. */
interface Fitted {
  mean: number[];
  std: number[];
  centers: number[][];
}

/** The bare server: parse, assemble, scale, nearest centre by squared distance, answer. */
function bareServer({ mean, std, centers }: Fitted): Promise<number> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      try {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { dataframe_split: { columns: string[]; data: number[][] } };
        const at = COLUMNS.map((c) => body.dataframe_split.columns.indexOf(c));
        const predictions = body.dataframe_split.data.map((row) => {
          const x = at.map((j, t) => (std[t] === 0 ? 0 : (row[j]! - mean[t]!) / std[t]!));
          let best = Infinity;
          let bj = 0;
          centers.forEach((c, j) => {
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

async function child(kind: string, dir: string, fitted: string): Promise<void> {
  const port = kind === 'bare' ? await bareServer(JSON.parse(fitted) as Fitted) : (await serveModel(dir, { port: 0 })).port;
  process.stdout.write(`${port}\n`);
}

function startChild(kind: string, dir: string, fitted: Fitted): Promise<{ proc: ChildProcess; port: number }> {
  const proc = spawn(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '--serve', kind, dir, JSON.stringify(fitted)], { stdio: ['ignore', 'pipe', 'inherit'] });
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
  const duration = Number(process.env.KINDLING_BENCH_DURATION ?? 5);
  const connections = Number(process.env.KINDLING_BENCH_CONNECTIONS ?? 10);
  const tmp = mkdtempSync(join(tmpdir(), 'kindling-bench-serving-'));
  try {
    const dir = join(tmp, 'model');
    const spark = await Session.builder().appName('bench-serving').master('local').getOrCreate();
    const rng = mulberry32(7);
    const n = 400;
    const data = Object.fromEntries(COLUMNS.map((c, j) => [c, Float64Array.from({ length: n }, (_, i) => (i % 2) * (j + 1) + rng())]));
    const model = await new Pipeline({ stages: [
      new VectorAssembler({ inputCols: COLUMNS, outputCol: 'features' }),
      new StandardScaler({ inputCol: 'features', outputCol: 'scaled', withMean: true }),
      new KMeans({ k: 2, featuresCol: 'scaled', seed: 1 }),
    ] }).fit(spark.createDataFrame(data));
    await saveModel(model, dir, { inputExample: spark.createDataFrame(data).limit(5) });
    await spark.stop();
    const scaler = model.stages[1] as StandardScalerModel;
    const km = model.stages[2] as KMeansModel;
    const fitted: Fitted = { mean: Array.from(scaler.mean.toArray()), std: Array.from(scaler.std.toArray()), centers: km.clusterCenters.map((c) => Array.from(c.toArray())) };
    const answers: string[] = [];
    const servers = { kindling: await startChild('kindling', dir, fitted), bare: await startChild('bare', dir, fitted) };
    const runs: Record<string, Array<Awaited<ReturnType<typeof load>>>> = { kindling: [], bare: [] };
    try {
      for (const [kind, { port }] of Object.entries(servers)) {
        const check = await fetch(`http://127.0.0.1:${port}/invocations`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: BODY });
        const answer = await check.text();
        answers.push(answer);
        if (!/^\{"predictions":\[[01]\]\}$/.test(answer) || answer !== answers[0]) throw new Error(`${kind} answered ${check.status} ${answer} (kindling: ${answers[0]})`);
        await load(port, 2, connections); // warm-up
      }
      // rounds alternate between the servers, so a busy moment of the machine falls on both
      for (let round = 0; round < ROUNDS; round++) {
        for (const [kind, { port }] of Object.entries(servers)) runs[kind]!.push(await load(port, duration, connections));
      }
    } finally {
      for (const { proc } of Object.values(servers)) proc.kill('SIGKILL');
    }
    const mid = (rs: Array<Awaited<ReturnType<typeof load>>>) => ({
      rps: median(rs.map((r) => r.rps)), p50: median(rs.map((r) => r.p50)), p99: median(rs.map((r) => r.p99)),
      errors: rs.reduce((n, r) => n + r.errors, 0), non2xx: rs.reduce((n, r) => n + r.non2xx, 0),
    });
    const results = { kindling: mid(runs.kindling!), bare: mid(runs.bare!) };
    const k = results.kindling!;
    const b = results.bare!;
    console.log(`\n## Serving: single-row dataframe_split (4 columns → VectorAssembler → StandardScaler → KMeans), ${connections} connections, median of ${ROUNDS} alternating rounds of ${duration} s`);
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
    console.log(`saved ${saveResults('serving', { duration, rounds: ROUNDS, connections, runs, results, ratio, bars })}`);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

const at = process.argv.indexOf('--serve');
if (at >= 0) await child(process.argv[at + 1]!, process.argv[at + 2]!, process.argv[at + 3]!);
else await main();
