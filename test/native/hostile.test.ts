// The raw addon never aborts the process, whatever it is given: every export and native handle
// method (enumerated from the loaded addon; an export missing from the table fails) is called with
// hostile arguments (the table in hostile-cases.ts, swept by hostile-run.ts), one child process per
// target (the addon and each `_variants()` tier), so an abort fails the test naming the case. Each
// case must give a coded error (ERR_KINDLING_INVALID_ARG for arguments, ERR_KINDLING_NATIVE for a
// C++ exception caught by the guard in native/src/binding/args.h) or the exact legal result.
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { native } from '../../ts/src/native.js';
import { allCases, applicable, ENTRIES, type Case, type Target } from './hostile-run.js';

const addon = native() as unknown as Target;
const cases = allCases(addon);
const script = fileURLToPath(new URL('./hostile-run.ts', import.meta.url));

interface Outcome { id: string; value?: unknown; error?: string; code?: string | null; message?: string }

function handleMethods(h: object, cls: string): string[] {
  return Object.getOwnPropertyNames(Object.getPrototypeOf(h)).filter((n) => n !== 'constructor').map((n) => `${cls}.${n}`);
}

t.test('the table covers every export and handle method, and nothing else', async (t) => {
  const exported = new Set<string>(Object.keys(addon));
  for (const v of native()._variants()) for (const k of Object.keys(v)) if (k !== 'isa') exported.add(k);
  exported.add('KeyTable.constructor');
  exported.add('JoinTable.constructor');
  for (const m of handleMethods(native().keyTableNew('i32', 1), 'KeyTable')) exported.add(m);
  for (const m of handleMethods(native().joinTableNew('i32', 1), 'JoinTable')) exported.add(m);
  t.same([...exported].filter((n) => !(n in ENTRIES)).sort(), [], 'every export has hostile cases');
  t.same(Object.keys(ENTRIES).filter((n) => !exported.has(n)).sort(), [], 'every table entry is a real export');
  t.ok(cases.length > 1500, `${cases.length} cases`);
});

function check(c: Case, o: Outcome): string | null {
  const e = c.expect;
  const shown = JSON.stringify(o);
  if ('value' in e) return o.error === undefined && JSON.stringify(o.value) === JSON.stringify(e.value) ? null : `expected value ${JSON.stringify(e.value)}, got ${shown}`;
  if ('argError' in e) {
    if (o.error === undefined) return e.orReturn ? null : `expected a coded argument error, got ${shown}`;
    const ok = (o.error === 'TypeError' || o.error === 'RangeError') && o.code === 'ERR_KINDLING_INVALID_ARG' && o.message!.startsWith(`${c.fn}: `);
    return ok ? null : `expected TypeError/RangeError ERR_KINDLING_INVALID_ARG "${c.fn}: …", got ${shown}`;
  }
  return o.error === e.error && o.code === e.code && e.message.test(o.message ?? '') ? null : `expected ${e.error} ${e.code} ${e.message}, got ${shown}`;
}

const targets = ['addon', ...native()._variants().map((v) => v.isa)];
for (const target of targets) {
  t.test(`every hostile case on ${target} gives a coded error or the exact result`, async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'kindling-hostile-'));
    t.teardown(() => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, `${target}.jsonl`);
    const r = spawnSync(process.execPath, ['--import=tsx', script, target, file], { encoding: 'utf8' });
    const outcomes = new Map<string, Outcome>();
    let text = '';
    try { text = readFileSync(file, 'utf8'); } catch { /* the child died before opening it: every case is missing */ }
    for (const line of text.split('\n')) if (line) { const o = JSON.parse(line) as Outcome; outcomes.set(o.id, o); }
    const mine = applicable(cases, (target === 'addon' ? addon : native()._variants().find((v) => v.isa === target)) as unknown as Target);
    const missing = mine.find((c) => !outcomes.has(c.id));
    t.equal(missing?.id, undefined, `the child ran every case (exit ${r.status}, signal ${r.signal}); first case without an outcome, if it died: ${missing?.id}\n${r.stderr.slice(-2000)}`);
    t.equal(r.status, 0, 'the child exits 0');
    const problems = mine.flatMap((c) => {
      const o = outcomes.get(c.id);
      const p = o ? check(c, o) : null;
      return p ? [`${c.id}: ${p}`] : [];
    });
    t.same(problems, [], `${mine.length} cases`);
  });
}

// napi_create_arraybuffer aborts when V8 cannot allocate; the binding's one allocation helper
// (new_buffer, native/src/binding/args.h) makes large buffers through JS's ArrayBuffer instead,
// so a failed allocation is a coded error. A 3 GB data-segment limit (ulimit -d: writable private mappings, which V8 allocates ArrayBuffers in, while it leaves the wasm reservations tsx needs alone) makes these fail.
t.test('allocations that fail under a memory limit are coded errors, not aborts', { skip: process.platform !== 'linux' && 'ulimit -d counts mmap only on Linux' }, async (t) => {
  const probe = "import('./ts/src/native.ts').then(({ native }) => { const a = native(); for (const f of [() => a.groupAggInitF64(2 ** 27), () => a.scatterRows(new Int32Array(1), 2 ** 31 - 1)]) { try { f(); console.log('returned'); } catch (e) { console.log(e.code + ' ' + e.message); } } })";
  const r = spawnSync('sh', ['-c', `ulimit -d 3000000 && exec "${process.execPath}" --import=tsx -e "${probe}"`], {
    cwd: fileURLToPath(new URL('../..', import.meta.url)), encoding: 'utf8',
  });
  t.equal(r.signal, null, `no abort${r.stderr ? `: ${r.stderr.slice(-500)}` : ''}`);
  t.same(r.stdout.trim().split('\n'), [
    'ERR_KINDLING_NATIVE groupAggInitF64: out of memory (std::bad_alloc)',
    'ERR_KINDLING_NATIVE scatterRows: out of memory (std::bad_alloc)',
  ]);
});
