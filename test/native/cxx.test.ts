// Runs the C++ kernel tests (native/test), built from binding.gyp's source lists, optimised and
// under AddressSanitizer + UndefinedBehaviorSanitizer; their TAP becomes subtests here.
import t from 'tap';
import { fileURLToPath } from 'node:url';

const script = fileURLToPath(new URL('../../scripts/native-test.mjs', import.meta.url));
void t.spawn(process.execPath, [script], { cwd: fileURLToPath(new URL('../..', import.meta.url)), stdio: ['ignore', 'pipe', 'inherit'] }, 'C++ kernel tests (plain and ASan/UBSan)');
