/**
 * Answers the kubelet server's questions "which container is pod/container, where is its log, is it
 * running" from the relisted runtime state and the pods bound to this node. Errors are Kubernetes
 * Status errors with upstream's texts, because kubectl prints them as they are.
 */
import { join } from 'node:path';
import type { KubeObject } from '../../api/types.js';
import { StatusError } from '../../machinery/errors.js';
import type { CriClient } from '../cri/client.js';
import type { KubeletStreamingBackend, LocatedContainer } from '../server/index.js';
import type { RuntimeState } from './runtime-state.js';

export function streamingBackend(cri: CriClient, state: RuntimeState, pods: () => KubeObject[], logRoot: string): KubeletStreamingBackend {
  const findPod = (namespace: string, name: string) => {
    const pod = pods().find((p) => p.metadata?.namespace === namespace && p.metadata?.name === name && !p.metadata?.deletionTimestamp) ?? pods().find((p) => p.metadata?.namespace === namespace && p.metadata?.name === name);
    if (!pod) throw new StatusError('NotFound', `pods "${name}" not found`, { kind: 'pods', name });
    return pod;
  };
  return {
    cri,
    async locate(namespace, name, container): Promise<LocatedContainer> {
      const pod = findPod(namespace, name);
      const uid = pod.metadata?.uid ?? '';
      const spec = pod.spec as { containers?: Array<{ name: string }>; initContainers?: Array<{ name: string }>; ephemeralContainers?: Array<{ name: string }> };
      const names = (spec.containers ?? []).map((c) => c.name);
      const all = [...names, ...[...(spec.initContainers ?? []), ...(spec.ephemeralContainers ?? [])].map((c) => c.name)];
      if (!container) {
        if (names.length !== 1) throw new StatusError('BadRequest', `a container name must be specified for pod ${name}, choose one of: [${names.join(' ')}]`);
        container = names[0]!;
      }
      if (!all.includes(container)) throw new StatusError('BadRequest', `container ${container} is not valid for pod ${name}`);
      const attempts = state
        .containersOf(uid)
        .filter((c) => c.name === container)
        .sort((a, b) => b.attempt - a.attempt || b.createdAt - a.createdAt);
      const current = attempts[0];
      if (!current) throw new StatusError('BadRequest', `container "${container}" in pod "${name}" is waiting to start: ContainerCreating`);
      const dir = join(logRoot, `${namespace}_${name}_${uid}`, container);
      const previous = attempts[1];
      return {
        podUid: uid,
        sandboxId: current.sandboxId,
        containerId: current.id,
        containerName: container,
        attempt: current.attempt,
        running: current.state === 'running',
        logPath: join(dir, `${current.attempt}.log`),
        previousLogPath: previous ? join(dir, `${previous.attempt}.log`) : undefined,
      };
    },
    async locateSandbox(namespace, name) {
      const pod = findPod(namespace, name);
      const uid = pod.metadata?.uid ?? '';
      const sandbox = state.sandboxesOf(uid).find((s) => s.ready);
      if (!sandbox) throw new StatusError('BadRequest', `pod ${name} is not running`);
      return { podUid: uid, sandboxId: sandbox.id };
    },
  };
}
