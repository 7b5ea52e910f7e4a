// KINDLING_SIMD forces a tier (never above what the CPU has); a bad value is a clear error.
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { capabilities } from '../../ts/src/native.js';

const script = "import('./ts/src/native.ts').then(m => { try { console.log(m.simdLevel()); } catch (e) { console.log(e.code + ' ' + e.message); } })";

function levelWith(value: string): string {
  const r = spawnSync(process.execPath, ['--import=tsx', '-e', script], {
    cwd: new URL('../..', import.meta.url).pathname,
    env: { ...process.env, KINDLING_SIMD: value },
    encoding: 'utf8',
  });
  return r.stdout.trim();
}

t.test('KINDLING_SIMD selects the tier', async (t) => {
  const caps = capabilities();
  t.equal(levelWith('scalar'), 'scalar');
  if (caps.detected.includes('avx2')) t.equal(levelWith('avx2'), 'avx2');
  const best = caps.detected.includes('avx512') ? 'avx512' : caps.detected.includes('avx2') ? 'avx2' : 'scalar';
  t.equal(levelWith('avx512'), best, 'asking for avx512 never goes above the CPU');
  t.equal(levelWith(''), best, 'unset/empty picks the best tier');
  t.match(levelWith('sse9'), /^ERR_KINDLING_INVALID_ARG kindling: expected one of scalar, avx2, avx512 for KINDLING_SIMD, got "sse9"/);
});
