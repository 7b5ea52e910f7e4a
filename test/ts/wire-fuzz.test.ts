// The wire codecs (ts/src/exec/wire.ts) under damaged input: seeded mutations of valid summary
// encodings (byte flips, truncations, insertions, deletions, absurd u32 lengths, spliced
// segments) and malformed wire errors. Every decode either returns plain data whose re-encoding
// is no longer than the input (memory stays proportional to the bytes given) or throws a
// KindlingRangeError with code ERR_KINDLING_TRANSPORT naming decodeSummary / decodeError; never a
// bare RangeError or SyntaxError, a stack overflow, or a hang.
import t, { type Test } from 'tap';
import { decodeError, decodeSummary, encodeError, encodeSummary, type WireError } from '../../ts/src/internals.js';
import { KindlingError, KindlingRangeError, KindlingTypeError } from '../../ts/src/errors.js';
import { mulberry32 } from '../reference/rng.js';

const SEED = Number(process.env.KINDLING_SEED ?? 20261207);

const samples: unknown[] = [
  null, true, 1.5, 'kmeans', 12345678901234567890n, -7n, new Float64Array([1, NaN, -Infinity]),
  { k: 3, cost: -1.5e300, name: 'é∑', ok: false, none: undefined, big: 1n },
  { sums: new Float64Array([1, 2, 3, 4]), weights: new Float64Array([5, 6]), counts: new Int32Array([-1, 2]), bytes: new Uint8Array([0, 255]) },
  [[[[['deep']]]], { a: [1, 2, { b: new BigUint64Array([2n ** 64n - 1n]) }] }],
  { nested: [{ f32: new Float32Array([0.5]) }, [1, 'two', null]], i16: new Int16Array([-3]), u16: new Uint16Array([9]), i8: new Int8Array([-1]), u32: new Uint32Array([7]) },
  Array.from({ length: 40 }, (_, i) => (i % 3 === 0 ? i : i % 3 === 1 ? `s${i}` : [i])),
];
const frames = samples.map((v) => encodeSummary(v));

function mutate(rand: () => number, frame: Uint8Array): Uint8Array {
  const b = Array.from(frame);
  const at = () => Math.floor(rand() * (b.length + 1));
  const steps = 1 + Math.floor(rand() * 3);
  for (let s = 0; s < steps; s++) {
    const op = Math.floor(rand() * 7);
    if (op === 0 && b.length > 0) b[Math.min(at(), b.length - 1)] ^= 1 << Math.floor(rand() * 8); // flip a bit
    else if (op === 1 && b.length > 0) b[Math.min(at(), b.length - 1)] = Math.floor(rand() * 256); // any byte (tags, kinds)
    else if (op === 2) b.length = at(); // truncate
    else if (op === 3) b.splice(at(), 0, ...Array.from({ length: 1 + Math.floor(rand() * 8) }, () => Math.floor(rand() * 256))); // insert
    else if (op === 4) { const i = at(); b.splice(i, 1 + Math.floor(rand() * 8)); } // delete
    else if (op === 5 && b.length >= 4) { // an absurd u32 (a length or count) anywhere
      const i = Math.min(at(), b.length - 4);
      const v = [0xffffffff, 0x7fffffff, 0x80000000, b.length, b.length - i, 0x10000][Math.floor(rand() * 6)]!;
      for (let k = 0; k < 4; k++) b[i + k] = (v >>> (8 * k)) & 0xff;
    } else { const i = at(); const j = at(); b.splice(at(), 0, ...b.slice(Math.min(i, j), Math.max(i, j))); } // splice a segment
  }
  return Uint8Array.from(b);
}

function checkDecode(t: Test, bytes: Uint8Array, label: string): 'ok' | 'error' | 'bad' {
  let value: unknown;
  try {
    value = decodeSummary(bytes);
  } catch (err) {
    if (err instanceof KindlingRangeError && err.code === 'ERR_KINDLING_TRANSPORT' && err.message.startsWith('decodeSummary: ')) return 'error';
    t.fail(`${label}: expected a coded ERR_KINDLING_TRANSPORT error, got ${String(err)}`);
    return 'bad';
  }
  const again = encodeSummary(value);
  if (again.length > bytes.length) {
    t.fail(`${label}: decoded to more than the input (${again.length} > ${bytes.length} bytes)`);
    return 'bad';
  }
  return 'ok';
}

