#!/usr/bin/env node
// Builds and runs the C++ kernel tests (native/test/*.cc) from the same source lists binding.gyp
// uses (read from binding.gyp, so there is one list), twice: optimised (-O2) and under
// -fsanitize=address,undefined. Compiler output goes to stderr; the test binary's TAP to stdout.
// Usage: node scripts/native-test.mjs [--only=plain|sanitize]
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const gyp = JSON.parse(readFileSync(join(root, 'binding.gyp'), 'utf8'));
const v = gyp.variables;
const only = (process.argv.find((a) => a.startsWith('--only=')) ?? '').slice(7);
const cxx = process.env.CXX && process.env.CXX !== 'false' ? process.env.CXX : 'g++';
const tests = readdirSync(join(root, 'native/test')).filter((f) => f.endsWith('.cc')).map((f) => `native/test/${f}`);
const x64 = process.arch === 'x64';

const units = [
  ...v.kindling_scalar_sources.map((s) => ({ src: s, flags: [] })),
  ...tests.map((s) => ({ src: s, flags: [] })),
  ...(x64 ? v.kindling_avx2_sources.map((s) => ({ src: s, flags: v.kindling_avx2_flags })) : []),
  ...(x64 ? v.kindling_avx512_sources.map((s) => ({ src: s, flags: v.kindling_avx512_flags })) : []),
];
const defines = x64 ? ['-DKINDLING_HAVE_AVX2=1', '-DKINDLING_HAVE_AVX512=1'] : [];

const configs = {
  plain: ['-O2'],
  sanitize: ['-O1', '-g', '-fsanitize=address,undefined', '-fno-sanitize-recover=all', '-fno-omit-frame-pointer'],
};

async function compileAll(name, cflags) {
  const out = join(root, 'native/test/build', name);
  mkdirSync(out, { recursive: true });
  const jobs = units.map((u) => {
    const obj = join(out, u.src.replace(/[/.]/g, '_') + '.o');
    const args = ['-std=c++17', '-Wall', '-Wextra', '-Werror', '-Wno-maybe-uninitialized', '-Inative/include', ...defines, ...cflags, ...u.flags, '-c', u.src, '-o', obj];
    return { obj, args, src: u.src };
  });
  const parallel = Math.max(1, Math.min(2, cpus().length));
  let next = 0;
  const { spawn } = await import('node:child_process');
  async function worker() {
    while (next < jobs.length) {
      const j = jobs[next++];
      if (existsSync(j.obj) && statSync(j.obj).mtimeMs > Math.max(statSync(join(root, j.src)).mtimeMs, newestHeader())) continue;
      await new Promise((res, rej) => {
        const p = spawn(cxx, j.args, { cwd: root, stdio: ['ignore', process.stderr, process.stderr] });
        p.on('exit', (code) => (code === 0 ? res() : rej(new Error(`${cxx} failed on ${j.src}`))));
      });
    }
  }
  await Promise.all(Array.from({ length: parallel }, worker));
  const bin = join(out, 'kernels_test');
  execFileSync(cxx, [...cflags, '-o', bin, ...jobs.map((j) => j.obj)], { cwd: root, stdio: ['ignore', process.stderr, process.stderr] });
  return bin;
}

let headerTime;
function newestHeader() {
  if (headerTime !== undefined) return headerTime;
  const walk = (d) => readdirSync(d).flatMap((f) => (statSync(join(d, f)).isDirectory() ? walk(join(d, f)) : [join(d, f)]));
  headerTime = Math.max(...walk(join(root, 'native/include')).map((f) => statSync(f).mtimeMs), statSync(fileURLToPath(import.meta.url)).mtimeMs);
  return headerTime;
}

let failed = false;
let point = 0;
for (const [name, cflags] of Object.entries(configs)) {
  if (only && only !== name) continue;
  process.stderr.write(`# building native tests (${name}) from binding.gyp's source lists\n`);
  const bin = await compileAll(name, cflags);
  console.log(`# Subtest: C++ kernel tests (${name})`);
  const r = spawnSync(bin, [], { encoding: 'utf8', env: { ...process.env, ASAN_OPTIONS: 'detect_leaks=1:abort_on_error=0', UBSAN_OPTIONS: 'print_stacktrace=1' } });
  process.stdout.write(r.stdout.split('\n').map((l) => (l ? `    ${l}` : l)).join('\n'));
  if (r.stderr) process.stderr.write(r.stderr);
  const ok = r.status === 0;
  failed ||= !ok;
  console.log(`${ok ? 'ok' : 'not ok'} ${++point} - C++ kernel tests (${name})${ok ? '' : ` # exit ${r.status} ${r.signal ?? ''}`}`);
  process.stderr.write(`# ${relative(root, bin)}: exit ${r.status}\n`);
}
console.log(`1..${point}`);
process.exit(failed ? 1 : 0);
