/**
 * PCA's partition summary kernel (issue 14): the Gram matrix of a row-major n x d block shifted
 * by a vector, sum over rows of (x - shift)(x - shift)^T (upper triangle of a d x d row-major
 * matrix; the lower triangle is left as it is), and the column sums of x - shift, added into the
 * caller's arrays (native/include/kindling/kernels/gram.h). `gramAdd` validates and makes one
 * native call; `gramAddRaw` is the entry for summaries over rows already checked
 * (ts/ml/feature/selection/pca-tasks.ts); `gramAddJs` is the JS reference twin (the scalar kernel's loops).
 */
import { native, type NativeKernels } from '../native.js';
import { expectFloat64Array, expectInteger } from '../validate.js';
import { Errors } from '../errors.js';

function checkArgs(api: string, x: Float64Array, d: number, shift: Float64Array, gram: Float64Array, sums: Float64Array): void {
  expectFloat64Array(api, 'x', x);
  expectInteger(api, 'd', d, 1);
  if (x.length % d !== 0) throw Errors.invalidArg(api, 'x', `a length that is a multiple of d = ${d}`, `${x.length} values`);
  expectFloat64Array(api, 'shift', shift);
  expectFloat64Array(api, 'gram', gram);
  expectFloat64Array(api, 'sums', sums);
  if (shift.length !== d) throw Errors.invalidArg(api, 'shift', `${d} values (d)`, `${shift.length} values`);
  if (gram.length !== d * d) throw Errors.invalidArg(api, 'gram', `${d * d} values (d x d)`, `${gram.length} values`);
  if (sums.length !== d) throw Errors.invalidArg(api, 'sums', `${d} values (d)`, `${sums.length} values`);
}

/** Adds the shifted Gram matrix (upper triangle) and column sums of the n x d block `x` into `gram` and `sums`. */
export function gramAdd(x: Float64Array, d: number, shift: Float64Array, gram: Float64Array, sums: Float64Array, impl: NativeKernels = native()): void {
  checkArgs('gramAdd', x, d, shift, gram, sums);
  impl.gramAddF64(x, d, shift, gram, sums);
}

/** Raw entry point for code that has already checked the shapes (a summary over validated rows). */
export function gramAddRaw(x: Float64Array, d: number, shift: Float64Array, gram: Float64Array, sums: Float64Array): void {
  native().gramAddF64(x, d, shift, gram, sums);
}

/** The JS reference twin. */
export function gramAddJs(x: Float64Array, d: number, shift: Float64Array, gram: Float64Array, sums: Float64Array): void {
  checkArgs('gramAddJs', x, d, shift, gram, sums);
  const n = x.length / d;
  for (let r = 0; r < n; r++) {
    for (let a = 0; a < d; a++) {
      const da = x[r * d + a]! - shift[a]!;
      sums[a] += da;
      for (let b = a; b < d; b++) gram[a * d + b] += da * (x[r * d + b]! - shift[b]!);
    }
  }
}
