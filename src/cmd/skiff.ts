#!/usr/bin/env node
/**
 * The `skiff` CLI (k3s-style packaging): one binary, many entry points.
 *   skiff up        API server and storage in one process (later: controllers, scheduler, node...)
 *   skiff helm ...  the helm CLI's verbs
 */
import { runUp } from './up.js';

const usage = `Usage: skiff <command> [flags]

Commands:
  up       Start a cluster on this machine (API server + storage)
  helm     Helm-compatible package manager (skiff helm --help)
  images   Import and list container images (skiff images --help)
  version  Print the version

Run 'skiff up --help' for the flags of up.`;

async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  switch (cmd) {
    case 'up':
    case 'server':
      return runUp(rest);
    case 'helm': {
      const { runHelm } = await import('./helm/index.js');
      return runHelm(rest, { stdout: process.stdout, stderr: process.stderr });
    }
    case 'images': {
      const { runImages } = await import('./images.js');
      return runImages(rest, { stdout: process.stdout, stderr: process.stderr });
    }
    case 'version':
    case '--version': {
      const { versionInfo } = await import('../apiserver/version.js');
      process.stdout.write(`${versionInfo().gitVersion}\n`);
      return 0;
    }
    case undefined:
    case '-h':
    case '--help':
    case 'help':
      process.stdout.write(`${usage}\n`);
      return cmd === undefined ? 1 : 0;
    default:
      process.stderr.write(`Error: unknown command "${cmd}" for "skiff"\n\n${usage}\n`);
      return 1;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code !== 0 || process.argv[2] !== 'up') process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`Error: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
