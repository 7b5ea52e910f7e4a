// Shipped binaries must run on any x86-64: only the per-tier static libraries may contain
// AVX/AVX-512 instructions; the baseline objects (scalar kernels, dispatch, binding) must not.
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const objRoot = join(root, 'build', 'Release', 'obj.target');
const haveObjdump = spawnSync('objdump', ['--version']).status === 0;

function objects(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? objects(p) : p.endsWith('.o') ? [p] : [];
  });
}

t.test('baseline objects use no AVX registers; tier libraries do', { skip: process.arch !== 'x64' || !haveObjdump ? 'needs x64 and objdump' : false }, async (t) => {
  const all = objects(objRoot);
  t.ok(all.length > 0, `found object files under ${objRoot}`);
  const baseline = all.filter((p) => !p.includes('kernels_avx'));
  const avx512 = all.filter((p) => p.includes('kernels_avx512'));
  const lists = JSON.parse(readFileSync(join(root, 'binding.gyp'), 'utf8')).variables;
  const avx2 = all.filter((p) => p.includes('kernels_avx2'));
  t.equal(avx2.length, lists.kindling_avx2_sources.length, 'one AVX2 object per AVX2 source in binding.gyp');
  t.equal(avx512.length, lists.kindling_avx512_sources.length, 'one AVX-512 object per AVX-512 source in binding.gyp');
  t.equal(baseline.length, lists.kindling_scalar_sources.length + lists.kindling_binding_sources.length, 'every baseline source was built');
  for (const obj of baseline) {
    const dis = spawnSync('objdump', ['-d', '--no-show-raw-insn', obj], { encoding: 'utf8', maxBuffer: 64 << 20 }).stdout;
    const wide = dis.split('\n').filter((l) => /%[yz]mm\d|\bv(fmadd|gather|pmull|broadcast)/.test(l));
    t.same(wide.slice(0, 3), [], `${obj.slice(objRoot.length + 1)} has no AVX instructions`);
  }
  const dis512 = spawnSync('objdump', ['-d', '--no-show-raw-insn', ...avx512], { encoding: 'utf8', maxBuffer: 64 << 20 }).stdout;
  t.match(dis512, /%zmm\d/, 'the AVX-512 tier really uses zmm registers');
});
