#!/usr/bin/env node
// `kindling-server …` = `kindling server …`: the tracking server (ts/ml/tracking/server/cli.ts, built
// into dist/ by `npm run build:ts`). A bad flag prints the coded error and exits 2.
import { runServerCommand } from '../dist/ts/ml/tracking/server/cli.js';

runServerCommand(process.argv.slice(2)).catch((e) => {
  console.error(`${e.code ?? 'ERR'}: ${e.message}`);
  process.exit(2);
});
