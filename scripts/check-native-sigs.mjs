#!/usr/bin/env node
// Keeps the addon's TS declarations (and the shared constants the JS references mirror) (ts/src/native.ts) and the C++ exports in step: every
// `// name(args): ret` comment above an export in native/src/binding/*.cc must match the member
// of NativeKernels / NativeAddon with the same name, and every export must be declared. Methods
// of the native handles (Napi::ObjectWrap) carry `// Class.method(args): ret` comments and must
// match the members of `export interface Native<Class>` ("methods" in --json).
// Exit 1 and a list of differences when they drift.
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const norm = (s) => s.replace(/\s+/g, ' ').replace(/\s*([(),:|;<>])\s*/g, '$1').trim();

const cc = {};
const ccMethods = {};
const bindingDir = join(root, 'native/src/binding');
for (const f of readdirSync(bindingDir).filter((f) => f.endsWith('.cc'))) {
  const text = readFileSync(join(bindingDir, f), 'utf8');
  for (const m of text.matchAll(/^\/\/ (_?[a-zA-Z0-9]+)\((.*)\): (.+)$/gm)) {
    cc[m[1]] = norm(`(${m[2]}): ${m[3]}`);
  }
  for (const m of text.matchAll(/^\s*\/\/ ([A-Z][a-zA-Z0-9]*)\.(_?[a-zA-Z0-9]+)\((.*)\): (.+)$/gm)) {
    ccMethods[`${m[1]}.${m[2]}`] = norm(`(${m[3]}): ${m[4]}`);
  }
}
const ts = {};
const src = readFileSync(join(root, 'ts/src/native.ts'), 'utf8');
for (const block of src.matchAll(/export interface (NativeKernels|NativeAddon)[^{]*\{([\s\S]*?)\n\}/g)) {
  for (const m of block[2].matchAll(/^\s+(_?[a-zA-Z0-9]+)\(([^)]*)\): ([^;]+);/gm)) ts[m[1]] = norm(`(${m[2]}): ${m[3]}`);
}
const tsMethods = {};
for (const cls of new Set(Object.keys(ccMethods).map((k) => k.split('.')[0]))) {
  const block = new RegExp(`export interface Native${cls}\\b[^{]*\\{([\\s\\S]*?)\\n\\}`).exec(src);
  for (const m of block?.[1].matchAll(/^\s+(_?[a-zA-Z0-9]+)\(([^)]*)\): ([^;]+);/gm) ?? []) tsMethods[`${cls}.${m[1]}`] = norm(`(${m[2]}): ${m[3]}`);
}
const problems = [];
for (const [name, sig] of Object.entries(ccMethods)) {
  if (!(name in tsMethods)) problems.push(`${name}: a C++ handle method not declared in native.ts (interface Native${name.split('.')[0]})`);
  else if (tsMethods[name] !== sig) problems.push(`${name}: C++ comment ${sig} != native.ts ${tsMethods[name]}`);
}
for (const name of Object.keys(tsMethods)) if (!(name in ccMethods)) problems.push(`${name}: declared in native.ts but has no signature comment in native/src/binding`);
for (const [name, sig] of Object.entries(cc)) {
  if (!(name in ts)) problems.push(`${name}: exported by C++ but not declared in native.ts`);
  else if (ts[name] !== sig) problems.push(`${name}: C++ comment ${sig} != native.ts ${ts[name]}`);
}
for (const name of Object.keys(ts)) if (!(name in cc)) problems.push(`${name}: declared in native.ts but has no signature comment in native/src/binding`);
// The JS reference of the moments kernel folds rows in the same blocks as the native tiers.
const block = /constexpr size_t kMomentsBlock = (\d+);/.exec(readFileSync(join(root, 'native/include/kindling/types.h'), 'utf8'))?.[1];
const jsBlock = /export const MOMENTS_BLOCK = (\d+);/.exec(readFileSync(join(root, 'ts/src/kernels/moments.ts'), 'utf8'))?.[1];
if (!block || block !== jsBlock) problems.push(`kMomentsBlock (types.h) ${block} != MOMENTS_BLOCK (moments.ts) ${jsBlock}`);
if (process.argv.includes('--json')) console.log(JSON.stringify({ cc, ts, methods: { cc: ccMethods, ts: tsMethods }, problems }));
else for (const p of problems) console.log(p);
process.exit(problems.length ? 1 : 0);
