// The function table (ts/src/dataframe/functions/registry.ts): every built-in function the
// evaluator knew before the table existed has exactly one entry, and an unknown name is refused
// by analysis with the same message as before.
import t from 'tap';
import * as arrow from 'apache-arrow';
import { functionDef } from '../../../ts/src/dataframe/functions/registry.js';
import { typeOf } from '../../../ts/src/dataframe/eval.js';
import { Types } from '../../../ts/src/dataframe/types.js';

const BUILTINS = [
  'lower', 'upper', 'trim', 'ltrim', 'rtrim', 'length', 'substring', 'regexp_replace', 'regexp_extract', 'split',
  'concat', 'concat_ws', 'contains', 'startswith', 'endswith', 'like', 'rlike',
  'abs', 'sqrt', 'exp', 'signum', 'log', 'log10', 'log2', 'log1p', 'logb', 'pow', 'floor', 'ceil', 'round',
  'coalesce', 'greatest', 'least', 'size', 'array_contains', 'get_item', 'struct', 'rand', 'monotonically_increasing_id',
];

t.test('every built-in function has an entry named after it', async (t) => {
  for (const name of BUILTINS) t.equal(functionDef(name)?.name, name, name);
  t.equal(functionDef('no_such_fn'), undefined);
});

t.test('type rules name the function and the bad argument; unknown names are refused', async (t) => {
  const schema = new arrow.Schema([new arrow.Field('x', Types.double(), true), new arrow.Field('s', Types.string(), true)]);
  const call = (name: string, ...cols: string[]) => ({ k: 'fn' as const, name, args: cols.map((c) => ({ k: 'col' as const, name: c })) });
  t.equal(String(typeOf('select', call('upper', 's'), schema)), String(Types.string()));
  t.throws(() => typeOf('select', call('upper', 'x'), schema), { message: 'select: upper expects a string column, got x (double)' });
  t.throws(() => typeOf('select', call('sqrt', 's'), schema), { message: 'select: sqrt expects a numeric column, got s (string)' });
  t.throws(() => typeOf('select', call('no_such_fn', 'x'), schema), { message: 'select: unknown function no_such_fn' });
});
