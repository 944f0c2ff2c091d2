/**
 * TypeScript shapes of the CRI runtime.v1 messages in ./api.proto, exactly as @grpc/proto-loader
 * presents them with { keepCase: true, longs: Number, enums: String, defaults: true, oneofs: true }:
 * snake_case field names, int64/uint64 as number, enums as their string names, bytes as Buffer.
 *
 * Two flavours: messages a kubelet SENDS (configs, filters) have optional fields — unset means the
 * proto default. Messages the runtime RETURNS (statuses, lists) have every scalar, list and map
 * filled in (defaults: true); an unset nested message arrives as null.
 */

export type StringMap = Record<string, string>;

// ---- enums (string names, as proto-loader's enums: String gives them) ----
export type Protocol = 'TCP' | 'UDP' | 'SCTP';
export type MountPropagation = 'PROPAGATION_PRIVATE' | 'PROPAGATION_HOST_TO_CONTAINER' | 'PROPAGATION_BIDIRECTIONAL';
export type NamespaceMode = 'POD' | 'CONTAINER' | 'NODE' | 'TARGET';
export type PodSandboxState = 'SANDBOX_READY' | 'SANDBOX_NOTREADY';
export type ContainerState = 'CONTAINER_CREATED' | 'CONTAINER_RUNNING' | 'CONTAINER_EXITED' | 'CONTAINER_UNKNOWN';
export type SecurityProfileType = 'RuntimeDefault' | 'Unconfined' | 'Localhost';

// ---- shared value types ----
export interface Int64Value { value: number }
export interface UInt64Value { value: number }
export interface KeyValue { key: string; value: string }

export interface DNSConfig {
  servers?: string[];
  searches?: string[];
  options?: string[];
}

export interface PortMapping {
  protocol?: Protocol;
  container_port?: number;
  /** <= 0: no host port (the runtime skips the mapping). */
  host_port?: number;
  host_ip?: string;
}

export interface IDMapping { host_id: number; container_id: number; length: number }

export interface Mount {
  container_path?: string;
  host_path?: string;
  readonly?: boolean;
  selinux_relabel?: boolean;
  propagation?: MountPropagation;
  uidMappings?: IDMapping[];
  gidMappings?: IDMapping[];
  recursive_read_only?: boolean;
}

export interface Device {
  container_path?: string;
  host_path?: string;
  /** Any of r, w, m. */
  permissions?: string;
}

export interface UserNamespace { mode?: NamespaceMode; uids?: IDMapping[]; gids?: IDMapping[] }

export interface NamespaceOption {
  network?: NamespaceMode;
  pid?: NamespaceMode;
  ipc?: NamespaceMode;
  target_id?: string;
  userns_options?: UserNamespace | null;
}

export interface SELinuxOption { user?: string; role?: string; type?: string; level?: string }
export interface SecurityProfile { profile_type?: SecurityProfileType; localhost_ref?: string }

export interface Capability {
  add_capabilities?: string[];
  drop_capabilities?: string[];
  add_ambient_capabilities?: string[];
}

export interface HugepageLimit { page_size: string; limit: number }

export interface LinuxContainerResources {
  cpu_period?: number;
  cpu_quota?: number;
  cpu_shares?: number;
  memory_limit_in_bytes?: number;
  oom_score_adj?: number;
  cpuset_cpus?: string;
  cpuset_mems?: string;
  hugepage_limits?: HugepageLimit[];
  unified?: StringMap;
  memory_swap_limit_in_bytes?: number;
}

export interface ImageSpec {
  image: string;
  annotations?: StringMap;
  user_specified_image?: string;
  runtime_handler?: string;
}

// ---- pod sandboxes ----
export interface LinuxSandboxSecurityContext {
  namespace_options?: NamespaceOption | null;
  selinux_options?: SELinuxOption | null;
  run_as_user?: Int64Value | null;
  run_as_group?: Int64Value | null;
  readonly_rootfs?: boolean;
  supplemental_groups?: number[];
  privileged?: boolean;
  seccomp?: SecurityProfile | null;
  apparmor?: SecurityProfile | null;
}

