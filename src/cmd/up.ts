/**
 * `skiff up`: starts the cluster in this process and keeps it running until SIGINT/SIGTERM.
 * Prints one line when ready, saying where the kubeconfig is. Logs are JSON lines on stderr, quiet
 * by default (--verbose for more).
 */
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startApiServer, type StorageChoice } from '../apiserver/server.js';
import { startKubeletMetrics } from '../apiserver/metrics-api/index.js';
import { startComponents } from './components.js';
import { log } from './log.js';
import { checkContainerdPrerequisites, type ContainerdPrerequisites } from '../kubelet/containerd/index.js';

/**
 * containerd when asked for or usable; an explicit request that cannot be met is an error. Otherwise
 * the warning says exactly what is missing and the command that installs it.
 */
export function chooseRuntime(
  requested: string | undefined,
  check: () => ContainerdPrerequisites = checkContainerdPrerequisites,
  warn: (msg: string) => void = (msg) => log.warn(msg),
): 'sim' | 'containerd' {
  if (requested === 'sim') return 'sim';
  const result = check();
  if (result.ok) return 'containerd';
  const why = `containerd cannot run here: missing ${result.missing.join(', ')}. To install: ${result.hint}`;
  if (requested === 'containerd') throw new Error(why);
  warn(`${why}. Running simulated nodes instead (--runtime sim).`);
  return 'sim';
}

const help = `Usage: skiff up [flags]

Flags:
  --data-dir DIR            where state, certificates and kubeconfig.yaml live (default ~/.skiff)
  --storage sqlite|etcd     cluster state backend (default sqlite)
  --etcd-endpoints URL,...  etcd v3 endpoints for --storage etcd (e.g. http://127.0.0.1:2379)
  --api-port PORT           API server port (default 6443, 0 = any free port)
  --bind ADDR               address to listen on (default 127.0.0.1)
  --runtime containerd|sim  node runtime (default: containerd when usable — Linux, root, containerd, runc
                            and CNI plugins installed — else sim, saying what is missing)
  --kubelet-port PORT       the containerd node's kubelet port (default 10250, 0 = any free port)
  --sim-nodes N             number of simulated nodes (default 1 with --runtime sim, 0 next to containerd)
  --sim-config FILE         simulated node groups: count, capacity, labels, taints per group (YAML)
  --verbose                 more logs`;

export async function runUp(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      'data-dir': { type: 'string' },
      storage: { type: 'string', default: 'sqlite' },
      'etcd-endpoints': { type: 'string' },
      'api-port': { type: 'string', default: '6443' },
      bind: { type: 'string', default: '127.0.0.1' },
      runtime: { type: 'string' },
      'sim-nodes': { type: 'string' },
      'kubelet-port': { type: 'string', default: '10250' },
      'sim-config': { type: 'string' },
      verbose: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(`${help}\n`);
    return 0;
  }
  const dataDir = resolve(values['data-dir'] ?? join(homedir(), '.skiff'));
  const port = Number(values['api-port']);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--api-port must be a port number (0-65535), got "${values['api-port']}"`);
  let storage: StorageChoice;
  if (values.storage === 'sqlite') storage = { kind: 'sqlite' };
  else if (values.storage === 'etcd') {
    const endpoints = (values['etcd-endpoints'] ?? '').split(',').map((s) => s.trim()).filter(Boolean);
    if (endpoints.length === 0) throw new Error('--storage etcd needs --etcd-endpoints, e.g. --etcd-endpoints http://127.0.0.1:2379');
    storage = { kind: 'etcd', endpoints };
  } else throw new Error(`--storage must be sqlite or etcd, got "${values.storage}"`);
  log.setVerbose(values.verbose ?? false);
  if (values.runtime && values.runtime !== 'sim' && values.runtime !== 'containerd') throw new Error(`--runtime must be containerd or sim, got "${values.runtime}"`);
  const runtime = chooseRuntime(values.runtime);
  const simNodes = Number(values['sim-nodes'] ?? (runtime === 'sim' ? '1' : '0'));
  if (!Number.isInteger(simNodes) || simNodes < 0) throw new Error(`--sim-nodes must be a whole number, got "${values['sim-nodes']}"`);
  const kubeletPort = Number(values['kubelet-port']);
  if (!Number.isInteger(kubeletPort) || kubeletPort < 0 || kubeletPort > 65535) throw new Error(`--kubelet-port must be a port number (0-65535), got "${values['kubelet-port']}"`);
  log.info('starting', { dataDir, storage: storage.kind });
  const server = await startApiServer({ dataDir, storage, port, bind: values.bind });
  // metrics.k8s.io: the API server scrapes kubelets' /stats/summary (simulated nodes report their requests).
  const metrics = await startKubeletMetrics(server);
  const components = await startComponents({ kubeconfigPath: server.kubeconfigPath, dataDir, pki: server.pki, runtime, simNodes, simConfigPath: values['sim-config'], kubeletPort });
  process.stdout.write(`Skiff is ready: API server at ${server.url}; kubeconfig: ${server.kubeconfigPath} (kubectl --kubeconfig ${server.kubeconfigPath} get ns)\n`);
  await new Promise<void>((done) => {
    let stopping = false;
    const stop = (signal: string): void => {
      if (stopping) return;
      stopping = true;
      log.info('shutting down', { signal });
      metrics.close();
      components.stop().then(() => server.close()).then(done, (err: unknown) => {
        log.error('shutdown failed', { error: String(err) });
        done();
      });
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
  return 0;
}
