#!/usr/bin/env node
// The `kindling` command: runs ts/cli.ts's main from the compiled package (dist/, what the npm
// tarball carries), or from the TypeScript sources through tsx in a development checkout.
import { existsSync } from 'node:fs';

const dist = new URL('../dist/ts/cli.js', import.meta.url);
let cli;
if (existsSync(dist)) {
  cli = await import(dist.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  cli = await import(new URL('../ts/cli.ts', import.meta.url).href);
}
process.exitCode = await cli.main(process.argv.slice(2));