export interface LinuxPodSandboxConfig {
  /** cgroupfs-style parent, e.g. /kubepods/besteffort/pod<uid> (containerd runs with SystemdCgroup=false). */
  cgroup_parent?: string;
  security_context?: LinuxSandboxSecurityContext | null;
  sysctls?: StringMap;
  overhead?: LinuxContainerResources | null;
  resources?: LinuxContainerResources | null;
}

export interface PodSandboxMetadata { name: string; uid: string; namespace: string; attempt?: number }

export interface PodSandboxConfig {
  metadata: PodSandboxMetadata;
  hostname?: string;
  /** Pod log dir, e.g. <logRoot>/<ns>_<name>_<uid>. */
  log_directory?: string;
  dns_config?: DNSConfig | null;
  port_mappings?: PortMapping[];
  labels?: StringMap;
  annotations?: StringMap;
  linux?: LinuxPodSandboxConfig | null;
}

export interface PodIP { ip: string }
export interface PodSandboxNetworkStatus { ip: string; additional_ips: PodIP[] }

export interface PodSandboxStatus {
  id: string;
  metadata: Required<PodSandboxMetadata> | null;
  state: PodSandboxState;
  /** Nanoseconds since the epoch. */
  created_at: number;
  network: PodSandboxNetworkStatus | null;
  linux: { namespaces: { options: NamespaceOption | null } | null } | null;
  labels: StringMap;
  annotations: StringMap;
  runtime_handler: string;
}

export interface PodSandboxFilter {
  id?: string;
  state?: { state: PodSandboxState } | null;
  label_selector?: StringMap;
}

export interface PodSandbox {
  id: string;
  metadata: Required<PodSandboxMetadata> | null;
  state: PodSandboxState;
  created_at: number;
  labels: StringMap;
  annotations: StringMap;
  runtime_handler: string;
}

// ---- containers ----
export interface LinuxContainerSecurityContext {
  capabilities?: Capability | null;
  privileged?: boolean;
  namespace_options?: NamespaceOption | null;
  selinux_options?: SELinuxOption | null;
  run_as_user?: Int64Value | null;
  run_as_group?: Int64Value | null;
  run_as_username?: string;
  readonly_rootfs?: boolean;
  supplemental_groups?: number[];
  no_new_privs?: boolean;
  masked_paths?: string[];
  readonly_paths?: string[];
  seccomp?: SecurityProfile | null;
  apparmor?: SecurityProfile | null;
}

export interface LinuxContainerConfig {
  resources?: LinuxContainerResources | null;
  security_context?: LinuxContainerSecurityContext | null;
}

export interface ContainerMetadata { name: string; attempt?: number }

export interface ContainerConfig {
  metadata: ContainerMetadata;
  image: ImageSpec;
  command?: string[];
  args?: string[];
  working_dir?: string;
  envs?: KeyValue[];
  mounts?: Mount[];
  devices?: Device[];
  labels?: StringMap;
  annotations?: StringMap;
  /** Relative to the sandbox log_directory, e.g. <containerName>/<attempt>.log. */
  log_path?: string;
  stdin?: boolean;
  stdin_once?: boolean;
  tty?: boolean;
  linux?: LinuxContainerConfig | null;
}

export interface ContainerFilter {
  id?: string;
  state?: { state: ContainerState } | null;
  pod_sandbox_id?: string;
  label_selector?: StringMap;
}

export interface Container {
  id: string;
  pod_sandbox_id: string;
  metadata: Required<ContainerMetadata> | null;
  image: ImageSpec | null;
  image_ref: string;
  state: ContainerState;
  created_at: number;
  labels: StringMap;
  annotations: StringMap;
}

