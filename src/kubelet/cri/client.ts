/**
 * CRI client: the kubelet's side of the Container Runtime Interface (runtime.v1) over gRPC on a
 * unix socket, as upstream's kubelet talks to containerd.
 *
 * Input: the runtime's socket path. Output: one promise method per RPC of RuntimeService and
 * ImageService (./api.proto), taking and returning the snake_case shapes of ./types.ts.
 * gRPC failures become CriError carrying the grpc status `code` and `details`.
 */
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import type {
  AttachRequest, AuthConfig, Container, ContainerConfig, ContainerFilter, ContainerStats, ContainerStatsFilter,
  ContainerStatus, ExecRequest, ExecSyncResult, Image, ImageFsInfo, LinuxContainerResources, PodSandbox,
  PodSandboxConfig, PodSandboxFilter, PodSandboxStats, PodSandboxStatus, PortForwardRequest, RuntimeStatusResult,
  StringMap, VersionInfo,
} from './types.js';

/** The version string the kubelet sends in VersionRequest. */
export const CRI_API_VERSION = 'v1';
const MAX_MESSAGE_BYTES = 16 * 1024 * 1024;
const DEFAULT_CALL_TIMEOUT_MS = 2 * 60 * 1000;

/** A failed CRI call: `code` is the grpc status code (grpc.status.NOT_FOUND = 5, ...). */
export class CriError extends Error {
  constructor(
    readonly method: string,
    readonly code: number,
    readonly details: string,
  ) {
    super(`CRI ${method}: ${grpc.status[code] ?? code}: ${details}`);
    this.name = 'CriError';
  }

  /** The error as Go's gRPC prints it, which is what upstream's kubelet shows in events and messages. */
  get grpcText(): string {
    const name = String(grpc.status[this.code] ?? this.code).toLowerCase().replace(/(^|_)([a-z])/g, (_m, _u, c: string) => c.toUpperCase());
    return `rpc error: code = ${name} desc = ${this.details}`;
  }
}

/** True when err is a CriError with grpc NOT_FOUND (e.g. a container already removed). */
export function isCriNotFound(err: unknown): boolean {
  return err instanceof CriError && err.code === grpc.status.NOT_FOUND;
}

type UnaryCallback = (err: grpc.ServiceError | null, res: unknown) => void;
type UnaryMethod = (req: object, meta: grpc.Metadata, opts: grpc.CallOptions, cb: UnaryCallback) => void;

let packageCache: grpc.GrpcObject | undefined;
function loadCriPackage(): grpc.GrpcObject {
  if (!packageCache) {
    const protoPath = fileURLToPath(new URL('./api.proto', import.meta.url));
    const def = protoLoader.loadSync(protoPath, { keepCase: true, longs: Number, enums: String, defaults: true, oneofs: true });
    packageCache = grpc.loadPackageDefinition(def);
  }
  return packageCache;
}

function serviceConstructor(name: 'RuntimeService' | 'ImageService'): grpc.ServiceClientConstructor {
  const runtime = loadCriPackage()['runtime'] as grpc.GrpcObject;
  const v1 = runtime['v1'] as grpc.GrpcObject;
  return v1[name] as grpc.ServiceClientConstructor;
}

export interface CriConnectOptions {
  /** How long to wait for the socket to accept a connection (default 10 s). */
  timeoutMs?: number;
  /** Deadline of each call (default 2 min; PullImage may take long). */
  callTimeoutMs?: number;
}

export class CriClient {
  private constructor(
    private readonly runtime: grpc.Client,
    private readonly images: grpc.Client,
    private readonly callTimeoutMs: number,
  ) {}

