// The read floor task of bench/supervised.ts, in plain JavaScript because executor threads load
// user tasks by file: URL with Node's own loader: a summary that only sums a packed training
// block's bytes with the addon's multi-accumulator _streamSumF64.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const addon = require('node-gyp-build')(join(dirname(fileURLToPath(import.meta.url)), '..'));

export const streamSum = {
  zero: () => 0,
  add: (s, block) => s + addon._streamSumF64(block.x) + (block.y ? addon._streamSumF64(block.y) : 0),
  merge: (a, b) => a + b,
};
