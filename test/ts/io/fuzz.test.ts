// Reader fuzzing on a small budget (test/fuzz/harness.ts): mutants of valid CSV, JSON, Parquet
// and Arrow inputs must each end in rows or a coded KindlingError — no hang, no crash, no
// uncoded error — and flips inside checksummed bytes of kindling-written Parquet and Arrow files
// must never read as different rows. The long run is `npm run bench:fuzz -- <cases>`.
import t from 'tap';
import { byteFlips, prng, mutate, runFuzz } from '../../fuzz/harness.js';
import { checksummedRanges, validInputs } from '../../fuzz/readers.js';

t.test('mutations are seeded and change the input', async (t) => {
  const input = Uint8Array.from({ length: 100 }, (_, i) => i);
  const run = (seed: number, n: number) => {
    const r = prng(seed);
    return Array.from({ length: n }, () => mutate(input, r));
  };
  t.same(run(7, 20), run(7, 20), 'the same seed gives the same mutants');
  t.same([...new Set(run(1, 200).map((m) => m.kind))].sort(), ['duplicate', 'flip', 'insert', 'truncate']);
  t.ok(run(2, 50).every((m) => m.bytes.length !== input.length || m.bytes.some((b, i) => b !== input[i]) || m.kind === 'flip'));
  t.equal(prng(3)(), prng(3)());
});

t.test('400 mutants across the four readers: rows or a coded error, never a hang or a crash', async (t) => {
  const inputs = await validInputs(t.testdir());
  const checksummed = new Map<Uint8Array, [number, number][]>();
  for (const r of ['parquet', 'arrow'] as const) for (const input of inputs[r]) checksummed.set(input, checksummedRanges(r, input));
  t.ok(inputs.parquet.every((i) => checksummed.get(i)!.length >= 8), 'every Parquet page body is checksummed');
  t.same(inputs.arrow.map((i) => checksummed.get(i)!.length), [2, 0], 'the Arrow file has two checksummed batches, the stream none');
  const report = await runFuzz({ inputs, cases: 400, seed: 1, timeoutMs: 4000, checksummed });
  t.equal(report.cases, 400);
  t.same(report.failures, [], 'every mutant ends in rows or an ERR_KINDLING_ error');
  t.equal(report.outcomes.hang + report.outcomes.crash + report.outcomes['uncoded-error'] + report.outcomes.undetected, 0);
  t.ok(report.checksummedFlips >= 25, `flips inside checksummed bytes were tried (${report.checksummedFlips})`);
  t.ok(report.outcomes['coded-error'] > 50, `damage is reported (${report.outcomes['coded-error']} coded errors)`);
});

t.test('every byte of an Arrow schema message flipped: rows or a coded error (the hang of issue 10)', async (t) => {
  const inputs = await validInputs(t.testdir());
  for (const [k, format] of [[0, 'file'], [1, 'stream']] as const) {
    const input = inputs.arrow[k]!;
    const dv = new DataView(input.buffer, input.byteOffset, input.byteLength);
    const start = format === 'file' ? 8 : 0;
    const end = start + 8 + dv.getInt32(start + 4, true); // continuation, length, the Schema flatbuffer
    const report = await runFuzz({ inputs: { arrow: [input] }, cases: 0, seed: 0, timeoutMs: 4000, sweep: { reader: 'arrow', mutants: byteFlips(input, start, end) } });
    t.equal(report.cases, end - start, `${format}: ${end - start} flips`);
    t.same(report.failures, [], `${format}: no hang, crash or uncoded error`);
  }
});
