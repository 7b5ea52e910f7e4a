/**
 * The long reader fuzz run: `npm run bench:fuzz -- [cases] [seed] [readers]` (defaults 2000 cases,
 * seed from KINDLING_SEED or 1, every reader). Mutants that hang, crash the worker, fail
 * without an ERR_KINDLING_ code or read damage inside checksummed bytes as rows are kept in bench/results/fuzz-<seed>/ for replay; the exit code
 * is 1 when there are any. Small Spark-written Parquet files from ../shared/fixtures join the
 * inputs when present. The harness is test/fuzz/harness.ts (the test suite runs a small budget).
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runFuzz } from '../test/fuzz/harness.js';
import { checksummedRanges, validInputs, type ReaderName } from '../test/fuzz/readers.js';

const cases = Number(process.argv[2] ?? 2000);
const seed = Number(process.argv[3] ?? process.env.KINDLING_SEED ?? 1);
const only = process.argv[4]?.split(',') as ReaderName[] | undefined;
if (!Number.isInteger(cases) || cases < 1 || !Number.isInteger(seed)) {
  console.error('usage: npm run bench:fuzz -- [cases >= 1] [integer seed] [csv,json,parquet,arrow]');
  process.exit(2);
}
const scratch = mkdtempSync(join(tmpdir(), 'kindling-fuzz-seeds-'));
const all = await validInputs(scratch);
rmSync(scratch, { recursive: true, force: true });
// Spark-written Parquet files (page crcs from parquet-mr) join the inputs when the shared fixtures are here
const fixtures = join(import.meta.dirname, '..', '..', 'shared', 'fixtures', 'spark-models');
if (existsSync(fixtures)) {
  const found: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name));
      else if (e.name.endsWith('.parquet') && statSync(join(d, e.name)).size < 64 << 10) found.push(join(d, e.name));
    }
  };
  walk(fixtures);
  for (const f of found.sort().slice(0, 6)) all.parquet.push(new Uint8Array(readFileSync(f)));
}
const inputs = only ? Object.fromEntries(only.map((r) => [r, all[r]])) : all;
console.log(`inputs: ${Object.entries(inputs).map(([r, l]) => `${r} ${(l as Uint8Array[]).length}`).join(', ')}`);
const keepDir = join(import.meta.dirname, 'results', `fuzz-${seed}`);
mkdirSync(keepDir, { recursive: true });
const t0 = performance.now();
const checksummed = new Map<Uint8Array, [number, number][]>();
for (const [r, list] of Object.entries(inputs) as [ReaderName, Uint8Array[]][]) for (const input of list) checksummed.set(input, checksummedRanges(r, input));
const report = await runFuzz({ inputs, cases, seed, keepDir, checksummed });
const secs = ((performance.now() - t0) / 1000).toFixed(1);
console.log(`fuzz: ${report.cases} cases in ${secs} s (seed ${seed}), ${report.checksummedFlips} only inside checksummed bytes:`, report.outcomes);
for (const f of report.failures) console.log(`  ${f.outcome} ${f.reader} case ${f.case} (${f.kind} at ${f.at}): ${f.detail}\n    ${f.file}`);
if (report.failures.length === 0) rmSync(keepDir, { recursive: true, force: true });
process.exitCode = report.failures.length ? 1 : 0;
