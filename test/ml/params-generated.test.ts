// The generated params mixins (ts/ml/**/*-params.ts) match their tables (*-params.table.ts): a
// table edited without `npm run gen:params` fails here, naming the stale files.
import t from 'tap';
import { renderAll, staleFiles } from '../../scripts/gen-params.js';

t.test('every generated params file is up to date with its table', async (t) => {
  const files = await renderAll();
  t.ok(files.size >= 2, `${files.size} generated files`);
  t.same(await staleFiles(), [], 'no stale file (run `npm run gen:params`)');
});
