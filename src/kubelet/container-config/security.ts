/**
 * Pod and container securityContext -> CRI security contexts, as upstream's kubelet builds them
 * (pkg/securitycontext DetermineEffectiveSecurityContext and AddNoNewPrivileges,
 * pkg/kubelet/kuberuntime determineEffectiveSecurityContext, generatePodSandboxLinuxConfig and
 * util.NamespacesForPod).
 *
 * The container's settings override the pod's field by field (runAsUser, runAsGroup, runAsNonRoot,
 * seLinuxOptions come from the pod when the container leaves them unset). no_new_privs is set only
 * when allowPrivilegeEscalation is explicitly false. Masked and read-only /proc paths are upstream's
 * defaults unless procMount is Unmasked. Seccomp is the container's profile, else the pod's, else
 * Unconfined (the kubelet's default with SeccompDefault off).
 */
import type { KubeObject } from '../../api/types.js';
import type {
  Capability,
  LinuxContainerSecurityContext,
  LinuxSandboxSecurityContext,
  NamespaceOption,
  SecurityProfile,
  SELinuxOption,
} from '../cri/types.js';
import { ContainerConfigError } from './errors.js';
import { podIdentity, podSpecOf, type Container, type SeccompProfile, type SecurityContext, type SELinuxOptions } from './pod-spec.js';

/** The user an image runs as, from CRI ImageStatus (uid when numeric, else username). */
export interface ImageUser {
  uid?: number | null;
  username?: string;
}

export const DEFAULT_MASKED_PATHS: readonly string[] = [
  '/proc/asound',
  '/proc/acpi',
  '/proc/kcore',
  '/proc/keys',
  '/proc/latency_stats',
  '/proc/timer_list',
  '/proc/timer_stats',
  '/proc/sched_debug',
  '/proc/scsi',
  '/sys/firmware',
  '/sys/devices/virtual/powercap',
];

export const DEFAULT_READONLY_PATHS: readonly string[] = ['/proc/bus', '/proc/fs', '/proc/irq', '/proc/sys', '/proc/sysrq-trigger'];

/** NamespacesForPod: network NODE with hostNetwork, pid NODE/POD/CONTAINER (hostPID, shareProcessNamespace), ipc NODE with hostIPC. */
export function namespacesForPod(pod: KubeObject): NamespaceOption {
  const spec = podSpecOf(pod);
  return {
    network: spec.hostNetwork ? 'NODE' : 'POD',
    pid: spec.hostPID ? 'NODE' : spec.shareProcessNamespace ? 'POD' : 'CONTAINER',
    ipc: spec.hostIPC ? 'NODE' : 'POD',
  };
}

/** The container's securityContext with the pod-level fields it leaves unset filled in. */
export function effectiveSecurityContext(pod: KubeObject, container: Container): SecurityContext {
  const podSc = podSpecOf(pod).securityContext;
  const fromPod: SecurityContext = {};
  if (podSc) {
    if (podSc.seLinuxOptions) fromPod.seLinuxOptions = podSc.seLinuxOptions;
    if (podSc.runAsUser !== undefined && podSc.runAsUser !== null) fromPod.runAsUser = podSc.runAsUser;
    if (podSc.runAsGroup !== undefined && podSc.runAsGroup !== null) fromPod.runAsGroup = podSc.runAsGroup;
    if (podSc.runAsNonRoot !== undefined && podSc.runAsNonRoot !== null) fromPod.runAsNonRoot = podSc.runAsNonRoot;
  }
  const own = container.securityContext ?? {};
  const merged: SecurityContext = { ...fromPod };
  for (const [k, v] of Object.entries(own) as Array<[keyof SecurityContext, unknown]>) {
    if (v !== undefined && v !== null) (merged as Record<string, unknown>)[k] = v;
  }
  return merged;
}

/**
 * Capability names as containerd wants them: containerd prefixes `CAP_` itself and upper-cases, so
 * a name given with the prefix (`CAP_NET_ADMIN`, allowed by the API) is passed without it.
 */
export function normalizeCapability(name: string): string {
  const upper = name.toUpperCase();
  return upper.startsWith('CAP_') ? upper.slice(4) : upper;
}

function toCapability(caps: SecurityContext['capabilities']): Capability | undefined {
  if (!caps) return undefined;
  return { add_capabilities: (caps.add ?? []).map(normalizeCapability), drop_capabilities: (caps.drop ?? []).map(normalizeCapability) };
}

function toSELinux(o: SELinuxOptions | undefined): SELinuxOption | undefined {
  return o ? { user: o.user ?? '', role: o.role ?? '', type: o.type ?? '', level: o.level ?? '' } : undefined;
}

function toSeccomp(profile: SeccompProfile | undefined): SecurityProfile {
  if (profile?.type === 'RuntimeDefault') return { profile_type: 'RuntimeDefault' };
  if (profile?.type === 'Localhost') return { profile_type: 'Localhost', localhost_ref: profile.localhostProfile ?? '' };
  return { profile_type: 'Unconfined' };
}

