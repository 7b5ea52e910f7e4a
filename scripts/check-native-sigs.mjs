#!/usr/bin/env node
// Keeps the addon's TS declarations (and the shared constants the JS references mirror) (ts/src/native.ts) and the C++ exports in step: every
// `// name(args): ret` comment above an export in native/src/binding/*.cc must match the member
// of NativeKernels / NativeAddon with the same name, and every export must be declared.
// Exit 1 and a list of differences when they drift.
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const norm = (s) => s.replace(/\s+/g, ' ').replace(/\s*([(),:|;<>])\s*/g, '$1').trim();

const cc = {};
const bindingDir = join(root, 'native/src/binding');
for (const f of readdirSync(bindingDir).filter((f) => f.endsWith('.cc'))) {
  for (const m of readFileSync(join(bindingDir, f), 'utf8').matchAll(/^\/\/ (_?[a-zA-Z0-9]+)\((.*)\): (.+)$/gm)) {
    cc[m[1]] = norm(`(${m[2]}): ${m[3]}`);
  }
}
const ts = {};
const src = readFileSync(join(root, 'ts/src/native.ts'), 'utf8');
for (const block of src.matchAll(/export interface (NativeKernels|NativeAddon)[^{]*\{([\s\S]*?)\n\}/g)) {
  for (const m of block[2].matchAll(/^\s+(_?[a-zA-Z0-9]+)\(([^)]*)\): ([^;]+);/gm)) ts[m[1]] = norm(`(${m[2]}): ${m[3]}`);
}
const problems = [];
for (const [name, sig] of Object.entries(cc)) {
  if (!(name in ts)) problems.push(`${name}: exported by C++ but not declared in native.ts`);
  else if (ts[name] !== sig) problems.push(`${name}: C++ comment ${sig} != native.ts ${ts[name]}`);
}
for (const name of Object.keys(ts)) if (!(name in cc)) problems.push(`${name}: declared in native.ts but has no signature comment in native/src/binding`);
// The JS reference of the moments kernel folds rows in the same blocks as the native tiers.
const block = /constexpr size_t kMomentsBlock = (\d+);/.exec(readFileSync(join(root, 'native/include/kindling/types.h'), 'utf8'))?.[1];
const jsBlock = /export const MOMENTS_BLOCK = (\d+);/.exec(readFileSync(join(root, 'ts/src/kernels/moments.ts'), 'utf8'))?.[1];
if (!block || block !== jsBlock) problems.push(`kMomentsBlock (types.h) ${block} != MOMENTS_BLOCK (moments.ts) ${jsBlock}`);
if (process.argv.includes('--json')) console.log(JSON.stringify({ cc, ts, problems }));
else for (const p of problems) console.log(p);
process.exit(problems.length ? 1 : 0);
