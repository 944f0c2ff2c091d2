/**
 * A KubeletStreamingBackend that finds pods and containers straight from the runtime over CRI,
 * by upstream's labels (io.kubernetes.pod.namespace / .name, io.kubernetes.container.name):
 * the newest sandbox of the pod, the container instance with the highest attempt as current and
 * the one before it as previous. The kubelet may use it as is, or wrap it with what it knows.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { StatusError, badRequest } from '../../machinery/errors.js';
import type { CriClient } from '../cri/index.js';
import type { Container, PodSandbox } from '../cri/types.js';
import type { KubeletStreamingBackend, LocatedContainer } from './index.js';

export type StreamingCri = Pick<CriClient, 'listPodSandbox' | 'listContainers' | 'containerStatus' | 'exec' | 'attach' | 'portForward'>;

const POD_NS = 'io.kubernetes.pod.namespace';
const POD_NAME = 'io.kubernetes.pod.name';
const POD_UID = 'io.kubernetes.pod.uid';
const CONTAINER_NAME = 'io.kubernetes.container.name';

function podNotFound(pod: string): StatusError {
  return new StatusError('NotFound', `pods "${pod}" not found`, { name: pod, kind: 'pods' });
}

function containerName(c: Container): string {
  return c.labels[CONTAINER_NAME] ?? c.metadata?.name ?? '';
}

export function criStreamingBackend(cri: StreamingCri): KubeletStreamingBackend {
  const sandboxOf = async (namespace: string, pod: string): Promise<PodSandbox> => {
    const all = await cri.listPodSandbox({ label_selector: { [POD_NS]: namespace, [POD_NAME]: pod } });
    if (all.length === 0) throw podNotFound(pod);
    // The ready one if any, newest first: a restarted pod leaves older, stopped sandboxes behind.
    all.sort((a, b) => Number(b.state === 'SANDBOX_READY') - Number(a.state === 'SANDBOX_READY') || b.created_at - a.created_at);
    return all[0]!;
  };

  return {
    cri,
    async locateSandbox(namespace, pod) {
      const s = await sandboxOf(namespace, pod);
      return { podUid: s.labels[POD_UID] ?? s.metadata?.uid ?? '', sandboxId: s.id };
    },
    async locate(namespace, pod, container): Promise<LocatedContainer> {
      const sandbox = await sandboxOf(namespace, pod);
      const containers = await cri.listContainers({ pod_sandbox_id: sandbox.id });
      const names = [...new Set(containers.map(containerName))].sort();
      let name = container;
      if (!name) {
        if (names.length !== 1) throw badRequest(`a container name must be specified for pod ${pod}, choose one of: [${names.join(' ')}]`);
        name = names[0]!;
      }
      const instances = containers
        .filter((c) => containerName(c) === name)
        .sort((a, b) => (b.metadata?.attempt ?? 0) - (a.metadata?.attempt ?? 0) || b.created_at - a.created_at);
      if (instances.length === 0) throw badRequest(`container "${name}" in pod "${pod}" is waiting to start: ContainerCreating`);
      const current = instances[0]!;
      const status = await cri.containerStatus(current.id);
      const attempt = current.metadata?.attempt ?? 0;
      let previousLogPath: string | undefined;
      if (instances[1]) previousLogPath = (await cri.containerStatus(instances[1].id)).log_path || undefined;
      else if (attempt > 0 && status.log_path) {
        // The previous instance was removed, its log file may still be there.
        const candidate = join(dirname(status.log_path), `${attempt - 1}.log`);
        if (existsSync(candidate)) previousLogPath = candidate;
      }
      return {
        podUid: sandbox.labels[POD_UID] ?? sandbox.metadata?.uid ?? '',
        sandboxId: sandbox.id,
        containerId: current.id,
        containerName: name,
        attempt,
        running: status.state === 'CONTAINER_RUNNING',
        logPath: status.log_path,
        ...(previousLogPath ? { previousLogPath } : {}),
      };
    },
  };
}
