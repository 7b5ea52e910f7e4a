/**
 * The shape of one built-in function in the function table (registry.ts): its name, its type
 * rule (the argument types → the result type, throwing a message that names the function and the
 * bad argument) and its evaluation over one batch. Adding a function is adding one entry to a
 * family file (string.ts, math.ts, conditional.ts, collection.ts, generators.ts).
 * Follows shared/ARCHITECTURE.md (Execution: tasks name operators and functions, never code).
 */
import type * as arrow from 'apache-arrow';
import { Errors } from '../../errors.js';
import type { AnyData } from '../batch.js';
import type { Expr } from '../column.js';
import type { EvalContext } from '../expr/evaluate.js';
import { isNumericType, isStringType, Types } from '../types.js';

/** A call being typed: the call, its arguments' types, and `need` to check one argument. */
export interface TypeCall {
  api: string;
  e: Expr & { k: 'fn' };
  args: readonly arrow.DataType[];
  /** Throws `<api>: <fn> expects <what>, got <arg> (<type>)` unless args[i] passes `ok` or is NullType. */
  need(i: number, ok: (t: arrow.DataType) => boolean, what: string): void;
}

/** A call being evaluated over one batch of n rows, its result type already known. */
export interface FnCall {
  api: string;
  e: Expr & { k: 'fn' };
  n: number;
  out: arrow.DataType;
  ctx: EvalContext;
  /** Evaluates any expression over the same batch. */
  ev(x: Expr): AnyData;
  /** Evaluates the first argument; null when it is NullType (the result is then all null). */
  arg0(): AnyData | null;
}

export interface FunctionDef {
  readonly name: string;
  readonly type: (c: TypeCall) => arrow.DataType;
  readonly evaluate: (c: FnCall) => AnyData;
}

/** The value of a literal argument (regex patterns, positions, seeds …); other expressions throw. */
export function litArg(e: Expr & { k: 'fn' }, i: number): unknown {
  const a = e.args[i];
  if (!a || a.k !== 'lit') throw Errors.schema(`${e.name}: argument ${i + 1} must be a literal`);
  return a.value;
}

/** Type rule: a string first argument → string. */
export function stringToString(c: TypeCall): arrow.DataType {
  c.need(0, isStringType, 'a string column');
  return Types.string();
}

/** Type rule: a string first argument → boolean. */
export function stringToBoolean(c: TypeCall): arrow.DataType {
  c.need(0, isStringType, 'a string column');
  return Types.boolean();
}

/** Type rule: numeric arguments → double. */
export function numericToDouble(c: TypeCall): arrow.DataType {
  c.args.forEach((_, i) => c.need(i, isNumericType, 'a numeric column'));
  return Types.double();
}