export interface ContainerStatus {
  id: string;
  metadata: Required<ContainerMetadata> | null;
  state: ContainerState;
  /** Nanoseconds since the epoch; 0 = not set. */
  created_at: number;
  started_at: number;
  finished_at: number;
  exit_code: number;
  image: ImageSpec | null;
  image_ref: string;
  /** E.g. "Completed", "Error", "OOMKilled". */
  reason: string;
  message: string;
  labels: StringMap;
  annotations: StringMap;
  mounts: Mount[];
  /** Absolute path of the CRI-format log file. */
  log_path: string;
  resources: { linux: LinuxContainerResources | null } | null;
}

// ---- exec, attach, port-forward ----
export interface ExecSyncResult { stdout: Buffer; stderr: Buffer; exit_code: number }

export interface ExecRequest {
  container_id: string;
  cmd: string[];
  tty?: boolean;
  stdin?: boolean;
  stdout?: boolean;
  stderr?: boolean;
}

export interface AttachRequest {
  container_id: string;
  stdin?: boolean;
  tty?: boolean;
  stdout?: boolean;
  stderr?: boolean;
}

export interface PortForwardRequest { pod_sandbox_id: string; port?: number[] }

// ---- stats ----
export interface FilesystemUsage {
  timestamp: number;
  fs_id: { mountpoint: string } | null;
  used_bytes: UInt64Value | null;
  inodes_used: UInt64Value | null;
}

export interface CpuUsage {
  timestamp: number;
  usage_core_nano_seconds: UInt64Value | null;
  usage_nano_cores: UInt64Value | null;
}

export interface MemoryUsage {
  timestamp: number;
  working_set_bytes: UInt64Value | null;
  available_bytes: UInt64Value | null;
  usage_bytes: UInt64Value | null;
  rss_bytes: UInt64Value | null;
  page_faults: UInt64Value | null;
  major_page_faults: UInt64Value | null;
}

export interface ContainerAttributes {
  id: string;
  metadata: Required<ContainerMetadata> | null;
  labels: StringMap;
  annotations: StringMap;
}

export interface ContainerStats {
  attributes: ContainerAttributes | null;
  cpu: CpuUsage | null;
  memory: MemoryUsage | null;
  writable_layer: FilesystemUsage | null;
}

export interface ContainerStatsFilter { id?: string; pod_sandbox_id?: string; label_selector?: StringMap }

export interface NetworkInterfaceUsage {
  name: string;
  rx_bytes: UInt64Value | null;
  rx_errors: UInt64Value | null;
  tx_bytes: UInt64Value | null;
  tx_errors: UInt64Value | null;
}

export interface PodSandboxStats {
  attributes: { id: string; metadata: Required<PodSandboxMetadata> | null; labels: StringMap; annotations: StringMap } | null;
  linux: {
    cpu: CpuUsage | null;
    memory: MemoryUsage | null;
    network: { timestamp: number; default_interface: NetworkInterfaceUsage | null; interfaces: NetworkInterfaceUsage[] } | null;
    process: { timestamp: number; process_count: UInt64Value | null } | null;
    containers: ContainerStats[];
  } | null;
}

// ---- runtime ----
export interface VersionInfo {
  version: string;
  runtime_name: string;
  /** e.g. "1.6.20~ds1" for Debian's containerd. */
  runtime_version: string;
  runtime_api_version: string;
}

export interface RuntimeCondition { type: string; status: boolean; reason: string; message: string }
export interface RuntimeStatusResult {
  status: { conditions: RuntimeCondition[] } | null;
  info: StringMap;
}

// ---- images ----
export interface Image {
  id: string;
  repo_tags: string[];
  repo_digests: string[];
  size: number;
  uid: Int64Value | null;
  username: string;
  spec: ImageSpec | null;
  pinned: boolean;
}

export interface AuthConfig {
  username?: string;
  password?: string;
  /** base64 "user:password", as in a docker config.json. */
  auth?: string;
  server_address?: string;
  identity_token?: string;
  registry_token?: string;
}

export interface ImageFsInfo {
  image_filesystems: FilesystemUsage[];
  container_filesystems: FilesystemUsage[];
}