  /** Connect to `unix://<socketPath>` and wait until the channel is ready. */
  static async connect(socketPath: string, opts: CriConnectOptions = {}): Promise<CriClient> {
    const target = `unix://${socketPath}`;
    const channelOptions: grpc.ChannelOptions = {
      'grpc.max_receive_message_length': MAX_MESSAGE_BYTES,
      'grpc.max_send_message_length': MAX_MESSAGE_BYTES,
    };
    const RuntimeService = serviceConstructor('RuntimeService');
    const ImageService = serviceConstructor('ImageService');
    const runtime = new RuntimeService(target, grpc.credentials.createInsecure(), channelOptions);
    const images = new ImageService(target, grpc.credentials.createInsecure(), channelOptions);
    const deadline = Date.now() + (opts.timeoutMs ?? 10_000);
    try {
      await new Promise<void>((resolve, reject) => runtime.waitForReady(deadline, (err) => (err ? reject(err) : resolve())));
    } catch (err) {
      runtime.close();
      images.close();
      throw new Error(`cannot connect to CRI socket ${socketPath}: ${err instanceof Error ? err.message : String(err)}`);
    }
    return new CriClient(runtime, images, opts.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS);
  }

  private call<T>(client: grpc.Client, method: string, req: object, timeoutMs = this.callTimeoutMs): Promise<T> {
    const fn = (client as unknown as Record<string, UnaryMethod>)[method];
    if (typeof fn !== 'function') return Promise.reject(new Error(`CRI method ${method} not in api.proto`));
    return new Promise<T>((resolve, reject) => {
      fn.call(client, req, new grpc.Metadata(), { deadline: Date.now() + timeoutMs }, (err, res) => {
        if (err) reject(new CriError(method, err.code, err.details || err.message));
        else resolve(res as T);
      });
    });
  }
  private rt<T>(method: string, req: object, timeoutMs?: number): Promise<T> {
    return this.call<T>(this.runtime, method, req, timeoutMs);
  }
  private img<T>(method: string, req: object, timeoutMs?: number): Promise<T> {
    return this.call<T>(this.images, method, req, timeoutMs);
  }

  // ---- runtime ----
  version(): Promise<VersionInfo> {
    return this.rt('Version', { version: CRI_API_VERSION });
  }
  /** Runtime conditions (RuntimeReady, NetworkReady); verbose adds `info` (JSON strings). */
  status(verbose = false): Promise<RuntimeStatusResult> {
    return this.rt('Status', { verbose });
  }
  async updateRuntimeConfig(podCidr: string): Promise<void> {
    await this.rt('UpdateRuntimeConfig', { runtime_config: { network_config: { pod_cidr: podCidr } } });
  }

  // ---- pod sandboxes ----
  /** Creates and starts the sandbox (pause container + network); resolves to its id. */
  async runPodSandbox(config: PodSandboxConfig, runtimeHandler = ''): Promise<string> {
    const res = await this.rt<{ pod_sandbox_id: string }>('RunPodSandbox', { config, runtime_handler: runtimeHandler });
    return res.pod_sandbox_id;
  }
  async stopPodSandbox(podSandboxId: string): Promise<void> {
    await this.rt('StopPodSandbox', { pod_sandbox_id: podSandboxId });
  }
  async removePodSandbox(podSandboxId: string): Promise<void> {
    await this.rt('RemovePodSandbox', { pod_sandbox_id: podSandboxId });
  }
  async podSandboxStatus(podSandboxId: string): Promise<PodSandboxStatus> {
    const res = await this.rt<{ status: PodSandboxStatus | null }>('PodSandboxStatus', { pod_sandbox_id: podSandboxId });
    if (!res.status) throw new CriError('PodSandboxStatus', grpc.status.NOT_FOUND, `sandbox ${podSandboxId} has no status`);
    return res.status;
  }
  async listPodSandbox(filter?: PodSandboxFilter): Promise<PodSandbox[]> {
    const res = await this.rt<{ items: PodSandbox[] }>('ListPodSandbox', { filter: filter ?? null });
    return res.items;
  }
  async podSandboxStats(podSandboxId: string): Promise<PodSandboxStats | null> {
    const res = await this.rt<{ stats: PodSandboxStats | null }>('PodSandboxStats', { pod_sandbox_id: podSandboxId });
    return res.stats;
  }

