// The raw addon never aborts the process, whatever it is given: every export and native handle
// method (enumerated from the loaded addon; an export missing from the table fails) is called
// with hostile arguments (test/native/hostile-cases.ts), one child process per target (the addon
// and each `_variants()` tier), so an abort is a failed test naming the case, not a dead tap. Each
// case must give a coded error (ERR_KINDLING_INVALID_ARG for arguments, ERR_KINDLING_NATIVE for a
// C++ exception caught by the guard in native/src/binding/args.h) or the exact legal result.
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { native } from '../../ts/src/native.js';
import { allCases, applicable, ENTRIES, type Case, type Target } from './hostile-cases.js';

const addon = native() as unknown as Target;
const cases = allCases(addon);
const script = fileURLToPath(new URL('./hostile-cases.ts', import.meta.url));

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
