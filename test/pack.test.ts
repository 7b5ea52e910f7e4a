// The npm tarball carries the prebuilt addon and installs and runs with no compiler on PATH
// (scripts/pack-install-test.mjs; `npm test` refreshes prebuilds/ before tap starts).
import t from 'tap';
import { fileURLToPath } from 'node:url';

const script = fileURLToPath(new URL('../scripts/pack-install-test.mjs', import.meta.url));
void t.spawn(process.execPath, [script, '--no-prebuild'], { cwd: fileURLToPath(new URL('..', import.meta.url)), stdio: ['ignore', 'pipe', 'inherit'] }, 'packed tarball installs without a compiler');
