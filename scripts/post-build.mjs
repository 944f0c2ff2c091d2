// Copies non-TypeScript assets (e.g. .proto files) from src/ into dist/src/ and makes the CLI executable.
import { cpSync, chmodSync, existsSync, readdirSync, statSync, mkdirSync } from 'node:fs';
import { join, dirname } from 'node:path';

const assetExt = ['.proto', '.json', '.yaml', '.txt'];
function copyAssets(from, to) {
  for (const name of readdirSync(from)) {
    const src = join(from, name);
    const dst = join(to, name);
    if (statSync(src).isDirectory()) copyAssets(src, dst);
    else if (assetExt.some((e) => name.endsWith(e))) {
      mkdirSync(dirname(dst), { recursive: true });
      cpSync(src, dst);
    }
  }
}
copyAssets('src', 'dist/src');
if (existsSync('dist/src/cmd/skiff.js')) chmodSync('dist/src/cmd/skiff.js', 0o755);

// `npx skiff` in this checkout runs this build: npx looks in node_modules/.bin first.
import { symlinkSync, rmSync, lstatSync } from 'node:fs';
mkdirSync('node_modules/.bin', { recursive: true });
try {
  lstatSync('node_modules/.bin/skiff');
  rmSync('node_modules/.bin/skiff');
} catch {
  // not there yet
}
symlinkSync('../../dist/src/cmd/skiff.js', 'node_modules/.bin/skiff');