t.test('seeded mutations of valid encodings decode or fail with a coded error', async (t) => {
  const rand = mulberry32(SEED);
  const tally = { ok: 0, error: 0, bad: 0 };
  for (let i = 0; i < 600; i++) {
    const f = frames[i % frames.length]!;
    tally[checkDecode(t, mutate(rand, f), `seed ${SEED} case ${i}`)]++;
  }
  t.equal(tally.bad, 0, `seed ${SEED}: ${tally.ok} decoded, ${tally.error} coded errors`);
  t.ok(tally.error > 300, 'most mutations are rejected');
  t.ok(tally.ok > 0, 'some mutations still decode (e.g. a changed number)');
  for (const f of frames) t.equal(checkDecode(t, f, 'an unmutated frame'), 'ok');
});

t.test('exact errors for each kind of damage', async (t) => {
  const head = (...b: number[]) => Uint8Array.from([0x31, 0x57, 0x4e, 0x4b, ...b]);
  const u32 = (v: number) => [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, v >>> 24];
  const cases: Array<[Uint8Array, RegExp]> = [
    [head(4, ...u32(2), 0xc3, 0x28), /^decodeSummary: invalid UTF-8 in the string at offset 5$/],
    [head(9, ...u32(3), 0x31, 0x2e, 0x35), /^decodeSummary: bigint text "1\.5" \(string\) at offset 5 is not an integer$/],
    [head(9, ...u32(0)), /^decodeSummary: bigint text "" \(string\) at offset 5 is not an integer$/],
    [head(6, ...u32(0xffffffff)), /^decodeSummary: object size 4294967295 exceeds the input$/],
    [head(7, 10, ...u32(0)), /^decodeSummary: unknown typed-array kind 10 at offset 5$/],
    [head(7, 0, ...u32(12), ...new Array(12).fill(0)), /^decodeSummary: Float64Array byte length 12 is not a multiple of 8$/],
    [head(7, 0, ...u32(0x7fffffff)), /^decodeSummary: truncated input: need 2147483647 bytes at offset 10, have 0$/],
    [head(4, ...u32(0xffffffff), 65), /^decodeSummary: truncated input: need 4294967295 bytes at offset 9, have 1$/],
    [head(...new Array(70).fill(5).flatMap(() => [5, ...u32(1)]), 0), /^decodeSummary: nesting deeper than 64$/],
    [head(), /^decodeSummary: truncated input: need 1 bytes at offset 4, have 0$/],
  ];
  for (const [bytes, message] of cases) {
    t.throws(() => decodeSummary(bytes), { name: 'KindlingRangeError', code: 'ERR_KINDLING_TRANSPORT', message }, String(message));
  }
  t.throws(() => decodeSummary([1, 2] as unknown as Uint8Array), { code: 'ERR_KINDLING_INVALID_ARG', message: /^decodeSummary: expected Uint8Array for bytes, got Array\(2\) \(object\)$/ });
});

t.test('encodeSummary refuses a typed array whose byte length a u32 cannot hold', async (t) => {
  // 4 GiB + 8 bytes of untouched (lazily mapped) memory: the check comes before any copy.
  t.throws(() => encodeSummary({ big: new Float64Array(2 ** 29 + 1) }), {
    code: 'ERR_KINDLING_INVALID_ARG', message: /^encodeSummary: expected typed arrays of at most 4294967295 bytes for value, got 4294967304 \(number\)$/,
  });
});

t.test('a "__proto__" key decodes as an own property, never the prototype', async (t) => {
  const o = JSON.parse('{"__proto__": {"polluted": 1}, "k": 2}') as Record<string, unknown>;
  const back = decodeSummary(encodeSummary(o)) as Record<string, unknown>;
  t.equal(Object.getPrototypeOf(back), Object.prototype);
  t.same(Object.keys(back), ['__proto__', 'k']);
  t.same(Object.getOwnPropertyDescriptor(back, '__proto__')?.value, { polluted: 1 });
  t.equal((back as { polluted?: unknown }).polluted, undefined);
});

