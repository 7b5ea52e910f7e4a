// The addon's TS declarations and the C++ export signature comments agree, and every declared
// kernel really is exported by the loaded addon (active table and every _variants() entry).
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { native } from '../../ts/src/native.js';

t.test('scripts/check-native-sigs.mjs finds no drift', async (t) => {
  const script = fileURLToPath(new URL('../../scripts/check-native-sigs.mjs', import.meta.url));
  const r = spawnSync(process.execPath, [script, '--json'], { encoding: 'utf8' });
  const out = JSON.parse(r.stdout);
  t.same(out.problems, []);
  t.ok(Object.keys(out.cc).length >= 12, `${Object.keys(out.cc).length} signatures compared`);
  const addon = native() as unknown as Record<string, unknown>;
  for (const name of Object.keys(out.ts)) t.equal(typeof addon[name], 'function', `${name} is exported`);
  for (const v of native()._variants()) {
    const kernels = Object.keys(out.ts).filter((n) => !['simdLevel', 'capabilities', '_variants'].includes(n));
    t.ok(kernels.every((n) => typeof (v as unknown as Record<string, unknown>)[n] === 'function'), `${v.isa} variant exports every kernel`);
  }
});