/** fsGroup then supplementalGroups of the pod, as the kubelet lists them. */
function supplementalGroups(pod: KubeObject): number[] {
  const sc = podSpecOf(pod).securityContext;
  const groups: number[] = [];
  if (sc?.fsGroup !== undefined && sc.fsGroup !== null) groups.push(sc.fsGroup);
  for (const g of sc?.supplementalGroups ?? []) groups.push(g);
  return groups;
}

/**
 * Upstream verifyRunAsNonRoot: with runAsNonRoot, refuse runAsUser 0, an image running as root, or an
 * image user that is a name (cannot be checked). Without `image` only runAsUser can be checked.
 */
export function verifyRunAsNonRoot(pod: KubeObject, container: Container, image?: ImageUser): void {
  const sc = effectiveSecurityContext(pod, container);
  if (sc.runAsNonRoot !== true) return;
  const { name, namespace, uid } = podIdentity(pod);
  const where = `(pod: "${name}_${namespace}(${uid})", container: ${container.name})`;
  if (sc.runAsUser !== undefined) {
    if (sc.runAsUser === 0) throw new ContainerConfigError(`container's runAsUser breaks non-root policy ${where}`);
    return;
  }
  if (!image) return;
  const imageUid = imageUidOf(image);
  if (imageUid === 0) throw new ContainerConfigError(`container has runAsNonRoot and image will run as root ${where}`);
  if (imageUid === undefined && image.username) {
    throw new ContainerConfigError(`container has runAsNonRoot and image has non-numeric user (${image.username}), cannot verify user is non-root ${where}`);
  }
}

/** getImageUser: the uid, or undefined when the image names a user; an image without a user runs as root. */
function imageUidOf(image: ImageUser): number | undefined {
  if (image.uid !== undefined && image.uid !== null) return image.uid;
  return image.username ? undefined : 0;
}

/**
 * The container's CRI LinuxContainerSecurityContext. With `image` known and no runAsUser set, the
 * image's uid (or user name) is passed explicitly, as the kubelet does; without it containerd applies
 * the image's user itself.
 */
export function containerSecurityContext(pod: KubeObject, container: Container, image?: ImageUser): LinuxContainerSecurityContext {
  const sc = effectiveSecurityContext(pod, container);
  const out: LinuxContainerSecurityContext = {
    privileged: sc.privileged === true,
    readonly_rootfs: sc.readOnlyRootFilesystem === true,
    namespace_options: namespacesForPod(pod),
    supplemental_groups: supplementalGroups(pod),
    no_new_privs: sc.allowPrivilegeEscalation === false,
    masked_paths: sc.procMount === 'Unmasked' ? [] : [...DEFAULT_MASKED_PATHS],
    readonly_paths: sc.procMount === 'Unmasked' ? [] : [...DEFAULT_READONLY_PATHS],
    seccomp: toSeccomp(container.securityContext?.seccompProfile ?? podSpecOf(pod).securityContext?.seccompProfile),
  };
  const capabilities = toCapability(sc.capabilities);
  if (capabilities) out.capabilities = capabilities;
  const selinux = toSELinux(sc.seLinuxOptions);
  if (selinux) out.selinux_options = selinux;
  if (sc.runAsUser !== undefined) out.run_as_user = { value: sc.runAsUser };
  else if (image) {
    const imageUid = imageUidOf(image);
    if (imageUid !== undefined) out.run_as_user = { value: imageUid };
    out.run_as_username = image.username ?? '';
  }
  if (sc.runAsGroup !== undefined) out.run_as_group = { value: sc.runAsGroup };
  return out;
}

/** Whether any container of the pod (init, regular, ephemeral) is privileged (HasPrivilegedContainer). */
export function hasPrivilegedContainer(pod: KubeObject): boolean {
  const spec = podSpecOf(pod);
  return [...(spec.initContainers ?? []), ...(spec.containers ?? []), ...(spec.ephemeralContainers ?? [])].some((c) => c.securityContext?.privileged === true);
}

/** The sandbox's CRI LinuxSandboxSecurityContext (generatePodSandboxLinuxConfig). */
export function sandboxSecurityContext(pod: KubeObject): LinuxSandboxSecurityContext {
  const sc = podSpecOf(pod).securityContext;
  const out: LinuxSandboxSecurityContext = {
    privileged: hasPrivilegedContainer(pod),
    namespace_options: namespacesForPod(pod),
    seccomp: { profile_type: 'RuntimeDefault' },
    supplemental_groups: supplementalGroups(pod),
  };
  if (sc?.runAsUser !== undefined && sc.runAsUser !== null) out.run_as_user = { value: sc.runAsUser };
  if (sc?.runAsGroup !== undefined && sc.runAsGroup !== null) out.run_as_group = { value: sc.runAsGroup };
  const selinux = toSELinux(sc?.seLinuxOptions);
  if (selinux) out.selinux_options = selinux;
  return out;
}

/** The pod's sysctls as a name -> value map. */
export function podSysctls(pod: KubeObject): Record<string, string> {
  const out: Record<string, string> = {};
  for (const s of podSpecOf(pod).securityContext?.sysctls ?? []) out[s.name] = s.value;
  return out;
}
