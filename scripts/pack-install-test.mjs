#!/usr/bin/env node
// Proves the npm tarball installs and runs with no compiler: builds the prebuild, packs, installs
// the tarball into an empty folder with CC/CXX set to `false` and a PATH holding only node and
// npm (and sh, which npm runs scripts with; no make, no g++, no python), then imports kindling and runs kernels. Prints TAP.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readdirSync, rmSync, symlinkSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const work = mkdtempSync(join(tmpdir(), 'kindling-pack-'));
let n = 0;
let failed = 0;
const ok = (cond, name, detail = '') => {
  n++;
  if (!cond) failed++;
  console.log(`${cond ? 'ok' : 'not ok'} ${n} - ${name}`);
  if (!cond && detail) console.log(detail.split('\n').map((l) => `  # ${l}`).join('\n'));
};
const run = (cmd, args, opts = {}) => spawnSync(cmd, args, { encoding: 'utf8', ...opts });

try {
  if (!process.argv.includes('--no-prebuild')) {
    const pb = run('npm', ['run', 'prebuild'], { cwd: root });
    ok(pb.status === 0, 'npm run prebuild writes prebuilds/', pb.stderr.slice(-2000));
  }
  const platformDir = join(root, 'prebuilds', `${process.platform}-${process.arch}`);
  ok(existsSync(platformDir) && readdirSync(platformDir).some((f) => f.endsWith('.node')), `prebuilds/${process.platform}-${process.arch} holds a .node file`);

  const pack = run('npm', ['pack', '--json', '--pack-destination', work], { cwd: root });
  ok(pack.status === 0, 'npm pack', pack.stderr.slice(-2000));
  const info = JSON.parse(pack.stdout.slice(pack.stdout.indexOf('[')))[0];
  const files = info.files.map((f) => f.path);
  ok(files.some((f) => f.startsWith(`prebuilds/${process.platform}-${process.arch}/`) && f.endsWith('.node')), 'tarball carries the prebuilt addon');
  ok(files.includes('dist/ts/src/index.js') && files.includes('dist/ts/src/index.d.ts'), 'tarball carries compiled JS and types');
  ok(files.includes('binding.gyp') && files.some((f) => f.startsWith('native/src/')), 'tarball carries the sources for a rebuild');
  ok(!files.some((f) => f.startsWith('build/') || f.startsWith('test/') || f.startsWith('node_modules/')), 'tarball leaves out build/, test/ and node_modules/');

  // An empty project whose PATH has node and npm only: no compiler, make or python.
  const bin = join(work, 'bin');
  mkdirSync(bin);
  const npmCli = execFileSync('/bin/sh', ['-c', 'readlink -f "$(command -v npm)"'], { encoding: 'utf8' }).trim();
  symlinkSync(process.execPath, join(bin, 'node'));
  symlinkSync('/bin/sh', join(bin, 'sh'));
  writeFileSync(join(bin, 'npm'), `#!/bin/sh\nexec "${process.execPath}" "${npmCli}" "$@"\n`, { mode: 0o755 });
  const app = join(work, 'app');
  mkdirSync(app);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', version: '1.0.0', type: 'module', private: true }));
  const env = { HOME: process.env.HOME, PATH: bin, CC: 'false', CXX: 'false', npm_config_cache: process.env.npm_config_cache ?? join(process.env.HOME ?? work, '.npm') };
  for (const tool of ['make', 'g++', 'cc', 'python3']) {
    const which = run('/bin/sh', ['-c', `command -v ${tool}`], { env });
    ok(which.status !== 0, `${tool} is not on the install PATH`);
  }
  const inst = run(join(bin, 'npm'), ['install', '--no-audit', '--no-fund', '--prefer-offline', join(work, info.filename)], { cwd: app, env });
  ok(inst.status === 0, 'npm install <tarball> succeeds without a compiler', (inst.stdout + inst.stderr).slice(-3000));
  ok(!existsSync(join(app, 'node_modules', 'kindling', 'build')), 'no local build happened (the prebuild was used)');

  const script = `
    import { Session, simdLevel } from 'kindling';
    import { moments, murmur3Batch, kmeansStepAdd, kmeansStepZero } from 'kindling/internals';
    import * as ml from 'kindling/ml';
    import * as cluster from 'kindling/cluster';
    const m = moments(new Float64Array([1, 2, 3, 4]));
    const h = murmur3Batch(['w0']);
    const s = kmeansStepAdd(kmeansStepZero(1, 1), new Float64Array([1, 3]), 1, new Float64Array([0]));
    // a fit on the pool: the installed worker entry loads in Piscina threads, tasks run there
    const spark = await Session.builder().master('local[2]').getOrCreate();
    const rows = Array.from({ length: 60000 }, (_, i) => ({ features: [i % 2 ? 10 + (i % 7) / 7 : (i % 5) / 5, 1] }));
    const model = await new ml.KMeans({ k: 2, seed: 1 }).fit(spark.createDataFrame(rows, 'features array<double>'));
    const sizes = model.summary.clusterSizes;
    const tasks = spark.metrics.tasks;
    await spark.stop();
    console.log(JSON.stringify({ level: simdLevel(), mean: m.mean, h: h[0], sums: Array.from(s.sums), ml: typeof ml.KMeans, cluster: cluster.CLUSTER_PROTOCOL_VERSION, sizes, tasks }));
  `;
  const use = run(process.execPath, ['--input-type=module', '-e', script], { cwd: app, env });
  let out = {};
  try { out = JSON.parse(use.stdout.trim()); } catch { /* reported below */ }
  ok(use.status === 0 && out.mean === 2.5 && out.h === 1931698542 && out.sums?.[0] === 4, 'the installed package imports and runs kernels', use.stdout + use.stderr);
  ok(['scalar', 'avx2', 'avx512'].includes(out.level), `installed addon reports SIMD level ${out.level}`);
  ok(out.ml === 'function' && out.cluster === 1, 'kindling/ml, kindling/internals and kindling/cluster entry points resolve');
  ok(JSON.stringify(out.sizes) === '[30000,30000]' && out.tasks > 0, 'KMeans fits on a local[2] pool from the installed package', JSON.stringify(out));
  const scalar = run(process.execPath, ['--input-type=module', '-e', "import { simdLevel } from 'kindling'; console.log(simdLevel())"], { cwd: app, env: { ...env, KINDLING_SIMD: 'scalar' } });
  ok(scalar.stdout.trim() === 'scalar', 'KINDLING_SIMD=scalar is honoured by the installed package');
  // the bin entry: npm links node_modules/.bin/kindling, which runs the compiled dist/ts/cli.js (no tsx)
  const cli = run(join(app, 'node_modules', '.bin', 'kindling'), ['--help'], { cwd: app, env });
  ok(cli.status === 0 && cli.stdout.startsWith('usage: kindling serve <model-uri>'), 'the installed kindling command runs (kindling --help)', cli.stdout + cli.stderr);
} finally {
  rmSync(work, { recursive: true, force: true });
}
console.log(`1..${n}`);
process.exit(failed ? 1 : 0);
