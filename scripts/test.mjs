#!/usr/bin/env node
// The test command (`npm test`; `npm ci && npm test` is the README's test command and .ci/run):
//   1. refreshes prebuilds/ when the native sources are newer (the pack test installs it);
//   2. runs the whole tap suite (TS tests, C++ tests plain + ASan/UBSan, pack-and-install);
//   3. runs the engine tests again with KINDLING_SIMD=scalar (the forced scalar tier);
//   and, before the suite, the type check (tsc --noEmit) and the lint step (eslint .);
// then ends with one plain line: `N passed, N failed` (assertions, both runs summed).
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const tap = join(root, 'node_modules', '.bin', 'tap');

function newest(dir) {
  return readdirSync(dir).reduce((m, f) => {
    const p = join(dir, f);
    const s = statSync(p);
    return Math.max(m, s.isDirectory() ? newest(p) : s.mtimeMs);
  }, 0);
}

const prebuildDir = join(root, 'prebuilds', `${process.platform}-${process.arch}`);
const prebuilt = existsSync(prebuildDir) ? readdirSync(prebuildDir).filter((f) => f.endsWith('.node')) : [];
const sourcesAt = Math.max(newest(join(root, 'native')), statSync(join(root, 'binding.gyp')).mtimeMs);
const stale = prebuilt.length === 0 || statSync(join(prebuildDir, prebuilt[0])).mtimeMs < sourcesAt;
const release = join(root, 'build', 'Release', 'kindling.node');
if (stale && existsSync(release) && statSync(release).mtimeMs >= sourcesAt && existsSync(join(root, 'build', 'Release', 'obj.target'))) {
  // The install step (node-gyp-build) just built build/Release from these sources with the same
  // binding.gyp prebuildify uses: ship that binary (stripped) instead of building twice more.
  console.log('# prebuilds/ is missing or older than native/: copying the fresh build/Release/kindling.node (stripped)');
  mkdirSync(prebuildDir, { recursive: true });
  const target = join(prebuildDir, 'kindling.node');
  copyFileSync(release, target);
  spawnSync('strip', ['--strip-unneeded', target], { stdio: 'ignore' });
} else if (stale) {
  console.log('# prebuilds/ is missing or older than native/: npm run prebuild');
  const r = spawnSync('npm', ['run', 'prebuild'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0) {
    console.log('0 passed, 1 failed');
    process.exit(1);
  }
}

// The baseline-ISA test disassembles build/Release's objects; prebuildify removes build/.
if (!existsSync(join(root, 'build', 'Release', 'obj.target'))) {
  console.log('# build/Release has no objects: node-gyp rebuild');
  spawnSync('npx', ['node-gyp', 'rebuild', '-j', '2'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
}

// tap builds its test class from the plugin list in .taprc (tsx instead of @tapjs/typescript);
// a fresh install still has the default build (which loads ts-node, whose ESM resolver rejects
// some packages' export maps), so rebuild it once when the built class still has that plugin.
// (`tap plugin list` shows the configured list, not the built one: read the built class.)
const builtClass = join(root, 'node_modules', '@tapjs', 'test', 'test-built', 'dist', 'esm', 'index.js');
if (!existsSync(builtClass) || readFileSync(builtClass, 'utf8').includes('@tapjs/typescript')) {
  console.log('# the built tap test class differs from .taprc: tap build');
  const r = spawnSync(tap, ['build'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0) {
    console.log('0 passed, 1 failed');
    process.exit(1);
  }
}

function runTap(args, env) {
  return new Promise((resolve) => {
    const child = spawn(tap, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
    let tail = '';
    child.stdout.on('data', (chunk) => {
      process.stdout.write(chunk);
      tail = (tail + chunk.toString()).slice(-4000);
    });
    child.on('exit', (code) => {
      const m = /# \{ total: (\d+)(?:, pass: (\d+))?(?:, fail: (\d+))?(?:, skip: (\d+))?(?:, todo: (\d+))?/.exec(tail);
      const total = m ? Number(m[1]) : 0;
      const pass = m ? Number(m[2] ?? 0) : 0;
      const fail = m ? Number(m[3] ?? 0) : 1;
      const skip = m ? Number(m[4] ?? 0) + Number(m[5] ?? 0) : 0;
      resolve({ code: code ?? 1, total, pass, fail: code !== 0 && fail === 0 ? 1 : fail, skip });
    });
  });
}

const extra = process.argv.slice(2);

/** A whole-tree check run once before the suite: one `ok` / `not ok` line in the summary. */
function check(name, bin, args) {
  console.log(`# ${name}: ${bin} ${args.join(' ')}`);
  const r = spawnSync(join(root, 'node_modules', '.bin', bin), args, { cwd: root, encoding: 'utf8' });
  if (r.status === 0) {
    console.log(`ok - ${name}`);
    return { pass: 1, fail: 0 };
  }
  process.stdout.write(`${r.stdout}${r.stderr}`.split('\n').map((l) => `# ${l}`).join('\n') + '\n');
  console.log(`not ok - ${name}`);
  return { pass: 0, fail: 1 };
}

// The type check (tsconfig.json: sources, tests, type tests, benches, examples) and the lint step
// (eslint.config.mjs: typescript-eslint with types, floating promises flagged).
const checks = extra.length === 0 ? [check('typecheck', 'tsc', ['-p', 'tsconfig.json', '--noEmit']), check('lint', 'eslint', ['.', '--max-warnings', '0'])] : [];
const checked = checks.reduce((s, c) => ({ pass: s.pass + c.pass, fail: s.fail + c.fail }), { pass: 0, fail: 0 });

const main = await runTap(extra, {});
const engineTests = readdirSync(join(root, 'test', 'ts')).filter((f) => f.endsWith('.test.ts')).map((f) => `test/ts/${f}`);
const scalar = extra.length ? { code: 0, pass: 0, fail: 0, skip: 0 } : await runTap(engineTests, { KINDLING_SIMD: 'scalar' });
const passed = main.pass + scalar.pass + checked.pass;
const failed = main.fail + scalar.fail + checked.fail;
const skipped = main.skip + scalar.skip;
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(main.code === 0 && scalar.code === 0 && checked.fail === 0 ? 0 : 1);
