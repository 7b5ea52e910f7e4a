/** Timing and reporting helpers shared by the benchmarks (never run by the tests). */
import { writeFileSync, mkdirSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';

export interface Timing {
  name: string;
  medianMs: number;
  minMs: number;
  reps: number;
  note?: string;
}

export function time(name: string, fn: () => unknown, opts: { reps?: number; warmup?: number; note?: string } = {}): Timing {
  const reps = opts.reps ?? 5;
  for (let i = 0; i < (opts.warmup ?? 1); i++) fn();
  const ts: number[] = [];
  for (let r = 0; r < reps; r++) {
    const t0 = process.hrtime.bigint();
    fn();
    ts.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return finish(name, ts, opts.note);
}

export async function timeAsync(name: string, fn: () => Promise<unknown>, opts: { reps?: number; warmup?: number; note?: string } = {}): Promise<Timing> {
  const reps = opts.reps ?? 5;
  for (let i = 0; i < (opts.warmup ?? 1); i++) await fn();
  const ts: number[] = [];
  for (let r = 0; r < reps; r++) {
    const t0 = process.hrtime.bigint();
    await fn();
    ts.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return finish(name, ts, opts.note);
}

function finish(name: string, ts: number[], note?: string): Timing {
  ts.sort((a, b) => a - b);
  const t: Timing = { name, medianMs: ts[Math.floor(ts.length / 2)]!, minMs: ts[0]!, reps: ts.length };
  if (note) t.note = note;
  return t;
}

/** Prints one section: each row with median, min, and its ratio to the baseline and the floor. */
export function report(title: string, rows: Timing[], opts: { baseline?: string; floorMs?: number } = {}): void {
  console.log(`\n## ${title}`);
  const base = rows.find((r) => r.name === opts.baseline);
  console.log(`| engine | median ms | min ms | ${base ? `x faster than ${base.name} | ` : ''}${opts.floorMs ? 'x floor | ' : ''}note |`);
  console.log(`|---|---|---|${base ? '---|' : ''}${opts.floorMs ? '---|' : ''}---|`);
  for (const r of rows) {
    const cols = [r.name, r.medianMs.toFixed(2), r.minMs.toFixed(2)];
    if (base) cols.push((base.medianMs / r.medianMs).toFixed(2));
    if (opts.floorMs) cols.push((r.medianMs / opts.floorMs).toFixed(2));
    cols.push(r.note ?? '');
    console.log(`| ${cols.join(' | ')} |`);
  }
}

export function bar(label: string, ok: boolean, detail: string): { label: string; ok: boolean; detail: string } {
  console.log(`${ok ? 'MEETS' : 'MISSES'} bar: ${label} (${detail})`);
  return { label, ok, detail };
}

export function saveResults(area: string, payload: Record<string, unknown>): string {
  const dir = join(import.meta.dirname, 'results');
  mkdirSync(dir, { recursive: true });
  const cpu = (cpus()[0]?.model ?? 'cpu').replace(/[^A-Za-z0-9]+/g, '-').replace(/-+$/, '');
  const date = new Date().toISOString().slice(0, 10);
  const file = join(dir, `${date}-${cpu}-${area}.json`);
  const pkg = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'package.json'), 'utf8'));
  writeFileSync(file, JSON.stringify({ area, date, cpu: cpus()[0]?.model, cores: cpus().length, node: process.version, kindling: pkg.version, ...payload }, null, 2));
  return file;
}

export function median(v: readonly number[]): number {
  const s = v.slice().sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/**
 * Times an iterative fit: one warm-up (pool start, first touch), then `reps` fits, each with the
 * interval between consecutive progress events recorded (the first one, which includes the
 * setup, is dropped). Returns the whole-fit times, the per-iteration intervals and the last model.
 */
export async function timeIterativeFit<M>(fit: (onProgress: () => void) => Promise<M>, reps: number): Promise<{ times: number[]; iters: number[]; model: M }> {
  const once = async () => {
    const its: number[] = [];
    let last = performance.now();
    const t0 = last;
    const m = await fit(() => {
      const now = performance.now();
      its.push(now - last);
      last = now;
    });
    return { m, ms: performance.now() - t0, its };
  };
  let { m: model } = await once();
  const times: number[] = [];
  const iters: number[] = [];
  for (let r = 0; r < reps; r++) {
    const { m, ms, its } = await once();
    times.push(ms);
    iters.push(...its.slice(1));
    model = m;
  }
  return { times, iters, model };
}
