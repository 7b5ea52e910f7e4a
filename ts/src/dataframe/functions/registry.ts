/**
 * The function table: every built-in function by name, one FunctionDef each (function-def.ts)
 * from the family files. Expression analysis takes a call's type from here
 * (expr/types-of.ts) and evaluation its evaluate (expr/evaluate.ts); a name not here is an
 * "unknown function" error.
 * Follows shared/ARCHITECTURE.md (Execution: functions by name, never shipped code).
 */
import { Errors } from '../../errors.js';
import { COLLECTION_FUNCTIONS } from './collection.js';
import { CONDITIONAL_FUNCTIONS } from './conditional.js';
import type { FunctionDef } from './function-def.js';
import { GENERATOR_FUNCTIONS } from './generators.js';
import { MATH_FUNCTIONS } from './math.js';
import { STRING_FUNCTIONS } from './string.js';

const FUNCTIONS = new Map<string, FunctionDef>();
for (const def of [...STRING_FUNCTIONS, ...MATH_FUNCTIONS, ...CONDITIONAL_FUNCTIONS, ...COLLECTION_FUNCTIONS, ...GENERATOR_FUNCTIONS]) {
  if (FUNCTIONS.has(def.name)) throw Errors.schema(`function table: ${def.name} is defined twice`);
  FUNCTIONS.set(def.name, def);
}

/** The table entry of a built-in function, or undefined for an unknown name. */
export function functionDef(name: string): FunctionDef | undefined {
  return FUNCTIONS.get(name);
}