t.test('decodeError: malformed wire errors are coded errors naming the field', async (t) => {
  const bad: Array<[unknown, RegExp]> = [
    [null, /^decodeError: expected an object for error, got null \(null\)$/],
    ['boom', /^decodeError: expected an object for error, got "boom" \(string\)$/],
    [{ message: 'm' }, /^decodeError: expected a string for error\.name, got undefined \(undefined\)$/],
    [{ name: 'Error', message: 3 }, /^decodeError: expected a string for error\.message, got 3 \(number\)$/],
    [{ name: 'Error', message: 'm', code: 7 }, /^decodeError: expected a string or undefined for error\.code, got 7 \(number\)$/],
    [{ name: 'Error', message: 'm', stack: {} }, /^decodeError: expected a string or undefined for error\.stack, got Object \(object\)$/],
    [{ name: 'Error', message: 'm', cause: { name: 1, message: 'c' } }, /^decodeError: expected a string for error\.cause\.name, got 1 \(number\)$/],
  ];
  for (const [w, message] of bad) {
    t.throws(() => decodeError(w as WireError), { name: 'KindlingRangeError', code: 'ERR_KINDLING_TRANSPORT', message }, String(message));
  }
  const cyclic: WireError = { name: 'Error', message: 'loop' };
  cyclic.cause = cyclic;
  t.throws(() => decodeError(cyclic), { code: 'ERR_KINDLING_TRANSPORT', message: /^decodeError: cause chain deeper than 16 \(or cyclic\)$/ });
  let deep: WireError = { name: 'KindlingError', message: 'leaf', code: 'ERR_KINDLING_NATIVE' };
  for (let i = 0; i < 16; i++) deep = { name: 'KindlingTypeError', message: `level ${i}`, cause: deep };
  const back = decodeError(deep);
  t.ok(back instanceof KindlingTypeError, 'a chain of 16 causes still decodes');
  let leaf: unknown = back;
  for (let i = 0; i < 16; i++) leaf = (leaf as Error).cause;
  t.ok(leaf instanceof KindlingError && (leaf as KindlingError).code === 'ERR_KINDLING_NATIVE' && (leaf as Error).message === 'leaf');
  t.throws(() => decodeError({ name: 'Error', message: 'x', cause: deep }), { message: /cause chain deeper than 16/ });
  const unprintable = { toString() { throw new Error('no'); } };
  t.same(encodeError(unprintable), { name: 'Error', message: 'a thrown object that cannot be converted to a string' });
});

t.test('seeded mutations of wire errors decode or fail with a coded error', async (t) => {
  const rand = mulberry32(SEED + 1);
  const junk = [null, undefined, 3, 'x', {}, [], true, 1n, { name: 'Error' }];
  const base = () => encodeError(new KindlingRangeError('outer: row 3 of x is NaN', 'ERR_KINDLING_INVALID_ARG', { cause: new TypeError('inner') })) as unknown as Record<string, unknown>;
  let bad = 0;
  for (let i = 0; i < 300; i++) {
    const w = base();
    const target = rand() < 0.5 ? w : (w.cause as Record<string, unknown>);
    const key = ['name', 'message', 'code', 'stack', 'cause'][Math.floor(rand() * 5)]!;
    target[key] = junk[Math.floor(rand() * junk.length)];
    try {
      const e = decodeError(w as unknown as WireError);
      if (!(e instanceof Error)) bad++;
    } catch (err) {
      if (!(err instanceof KindlingRangeError && err.code === 'ERR_KINDLING_TRANSPORT' && err.message.startsWith('decodeError: '))) {
        bad++;
        t.fail(`case ${i}: ${String(err)}`);
      }
    }
  }
  t.equal(bad, 0, `seed ${SEED + 1}: 300 mutated wire errors`);
});
