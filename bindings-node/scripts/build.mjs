// Builds the native addon with @napi-rs/cli: bindings-node/paystar.<platform>.node plus the
// generated loader (native.js) and types (native.d.ts). Debug by default, with the test harness
// (fast, for `npm install` in a clone and the tests); release, without it, for `npm pack` /
// `npm publish` or `--release`.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const release =
  process.argv.includes('--release') || ['pack', 'publish'].includes(process.env.npm_command);
const args = [
  'build',
  '--platform',
  '--manifest-path', 'bindings-node/Cargo.toml',
  '--package-json-path', 'package.json',
  '--output-dir', 'bindings-node',
  '--js', 'native.js',
  '--dts', 'native.d.ts',
  ...(release ? ['--release', '--strip'] : ['--features', 'testing']),
];
const napi = path.join(root, 'node_modules', '.bin', 'napi');
const result = spawnSync(napi, args, { cwd: root, stdio: 'inherit' });
if (result.error) {
  console.error(`could not run ${napi}: ${result.error.message} (run npm install first)`);
  process.exit(1);
}
process.exit(result.status ?? 1);
