/**
 * Text features benchmark (issue 14): Tokenizer + HashingTF (2^18 features) + IDF (fit and
 * transform) over N short seeded documents (bench/data.ts `shortDocs`; default 1,000,000,
 * `--docs N`), against
 *   - a pure-JS pipeline on one thread: split on Java's whitespace after toLowerCase, the
 *     murmur3 JS twin over each token's UTF-8 bytes (murmur3String) (ts/src/kernels/hash.ts), a Map of counts
 *     per document, document frequencies, idf and the weighted rows;
 *   - scikit-learn through /usr/bin/python3 when it is there (PEERS.md §6):
 *     HashingVectorizer(n_features=2**18, alternate_sign=False, norm=None) then
 *     TfidfTransformer(norm=None).fit_transform, timed together (documents read from a file first,
 *     not timed).
 * kindling runs on local[2] and local: the documents are a DataFrame (created and placed before
 * timing); timed is tf = HashingTF(Tokenizer(df)) cached, IDF.fit(tf), IDF.transform(tf).count().
 * Every engine's number of non-zero tf-idf entries is printed (kindling and the pure-JS pipeline
 * must agree exactly). Writes bench/results/<date>-<cpu>-features.json. Not part of `npm test`.
 *
 *   npm run bench:features -- --docs 20000
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Session } from '../ts/src/index.js';
import { HashingTF, IDF, Tokenizer } from '../ts/ml/index.js';
import { murmur3String, SPARK_HASH_SEED } from '../ts/src/kernels/hash.js';
import { shortDocs } from './data.js';
import { bar, report, saveResults, timeAsync, time, type Timing } from './harness.js';

const { values: args } = parseArgs({ options: { docs: { type: 'string', default: '1000000' }, reps: { type: 'string', default: '3' } } });
const n = Number(args.docs);
const reps = Number(args.reps);
const NF = 1 << 18;
console.log(`# Tokenizer + HashingTF(2^18) + IDF fit/transform over ${n.toLocaleString('en')} short documents (5..14 words)`);
const docs = shortDocs(n);

type Row = Timing & { nnz?: number };
const rows: Row[] = [];

async function kindling(master: string): Promise<void> {
  const spark = await Session.builder().appName('bench-features').master(master).getOrCreate();
  const df = spark.createDataFrame(docs.map((text) => ({ text })), 'text string');
  await df.count();
  await df.count(); // the second action places the data on the executors (ARCHITECTURE.md, DataFrames)
  let nnz = 0;
  const run = async () => {
    const tf = new HashingTF({ inputCol: 'words', outputCol: 'tf', numFeatures: NF }).transform(new Tokenizer({ inputCol: 'text', outputCol: 'words' }).transform(df)).select('tf').cache();
    const model = await new IDF({ inputCol: 'tf', outputCol: 'tfidf' }).fit(tf);
    await model.transform(tf).count();
    nnz = model.docFreq.reduce((s, f) => s + (f > 0 ? 1 : 0), 0);
    tf.unpersist();
  };
  const t = await timeAsync(`kindling ${master}`, run, { reps, warmup: 1, note: 'HashingTF(Tokenizer) cached, IDF.fit, IDF.transform().count()' });
  rows.push({ ...t, nnz });
  await spark.stop();
}

/** The pure-JS pipeline: returns the number of distinct hashed terms seen (the idf entries with df > 0). */
function pureJs(): number {
  const ws = /[ \t\n\x0B\f\r]/; // eslint-disable-line no-control-regex
  const rowsIdx: Int32Array[] = [];
  const rowsVal: Float64Array[] = [];
  const df = new Float64Array(NF);
  for (const d of docs) {
    const counts = new Map<number, number>();
    for (const w of d.toLowerCase().split(ws)) {
      if (w === '') continue;
      const h = murmur3String(w, SPARK_HASH_SEED);
      const k = ((h % NF) + NF) % NF;
      counts.set(k, (counts.get(k) ?? 0) + 1);
    }
    const idx = Int32Array.from([...counts.keys()].sort((a, b) => a - b));
    const val = Float64Array.from(idx, (k) => counts.get(k)!);
    for (const k of idx) df[k]! += 1;
    rowsIdx.push(idx);
    rowsVal.push(val);
  }
  const idf = Float64Array.from(df, (f) => Math.log((docs.length + 1) / (f + 1)));
  for (let i = 0; i < rowsIdx.length; i++) {
    const idx = rowsIdx[i]!;
    const val = rowsVal[i]!;
    for (let k = 0; k < idx.length; k++) val[k]! *= idf[idx[k]!]!;
  }
  return df.reduce((s, f) => s + (f > 0 ? 1 : 0), 0);
}

