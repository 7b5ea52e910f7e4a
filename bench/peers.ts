/** Peer engines run inside the benchmarks on the same data (each skipped when not installed). */
import { fmixSql, groupKeySql, groupValueSql } from './data.js';
import { time, timeAsync, type Timing } from './harness.js';

type Duck = typeof import('@duckdb/node-api');

export async function loadDuckDb(): Promise<Duck | null> {
  try {
    return await import('@duckdb/node-api');
  } catch {
    console.log('# DuckDB (@duckdb/node-api) not installed: skipped');
    return null;
  }
}

/** DuckDB over the same closed-form table (built in DuckDB from range(n)), 2 and 1 threads. */
export async function duckdbGroupBy(n: number, k: number, opts: { stringKeys?: boolean; threads?: number[] } = {}): Promise<Timing[]> {
  const duck = await loadDuckDb();
  if (!duck) return [];
  const out: Timing[] = [];
  const db = await duck.DuckDBInstance.create(':memory:');
  const con = await db.connect();
  const key = opts.stringKeys ? `'key-' || (${groupKeySql(k)})::VARCHAR` : `(${groupKeySql(k)})::INTEGER`;
  await con.run(`CREATE TABLE t AS SELECT ${key} AS k, ${groupValueSql} AS v FROM ${fmixSql(n)} ORDER BY i`);
  for (const threads of opts.threads ?? [2, 1]) {
    await con.run(`SET threads = ${threads}`);
    out.push(await timeAsync(`DuckDB ${duck.version()} ${threads} threads`, async () => {
      await con.run('CREATE OR REPLACE TEMP TABLE res AS SELECT k, sum(v), avg(v), count(*) FROM t GROUP BY k');
    }, { reps: 5, note: 'CREATE TEMP TABLE AS SELECT k, sum, avg, count GROUP BY k (data already in DuckDB)' }));
  }
  const chk = await con.runAndReadAll(`SELECT sum(v), count(*) FROM t WHERE k = ${opts.stringKeys ? "'key-0'" : '0'}`);
  const [dsum, dcount] = chk.getRows()[0]! as [number, bigint];
  con.closeSync?.();
  return out.map((t) => ({ ...t, note: `${t.note}; key 0: sum ${Number(dsum).toFixed(2)}, count ${dcount}` }));
}

/** DuckDB inner join of two n-row tables on int keys (each key in [0, n) drawn by fmix32). */
export async function duckdbJoin(n: number, threads = 2): Promise<Timing[]> {
  const duck = await loadDuckDb();
  if (!duck) return [];
  const db = await duck.DuckDBInstance.create(':memory:');
  const con = await db.connect();
  await con.run(`SET threads = ${threads}`);
  await con.run(`CREATE TABLE a AS SELECT (h % ${n})::INTEGER AS k, i::DOUBLE AS x FROM ${fmixSql(n)} ORDER BY i`);
  await con.run(`CREATE TABLE b AS SELECT i::INTEGER AS k, (i * 2)::DOUBLE AS y FROM range(${n}) r(i)`);
  const t = await timeAsync(`DuckDB ${duck.version()} ${threads} threads`, async () => {
    await con.run('CREATE OR REPLACE TEMP TABLE res AS SELECT a.k, x, y FROM a JOIN b ON a.k = b.k');
  }, { reps: 3, note: 'CREATE TEMP TABLE AS SELECT … JOIN (data already in DuckDB)' });
  const rows = await con.runAndReadAll('SELECT count(*), sum(y) FROM res');
  const [c, s] = rows.getRows()[0]! as [bigint, number];
  con.closeSync?.();
  return [{ ...t, note: `${t.note}; ${c} rows, sum(y) ${s}` }];
}

export async function arqueroGroupBy(keys: Int32Array | string[], values: Float64Array, k: number): Promise<Timing[]> {
  let aq: any;
  try {
    aq = await import('arquero');
  } catch {
    console.log('# arquero not installed: skipped');
    return [];
  }
  const table = aq.table({ k: keys, v: values });
  const reps = k >= 1e6 ? 1 : 3;
  return [time('arquero groupby().rollup(sum, mean, count)', () => table.groupby('k').rollup({ s: aq.op.sum('v'), m: aq.op.mean('v'), c: aq.op.count() }), { reps, warmup: 1 })];
}
