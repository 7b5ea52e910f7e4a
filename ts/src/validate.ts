/** Argument checks shared by the public wrappers. Each throws a KindlingTypeError/RangeError. */
import { Errors, KindlingRangeError } from './errors.js';

export type NumericArray = Float64Array | Float32Array | Int32Array;

/** A validity bitmap as Arrow stores it: bit `offset + i` (LSB first) is 1 when row i is valid. */
export interface Validity {
  bitmap: Uint8Array;
  offset: number;
}

export function expectInteger(api: string, name: string, value: unknown, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw Errors.invalidArg(api, name, `integer >= ${min}`, value);
  }
  if (value < min || value > max) {
    const what = max === Number.MAX_SAFE_INTEGER ? `integer >= ${min}` : `integer in [${min}, ${max}]`;
    throw Errors.outOfRange(api, name, what, value);
  }
  return value;
}

/**
 * A zeroed Float64Array of `rows * cols` for an output named `name`: a size the engine cannot
 * allocate is a coded RangeError naming the shape (not V8's bare "Invalid typed array length").
 */
export function outputF64(api: string, name: string, rows: number, cols: number): Float64Array {
  const len = rows * cols;
  try {
    return new Float64Array(len);
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    throw new KindlingRangeError(`${api}: ${name} would be ${rows} x ${cols} = ${len} doubles, more than this process can allocate (${(e as Error).message})`);
  }
}

export function expectFloat64Array(api: string, name: string, value: unknown): Float64Array {
  if (!(value instanceof Float64Array)) throw Errors.invalidArg(api, name, 'Float64Array', value);
  return value;
}

export function expectInt32Array(api: string, name: string, value: unknown): Int32Array {
  if (!(value instanceof Int32Array)) throw Errors.invalidArg(api, name, 'Int32Array', value);
  return value;
}

export function expectNumericArray(api: string, name: string, value: unknown): NumericArray {
  if (value instanceof Float64Array || value instanceof Float32Array || value instanceof Int32Array) return value;
  throw Errors.invalidArg(api, name, 'Float64Array, Float32Array or Int32Array', value);
}

export function expectLength(api: string, name: string, arr: ArrayLike<unknown>, length: number): void {
  if (arr.length !== length) {
    throw Errors.outOfRange(api, `${name}.length`, `${length}`, arr.length);
  }
}

/** Checks a validity bitmap covers `n` rows; returns [bitmap | null, offset] for a native call. */
export function validityArgs(api: string, validity: Validity | null | undefined, n: number): [Uint8Array | null, number] {
  if (validity == null) return [null, 0];
  if (typeof validity !== 'object' || !(validity.bitmap instanceof Uint8Array)) {
    throw Errors.invalidArg(api, 'validity', '{ bitmap: Uint8Array, offset: number }', validity);
  }
  const offset = expectInteger(api, 'validity.offset', validity.offset);
  const need = Math.ceil((offset + n) / 8);
  if (validity.bitmap.length < need) {
    throw Errors.outOfRange(api, 'validity.bitmap.length', `at least ${need} bytes for ${n} rows at bit offset ${offset}`, validity.bitmap.length);
  }
  return [validity.bitmap, offset];
}

/** True when row i is valid under `validity` (JS reference helper). */
export function isValid(validity: Validity | null | undefined, i: number): boolean {
  if (validity == null) return true;
  const bit = validity.offset + i;
  return ((validity.bitmap[bit >>> 3]! >>> (bit & 7)) & 1) === 1;
}