  // ---- containers ----
  async createContainer(podSandboxId: string, config: ContainerConfig, sandboxConfig: PodSandboxConfig): Promise<string> {
    const res = await this.rt<{ container_id: string }>('CreateContainer', {
      pod_sandbox_id: podSandboxId,
      config,
      sandbox_config: sandboxConfig,
    });
    return res.container_id;
  }
  async startContainer(containerId: string): Promise<void> {
    await this.rt('StartContainer', { container_id: containerId });
  }
  /** SIGTERM, then SIGKILL after timeoutSeconds (0 = kill at once). */
  async stopContainer(containerId: string, timeoutSeconds: number): Promise<void> {
    await this.rt('StopContainer', { container_id: containerId, timeout: timeoutSeconds }, (timeoutSeconds + 60) * 1000);
  }
  async removeContainer(containerId: string): Promise<void> {
    await this.rt('RemoveContainer', { container_id: containerId });
  }
  async listContainers(filter?: ContainerFilter): Promise<Container[]> {
    const res = await this.rt<{ containers: Container[] }>('ListContainers', { filter: filter ?? null });
    return res.containers;
  }
  async containerStatus(containerId: string): Promise<ContainerStatus> {
    const res = await this.rt<{ status: ContainerStatus | null }>('ContainerStatus', { container_id: containerId });
    if (!res.status) throw new CriError('ContainerStatus', grpc.status.NOT_FOUND, `container ${containerId} has no status`);
    return res.status;
  }
  async updateContainerResources(containerId: string, linux: LinuxContainerResources, annotations?: StringMap): Promise<void> {
    await this.rt('UpdateContainerResources', { container_id: containerId, linux, annotations: annotations ?? {} });
  }
  async reopenContainerLog(containerId: string): Promise<void> {
    await this.rt('ReopenContainerLog', { container_id: containerId });
  }

  // ---- exec, attach, port-forward ----
  /** Runs cmd in the container and waits (timeoutSeconds 0 = no limit). */
  async execSync(containerId: string, cmd: string[], timeoutSeconds: number): Promise<ExecSyncResult> {
    const callTimeout = timeoutSeconds > 0 ? (timeoutSeconds + 10) * 1000 : undefined;
    return this.rt<ExecSyncResult>('ExecSync', { container_id: containerId, cmd, timeout: timeoutSeconds }, callTimeout);
  }
  /** URL on containerd's streaming server for the exec session. */
  async exec(req: ExecRequest): Promise<string> {
    return (await this.rt<{ url: string }>('Exec', req)).url;
  }
  async attach(req: AttachRequest): Promise<string> {
    return (await this.rt<{ url: string }>('Attach', req)).url;
  }
  async portForward(req: PortForwardRequest): Promise<string> {
    return (await this.rt<{ url: string }>('PortForward', req)).url;
  }

  // ---- stats ----
  async containerStats(containerId: string): Promise<ContainerStats | null> {
    return (await this.rt<{ stats: ContainerStats | null }>('ContainerStats', { container_id: containerId })).stats;
  }
  async listContainerStats(filter?: ContainerStatsFilter): Promise<ContainerStats[]> {
    return (await this.rt<{ stats: ContainerStats[] }>('ListContainerStats', { filter: filter ?? null })).stats;
  }

  // ---- images ----
  async listImages(): Promise<Image[]> {
    return (await this.img<{ images: Image[] }>('ListImages', {})).images;
  }
  /** The image, or null when the runtime does not have it. */
  async imageStatus(image: string): Promise<Image | null> {
    return (await this.img<{ image: Image | null }>('ImageStatus', { image: { image } })).image;
  }
  /** Pulls through the runtime; resolves to the image ref (an image id, sha256:...). */
  async pullImage(image: string, auth?: AuthConfig, sandboxConfig?: PodSandboxConfig): Promise<string> {
    const req = { image: { image }, auth: auth ?? null, sandbox_config: sandboxConfig ?? null };
    return (await this.img<{ image_ref: string }>('PullImage', req, 10 * 60 * 1000)).image_ref;
  }
  async removeImage(image: string): Promise<void> {
    await this.img('RemoveImage', { image: { image } });
  }
  async imageFsInfo(): Promise<ImageFsInfo> {
    return this.img<ImageFsInfo>('ImageFsInfo', {});
  }

  close(): void {
    this.runtime.close();
    this.images.close();
  }
}
