/**
 * Expression analysis and evaluation, the module the engine imports: names, types and errors
 * before any data moves, and vectorised evaluation over one Arrow RecordBatch with Spark's
 * (non-ANSI) semantics. The work is done in expr/ (types-of, evaluate, operators, cast,
 * column-access, type-rules) and functions/ (the function table: one entry per built-in
 * function, with its type rule and evaluation); this module re-exports what other modules use.
 * Follows shared/ARCHITECTURE.md (Execution).
 */
export { resolveIndex, typeOf, exprField } from './expr/types-of.js';
export { evaluate, type EvalContext } from './expr/evaluate.js';
export { castColumn, castToString, coerce as coerceColumn } from './expr/cast.js';
export { getter as valueGetter, numbers as numericValues } from './expr/column-access.js';
export { rowRandom } from './functions/generators.js';
