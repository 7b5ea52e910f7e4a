/**
 * The reader fuzz harness: mutates valid inputs (flip bytes, truncate, insert, duplicate a range)
 * with a seeded PRNG and reads each mutant with a kindling reader on a worker thread under a time
 * limit. Every case must end in rows or a coded KindlingError: a hang (no answer within
 * `timeoutMs`: the worker is terminated and replaced), a crash (the worker dies), an error
 * without an `ERR_KINDLING_…` code, or changed rows after flips only inside checksummed bytes
 * (`checksummed`) is a failure. Used by test/ts/io/fuzz.test.ts (small budget)
 * and bench/fuzz.ts (`npm run bench:fuzz -- <cases>`).
 *
 * A worker, not a Promise timeout: a reader stuck in a synchronous loop never yields to a timer
 * on its own thread. One worker serves many cases, so a case costs a read, not a thread start.
 */
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mulberry32 } from '../reference/rng.js';
import { READERS, type ReaderName } from './readers.js';

/** The seeded PRNG of the mutations: test/reference/rng.ts's mulberry32 (uniform in [0, 1)). */
export const prng = mulberry32;

export type MutationKind = 'flip' | 'truncate' | 'insert' | 'duplicate';
export interface Mutant { kind: MutationKind; at: number; bytes: Uint8Array }

/** One mutation of `input`, chosen by `rand`; `at` is the first byte it changed. */
export function mutate(input: Uint8Array, rand: () => number): Mutant {
  const n = input.length;
  const pick = (m: number) => Math.floor(rand() * m);
  const kinds: MutationKind[] = ['flip', 'flip', 'flip', 'truncate', 'insert', 'duplicate'];
  const kind = kinds[pick(kinds.length)]!;
  const at = pick(Math.max(1, n));
  switch (kind) {
    case 'flip': {
      const out = input.slice();
      const count = 1 + pick(4);
      for (let k = 0; k < count && n > 0; k++) {
        const i = k === 0 ? at : Math.min(n - 1, at + pick(16));
        out[i] = rand() < 0.5 ? out[i]! ^ (1 << pick(8)) : pick(256);
      }
      return { kind, at, bytes: out };
    }
    case 'truncate':
      return { kind, at, bytes: input.slice(0, at) };
    case 'insert': {
      const ins = Uint8Array.from({ length: 1 + pick(8) }, () => pick(256));
      const out = new Uint8Array(n + ins.length);
      out.set(input.subarray(0, at));
      out.set(ins, at);
      out.set(input.subarray(at), at + ins.length);
      return { kind, at, bytes: out };
    }
    case 'duplicate': {
      const len = 1 + pick(Math.min(64, Math.max(1, n - at)));
      const range = input.subarray(at, at + len);
      const to = pick(n + 1);
      const out = new Uint8Array(n + range.length);
      out.set(input.subarray(0, to));
      out.set(range, to);
      out.set(input.subarray(to), to + range.length);
      return { kind, at: Math.min(at, to), bytes: out };
    }
  }
}

/**
 * 'undetected': rows differ from the input's although every changed byte lies inside a range the
 * format checksums (FuzzOptions.checksummed), i.e. damage a checksum should have caught.
 */
export type Outcome = 'same' | 'changed' | 'coded-error' | 'hang' | 'crash' | 'uncoded-error' | 'undetected';
export interface FuzzFailure { reader: ReaderName; case: number; kind: MutationKind; at: number; outcome: Outcome; detail: string; file: string }
/** `checksummedFlips`: cases whose damage lay only inside checksummed bytes (the 'undetected' check ran on them). */
export interface FuzzReport { cases: number; outcomes: Record<Outcome, number>; checksummedFlips: number; failures: FuzzFailure[] }

interface Reply { rows?: string; error?: { name: string; code?: string; message: string } }

/** A worker thread running readers.ts, replaced when it hangs or dies. */
class ReaderThread {
  private worker: Worker | null = null;
  private spawn(): Worker {
    // tsx's API registers the TypeScript loader inside the thread (a worker does not inherit it).
    const code = `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((m) => m.register()).then(() => import(${JSON.stringify(import.meta.url)}))`;
    return new Worker(code, { eval: true, workerData: { kindlingFuzz: true } });
  }
  async read(reader: ReaderName, file: string, timeoutMs: number): Promise<{ outcome: 'reply'; reply: Reply } | { outcome: 'hang' | 'crash'; detail: string }> {
    const w = (this.worker ??= this.spawn());
    return new Promise((resolve) => {
      const done = (r: { outcome: 'reply'; reply: Reply } | { outcome: 'hang' | 'crash'; detail: string }) => {
        clearTimeout(timer);
        w.off('message', onMessage);
        w.off('error', onError);
        w.off('exit', onExit);
        resolve(r);
      };
      const onMessage = (reply: Reply) => done({ outcome: 'reply', reply });
      const onError = (e: Error) => {
        this.worker = null;
        void w.terminate();
        done({ outcome: 'crash', detail: `${e.name}: ${e.message}` });
      };
      const onExit = (code: number) => {
        this.worker = null;
        done({ outcome: 'crash', detail: `worker exited with ${code}` });
      };
      const timer = setTimeout(() => {
        this.worker = null;
        void w.terminate();
        done({ outcome: 'hang', detail: `no answer within ${timeoutMs} ms` });
      }, timeoutMs);
      w.on('message', onMessage);
      w.on('error', onError);
      w.on('exit', onExit);
      w.postMessage({ reader, file });
    });
  }
  async close(): Promise<void> {
    await this.worker?.terminate();
    this.worker = null;
  }
}