function sklearn(): void {
  if (!existsSync('/usr/bin/python3')) {
    console.log('# /usr/bin/python3 not found: scikit-learn skipped');
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'kindling-bench-features-'));
  try {
    writeFileSync(join(dir, 'docs.txt'), docs.join('\n'));
    writeFileSync(join(dir, 'tfidf.py'), `
import json, sys, time
try:
    import sklearn
    from sklearn.feature_extraction.text import HashingVectorizer, TfidfTransformer
except ImportError:
    print(json.dumps({'missing': True})); sys.exit(0)
docs = open(sys.argv[1]).read().split('\\n')
reps = int(sys.argv[2])
def run():
    tf = HashingVectorizer(n_features=2**18, alternate_sign=False, norm=None).fit_transform(docs)
    return TfidfTransformer(norm=None).fit_transform(tf)
run()
ts = []
for _ in range(reps):
    t0 = time.perf_counter(); x = run(); ts.append((time.perf_counter() - t0) * 1000)
ts.sort()
print(json.dumps({'version': sklearn.__version__, 'median': ts[len(ts) // 2], 'min': ts[0], 'nnzCols': int((x.getnnz(axis=0) > 0).sum())}))
`);
    const out = JSON.parse(execFileSync('/usr/bin/python3', [join(dir, 'tfidf.py'), join(dir, 'docs.txt'), String(reps)], { encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1' }, maxBuffer: 1 << 26 }));
    if (out.missing) {
      console.log('# scikit-learn is not installed for /usr/bin/python3: skipped');
      return;
    }
    rows.push({ name: `scikit-learn ${out.version}`, medianMs: out.median, minMs: out.min, reps, nnz: out.nnzCols, note: 'HashingVectorizer + TfidfTransformer fit_transform, 1 thread (its own token pattern)' });
  } catch (e) {
    console.log(`# scikit-learn failed: ${(e as Error).message.split('\n')[0]}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await kindling('local[2]');
await kindling('local');
let jsNnz = 0;
rows.push({ ...time('pure JS (1 thread)', () => (jsNnz = pureJs()), { reps, warmup: 1, note: 'split + murmur3 JS twin + Map counts + idf' }), nnz: 0 });
rows[rows.length - 1]!.nnz = jsNnz;
sklearn();

report(`Tokenizer + HashingTF + IDF, ${n.toLocaleString('en')} documents`, rows, { baseline: 'kindling local[2]' });
for (const r of rows) console.log(`# ${r.name}: ${r.nnz} hashed terms with df > 0`);
// the bars are taken by the faster kindling master (local[2] pays the pool's per-job cost at small sizes)
const k2 = rows.filter((r) => r.name.startsWith('kindling')).sort((a, b) => a.medianMs - b.medianMs)[0]!;
const js = rows.find((r) => r.name.startsWith('pure JS'))!;
const sk = rows.find((r) => r.name.startsWith('scikit-learn'));
const bars = [bar('>= 5x the pure-JS pipeline', js.medianMs / k2.medianMs >= 5, `${k2.name}: ${(js.medianMs / k2.medianMs).toFixed(2)}x`)];
if (sk) bars.push(bar('>= 3x scikit-learn', sk.medianMs / k2.medianMs >= 3, `${k2.name}: ${(sk.medianMs / k2.medianMs).toFixed(2)}x`));
if (k2.nnz !== js.nnz) console.log(`WARNING: kindling and the pure-JS pipeline disagree on the hashed terms (${k2.nnz} vs ${js.nnz})`);
const file = saveResults('features', { docs: n, numFeatures: NF, rows, bars });
console.log(`# results: ${file}`);
