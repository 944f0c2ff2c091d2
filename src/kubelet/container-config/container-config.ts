/**
 * Pod container -> CRI ContainerConfig, as upstream's kubelet generateContainerConfig builds it:
 * metadata {name, attempt = restart count}, image, command/args with `$(VAR)` expanded against the
 * resolved environment, working dir, envs, the given mounts, labels (io.kubernetes.pod.* and
 * io.kubernetes.container.name), annotations (hash, restart count, termination message path/policy,
 * grace periods, preStop handler, ports), log path `<name>/<attempt>.log`, stdin/tty and the Linux
 * part (resources and security context).
 */
import { totalmem } from 'node:os';
import type { KubeObject } from '../../api/types.js';
import type { ContainerConfig, Mount } from '../cri/types.js';
import type { EnvVarValue } from './env.js';
import { expandCommand } from './expansion.js';
import type { Container } from './pod-spec.js';
import { containerResources } from './resources.js';
import { POD_NAME_LABEL, POD_NAMESPACE_LABEL, POD_UID_LABEL } from './sandbox-config.js';
import { containerSecurityContext, verifyRunAsNonRoot, type ImageUser } from './security.js';

export interface ContainerOptions {
  /** Restart count of this container: CRI attempt and log file name. */
  attempt: number;
  env: EnvVarValue[];
  mounts: Mount[];
  /** The image as pulled (image id or digest reference). */
  imageRef: string;
  /** Unused (the log path is relative to the sandbox log directory); accepted for callers that pass it. */
  logRoot?: string;
  /** Node memory capacity in bytes for Burstable oom_score_adj. Default: this machine's total memory. */
  memoryCapacity?: number;
  /** The image's user (CRI ImageStatus uid/username), for runAsNonRoot checks and an explicit run_as_user. */
  imageUser?: ImageUser;
  /**
   * For an ephemeral container with targetContainerName: the CRI id of the target, whose process
   * namespace it joins (pid TARGET) unless the pod already shares one.
   */
  pidTargetId?: string;
}

export const CONTAINER_NAME_LABEL = 'io.kubernetes.container.name';
export const CONTAINER_HASH_ANNOTATION = 'io.kubernetes.container.hash';
export const CONTAINER_RESTART_COUNT_ANNOTATION = 'io.kubernetes.container.restartCount';
export const TERMINATION_MESSAGE_PATH_ANNOTATION = 'io.kubernetes.container.terminationMessagePath';
export const TERMINATION_MESSAGE_POLICY_ANNOTATION = 'io.kubernetes.container.terminationMessagePolicy';
export const POD_DELETION_GRACE_PERIOD_ANNOTATION = 'io.kubernetes.pod.deletionGracePeriod';
export const POD_TERMINATION_GRACE_PERIOD_ANNOTATION = 'io.kubernetes.pod.terminationGracePeriod';
export const PRESTOP_HANDLER_ANNOTATION = 'io.kubernetes.container.preStopHandler';
export const CONTAINER_PORTS_ANNOTATION = 'io.kubernetes.container.ports';

/** Fields that change in place (resize) and must not restart the container. */
const UNHASHED_FIELDS = new Set(['resources', 'resizePolicy']);

/** JSON with object keys sorted at every level, so equal specs serialise equally. */
function canonicalJSON(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJSON).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJSON(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** FNV-1a, 32 bits, over the UTF-8 bytes of `text`. */
function fnv1a32(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(text, 'utf8')) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

/**
 * A stable hash of the container's spec (hex). It changes when any field changes except resources
 * and resizePolicy, which upstream resizes in place; upstream hashes FNV-32a too.
 */
export function containerHash(container: Container): string {
  const picked = Object.fromEntries(Object.entries(container).filter(([k]) => !UNHASHED_FIELDS.has(k)));
  return fnv1a32(canonicalJSON(picked)).toString(16);
}

function containerAnnotations(pod: KubeObject, container: Container, attempt: number): Record<string, string> {
  const annotations: Record<string, string> = {
    [CONTAINER_HASH_ANNOTATION]: containerHash(container),
    [CONTAINER_RESTART_COUNT_ANNOTATION]: String(attempt),
    [TERMINATION_MESSAGE_PATH_ANNOTATION]: container.terminationMessagePath ?? '',
    [TERMINATION_MESSAGE_POLICY_ANNOTATION]: container.terminationMessagePolicy ?? '',
  };
  const deletionGrace = pod.metadata?.deletionGracePeriodSeconds;
  if (typeof deletionGrace === 'number') annotations[POD_DELETION_GRACE_PERIOD_ANNOTATION] = String(deletionGrace);
  const spec = pod.spec as { terminationGracePeriodSeconds?: unknown } | undefined;
  if (typeof spec?.terminationGracePeriodSeconds === 'number') annotations[POD_TERMINATION_GRACE_PERIOD_ANNOTATION] = String(spec.terminationGracePeriodSeconds);
  if (container.lifecycle?.preStop) annotations[PRESTOP_HANDLER_ANNOTATION] = JSON.stringify(container.lifecycle.preStop);
  if (container.ports && container.ports.length > 0) annotations[CONTAINER_PORTS_ANNOTATION] = JSON.stringify(container.ports);
  return annotations;
}

/**
 * The container's CRI ContainerConfig (see the file comment). Throws ContainerConfigError when
 * runAsNonRoot cannot be honoured.
 */
export function buildContainerConfig(pod: KubeObject, container: Container, opts: ContainerOptions): ContainerConfig {
  verifyRunAsNonRoot(pod, container, opts.imageUser);
  const { command, args } = expandCommand(container.command, container.args, opts.env);
  const meta = pod.metadata ?? {};
  const config: ContainerConfig = {
    metadata: { name: container.name, attempt: opts.attempt },
    image: { image: opts.imageRef, user_specified_image: container.image ?? '' },
    working_dir: container.workingDir ?? '',
    envs: opts.env.map((e) => ({ key: e.key, value: e.value })),
    mounts: opts.mounts,
    labels: {
      [POD_NAME_LABEL]: meta.name ?? '',
      [POD_NAMESPACE_LABEL]: meta.namespace ?? '',
      [POD_UID_LABEL]: meta.uid ?? '',
      [CONTAINER_NAME_LABEL]: container.name,
    },
    annotations: containerAnnotations(pod, container, opts.attempt),
    log_path: `${container.name}/${opts.attempt}.log`,
    stdin: container.stdin === true,
    stdin_once: container.stdinOnce === true,
    tty: container.tty === true,
    linux: {
      resources: containerResources(pod, container, opts.memoryCapacity ?? totalmem()),
      security_context: containerSecurityContext(pod, container, opts.imageUser),
    },
  };
  const ns = config.linux?.security_context?.namespace_options;
  if (opts.pidTargetId && ns && ns.pid === 'CONTAINER') {
    ns.pid = 'TARGET';
    ns.target_id = opts.pidTargetId;
  }
  if (command) config.command = command;
  if (args) config.args = args;
  return config;
}