/** Every single-byte flip (XOR 0xff) of `input` in [from, to): the exhaustive sweep of one region. */
export function* byteFlips(input: Uint8Array, from = 0, to = input.length): Generator<Mutant> {
  for (let at = Math.max(0, from); at < Math.min(to, input.length); at++) {
    const bytes = input.slice();
    bytes[at] = bytes[at]! ^ 0xff;
    yield { kind: 'flip', at, bytes };
  }
}

export interface FuzzOptions {
  /** valid inputs of each reader (a mutant is made from one of them) */
  inputs: Partial<Record<ReaderName, Uint8Array[]>>;
  /** random mutants to run, spread over the readers (with `sweep`, ignored) */
  cases: number;
  /** instead of random mutants: these, of the first input of `reader` */
  sweep?: { reader: ReaderName; mutants: Iterable<Mutant> };
  seed: number;
  timeoutMs?: number;
  /** keep failing mutants in this directory (default: a temporary one, removed when clean) */
  keepDir?: string;
  /** byte ranges [start, end) of an input covered by checksums: flips only inside them must not change the rows */
  checksummed?: Map<Uint8Array, [number, number][]>;
}

/** Whether every byte where `a` and `b` (same length) differ lies inside one of `ranges`. */
function changesInside(a: Uint8Array, b: Uint8Array, ranges: [number, number][]): boolean {
  let any = false;
  for (let i = 0; i < a.length; i++) {
    if (a[i] === b[i]) continue;
    if (!ranges.some(([s, e]) => i >= s && i < e)) return false;
    any = true;
  }
  return any;
}

/** Runs `cases` mutants spread over the readers in `inputs`; a failure keeps its file for replay. */
export async function runFuzz(options: FuzzOptions): Promise<FuzzReport> {
  const rand = prng(options.seed);
  const timeoutMs = options.timeoutMs ?? 5000;
  const dir = options.keepDir ?? mkdtempSync(join(tmpdir(), 'kindling-fuzz-'));
  const readers = (Object.keys(options.inputs) as ReaderName[]).filter((r) => options.inputs[r]!.length > 0);
  const thread = new ReaderThread();
  const report: FuzzReport = { cases: 0, outcomes: { same: 0, changed: 0, 'coded-error': 0, hang: 0, crash: 0, 'uncoded-error': 0, undetected: 0 }, checksummedFlips: 0, failures: [] };
  try {
    const baseline = new Map<Uint8Array, string>();
    for (const r of readers) {
      for (const input of options.inputs[r]!) {
        const f = join(dir, `valid.${READERS[r].ext}`);
        writeFileSync(f, input);
        const res = await thread.read(r, f, timeoutMs * 4);
        if (res.outcome !== 'reply' || res.reply.rows === undefined) throw new Error(`fuzz: a valid ${r} input does not read: ${JSON.stringify(res)}`);
        baseline.set(input, res.reply.rows);
      }
    }
    const planned = options.sweep ? options.sweep.mutants[Symbol.iterator]() : null;
    for (let c = 0; planned || c < options.cases; c++) {
      let r: ReaderName;
      let input: Uint8Array;
      let m: Mutant;
      if (planned) {
        const next = planned.next();
        if (next.done) break;
        r = options.sweep!.reader;
        input = options.inputs[r]![0]!;
        m = next.value;
      } else {
        r = readers[c % readers.length]!;
        const inputs = options.inputs[r]!;
        input = inputs[Math.floor(rand() * inputs.length)]!;
        m = mutate(input, rand);
      }
      const file = join(dir, `case-${c}.${READERS[r].ext}`);
      writeFileSync(file, m.bytes);
      const ranges = options.checksummed?.get(input);
      const insideChecksums = !!ranges && m.kind === 'flip' && changesInside(input, m.bytes, ranges);
      if (insideChecksums) report.checksummedFlips++;
      const res = await thread.read(r, file, timeoutMs);
      let outcome: Outcome;
      let detail = '';
      if (res.outcome !== 'reply') {
        outcome = res.outcome;
        detail = res.detail;
      } else if (res.reply.error) {
        const e = res.reply.error;
        outcome = e.name.startsWith('Kindling') && /^ERR_KINDLING_/.test(e.code ?? '') ? 'coded-error' : 'uncoded-error';
        detail = `${e.name} ${e.code ?? '(no code)'}: ${e.message}`;
      } else {
        outcome = res.reply.rows === baseline.get(input) ? 'same' : 'changed';
        if (outcome === 'changed' && insideChecksums) {
          outcome = 'undetected';
          detail = 'rows changed by damage inside checksummed bytes';
        }
      }
      report.cases++;
      report.outcomes[outcome]++;
      if (outcome === 'hang' || outcome === 'crash' || outcome === 'uncoded-error' || outcome === 'undetected') report.failures.push({ reader: r, case: c, kind: m.kind, at: m.at, outcome, detail, file });
      else rmSync(file, { force: true });
    }
  } finally {
    await thread.close();
    if (!options.keepDir && report.failures.length === 0) rmSync(dir, { recursive: true, force: true });
  }
  return report;
}

// The worker side: read each file it is sent and answer with its rows (as JSON) or the error.
if (!isMainThread && (workerData as { kindlingFuzz?: boolean } | null)?.kindlingFuzz) {
  parentPort!.on('message', ({ reader, file }: { reader: ReaderName; file: string }) => {
    READERS[reader].read(file).then(
      (rows) => parentPort!.postMessage({ rows } satisfies Reply),
      (e: unknown) => {
        const err = e as { name?: string; code?: string; message?: string };
        parentPort!.postMessage({ error: { name: String(err?.name ?? typeof e), code: typeof err?.code === 'string' ? err.code : undefined, message: String(err?.message ?? e) } } satisfies Reply);
      },
    );
  });
}
