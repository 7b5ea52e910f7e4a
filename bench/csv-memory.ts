/**
 * npm run bench:csv — reads a large CSV (default 1 GB, KINDLING_BENCH_CSV_MB) into cached
 * columns and reports throughput and peak resident memory against the size of the resulting
 * columns (the issue's bar: peak RSS < 2x the columns). The file is generated once under the
 * OS temp directory: an int id, four doubles and a short string per row.
 */
import { createWriteStream, existsSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Session } from '../ts/src/index.js';
import { bar, saveResults } from './harness.js';

const MB = Number(process.env.KINDLING_BENCH_CSV_MB ?? 1024);
const file = join(tmpdir(), `kindling-bench-${MB}mb.csv`);

async function generate(): Promise<void> {
  if (existsSync(file) && statSync(file).size >= MB * 1e6) return;
  console.log(`# writing ${file} (${MB} MB)`);
  const out = createWriteStream(file);
  out.write('id,a,b,c,d,tag\n');
  let bytes = 0;
  let i = 0;
  const tags = ['alpha', 'beta', 'gamma', 'delta'];
  while (bytes < MB * 1e6) {
    let chunk = '';
    for (let r = 0; r < 10_000; r++, i++) {
      const line = `${i},${(i % 1000) / 7},${Math.sin(i).toFixed(6)},${(i * 31) % 977}.5,${i / 3},${tags[i % 4]}\n`;
      chunk += line;
    }
    bytes += chunk.length;
    if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((r) => out.end(() => r()));
}

await generate();
const size = statSync(file).size;
let peak = process.memoryUsage().rss;
const sampler = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss); }, 20);
const base = process.memoryUsage().rss;
const spark = await Session.builder().appName('csv-bench').master('local').getOrCreate();
const t0 = performance.now();
const df = (await spark.read.csv(file, { header: true, inferSchema: true })).cache();
const tInfer = performance.now();
const rows = await df.count();
const t1 = performance.now();
clearInterval(sampler);
peak = Math.max(peak, process.memoryUsage().rss);
const parts = await df.partitions();
let colBytes = 0;
for (const p of parts) {
  for (const c of p.data.children) {
    colBytes += (c.values?.byteLength ?? 0) + (c.valueOffsets?.byteLength ?? 0) + (c.nullBitmap?.byteLength ?? 0);
  }
}
const ratio = (peak - base) / colBytes;
console.log(`# ${rows.toLocaleString()} rows, schema ${df.dtypes.map(([n, t]) => `${n}:${t}`).join(', ')}`);
console.log(`# inferSchema pass ${(tInfer - t0).toFixed(0)} ms (${(size / 1e6 / ((tInfer - t0) / 1000)).toFixed(0)} MB/s), read ${(t1 - tInfer).toFixed(0)} ms (${(size / 1e6 / ((t1 - tInfer) / 1000)).toFixed(0)} MB/s)`);
console.log(`# columns ${(colBytes / 1e6).toFixed(0)} MB; peak RSS growth ${((peak - base) / 1e6).toFixed(0)} MB = ${ratio.toFixed(2)}x the columns`);
const b = bar('reading a 1 GB CSV keeps peak RSS under 2x the resulting columns', ratio < 2, `${ratio.toFixed(2)}x`);
console.log(`# results: ${saveResults('csv-memory', { fileMB: size / 1e6, rows, inferMs: tInfer - t0, readMs: t1 - tInfer, columnsMB: colBytes / 1e6, peakRssGrowthMB: (peak - base) / 1e6, ratio, bars: [b] })}`);
await spark.stop();
