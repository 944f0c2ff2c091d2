/**
 * The CRI mounts of one container (upstream's makeMounts in pkg/kubelet/kubelet_pods.go and the
 * termination-log mount of kuberuntime): each volumeMount becomes {container_path, host_path, readonly,
 * propagation}; subPath/subPathExpr select (and create) a directory inside the volume and may not leave
 * it; the managed /etc/hosts and the termination message file are added as upstream does.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { KubeObject } from '../../api/types.js';
import { podSpec, type ContainerSpec, type Mount, type MountPropagation, type VolumeMount } from './types.js';

export interface MountableVolume {
  hostPath: string;
  readOnly: boolean;
}

export interface ContainerMountInputs {
  pod: KubeObject;
  container: ContainerSpec;
  /** The prepared volume by name, or undefined when the pod has no such (set up) volume. */
  volume: (name: string) => MountableVolume | undefined;
  /** The pod's managed hosts file, when it should be mounted (written, not hostNetwork). */
  etcHostsPath?: string;
  /** The host file backing this container's termination message (created empty here). */
  terminationLogPath: string;
  /** Downward API field values for env fieldRefs used by subPathExpr (metadata.name, spec.nodeName...). */
  fieldValue: (fieldPath: string) => string | undefined;
}

const PROPAGATION: Record<string, MountPropagation> = {
  None: 'PROPAGATION_PRIVATE',
  HostToContainer: 'PROPAGATION_HOST_TO_CONTAINER',
  Bidirectional: 'PROPAGATION_BIDIRECTIONAL',
};

/**
 * $(VAR) expansion of subPathExpr against the container's env ($$ escapes, unknown references kept):
 * literal values and fieldRef values (the downward API fields a kubelet knows without a lookup).
 */
function expandSubPathExpr(expr: string, container: ContainerSpec, fieldValue: (fieldPath: string) => string | undefined): string {
  const env = new Map<string, string>();
  for (const e of container.env ?? []) {
    const entry = e as { name?: unknown; value?: unknown; valueFrom?: { fieldRef?: { fieldPath?: unknown } } };
    if (typeof entry.name !== 'string') continue;
    if (typeof entry.value === 'string') env.set(entry.name, entry.value);
    const fieldPath = entry.valueFrom?.fieldRef?.fieldPath;
    if (typeof fieldPath === 'string') {
      const v = fieldValue(fieldPath);
      if (v !== undefined) env.set(entry.name, v);
    }
  }
  return expr.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)/g, (m, name: string | undefined) => {
    if (m === '$$') return '$';
    return env.get(name!) ?? m;
  });
}

/** The host path of a subPath inside a volume, created (with the volume's mode) when missing; never outside it. */
function resolveSubPath(volumeRoot: string, subPath: string, volumeName: string): string {
  if (path.isAbsolute(subPath)) throw new Error(`error SubPath \`${subPath}\` must not be an absolute path`);
  if (subPath.split('/').includes('..')) throw new Error(`unable to provision SubPath \`${subPath}\`: must not contain '..'`);
  const target = path.join(volumeRoot, subPath);
  if (!fs.existsSync(target)) {
    const mode = fs.statSync(volumeRoot).mode & 0o7777;
    fs.mkdirSync(target, { recursive: true });
    fs.chmodSync(target, mode);
  }
  const realRoot = fs.realpathSync(volumeRoot);
  const realTarget = fs.realpathSync(target);
  if (realTarget !== realRoot && !realTarget.startsWith(`${realRoot}/`)) {
    // A payload volume's entries are symlinks into its own ..data dir, which stays inside the root.
    throw new Error(`subpath "${subPath}" of volume "${volumeName}" resolves to ${realTarget}, outside the volume path ${realRoot}`);
  }
  return realTarget;
}

function parseVolumeMount(raw: unknown, i: number, containerName: string): VolumeMount {
  const m = raw as Partial<VolumeMount> | null;
  if (!m || typeof m.name !== 'string' || typeof m.mountPath !== 'string') {
    throw new Error(`container "${containerName}" volumeMounts[${i}] needs a name and a mountPath`);
  }
  return m as VolumeMount;
}

export function containerMounts(inputs: ContainerMountInputs): Mount[] {
  const { container } = inputs;
  const containerName = container.name ?? '';
  const mounts: Mount[] = [];
  let mountsEtcHosts = false;
  for (const [i, raw] of (container.volumeMounts ?? []).entries()) {
    const vm = parseVolumeMount(raw, i, containerName);
    const vol = inputs.volume(vm.name);
    if (!vol) throw new Error(`cannot find volume "${vm.name}" to mount into container "${containerName}"`);
    let hostPath = vol.hostPath;
    const subPath = vm.subPathExpr ? expandSubPathExpr(vm.subPathExpr, container, inputs.fieldValue) : vm.subPath;
    if (subPath) hostPath = resolveSubPath(vol.hostPath, subPath, vm.name);
    if (path.posix.normalize(vm.mountPath) === '/etc/hosts') mountsEtcHosts = true;
    mounts.push({
      container_path: vm.mountPath,
      host_path: hostPath,
      readonly: vm.readOnly === true || vol.readOnly,
      selinux_relabel: false,
      propagation: PROPAGATION[vm.mountPropagation ?? 'None'] ?? 'PROPAGATION_PRIVATE',
    });
  }
  if (inputs.etcHostsPath && !mountsEtcHosts && !podSpec(inputs.pod).hostNetwork) {
    mounts.push({ container_path: '/etc/hosts', host_path: inputs.etcHostsPath, readonly: false, selinux_relabel: false, propagation: 'PROPAGATION_PRIVATE' });
  }
  // A fresh, empty, world-writable file per container instance, as upstream's kuberuntime creates.
  fs.mkdirSync(path.dirname(inputs.terminationLogPath), { recursive: true });
  fs.writeFileSync(inputs.terminationLogPath, '');
  fs.chmodSync(inputs.terminationLogPath, 0o666);
  mounts.push({
    container_path: container.terminationMessagePath || '/dev/termination-log',
    host_path: inputs.terminationLogPath,
    readonly: false,
    selinux_relabel: false,
    propagation: 'PROPAGATION_PRIVATE',
  });
  return mounts;
}
