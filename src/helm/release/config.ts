/**
 * What every release action needs (helm's action.Configuration): the kube client for the release
 * namespace, release storage, a debug logger, and helpers shared by the actions: the latest
 * release, the "operation in progress" guard, and failure descriptions.
 */
import type { RestClient } from '../../client/rest.js';
import { KubeClient } from './kube.js';
import { isPending, rfc3339Nano, type Release, type ReleaseStatus } from './release.js';
import { SecretsStorage } from './storage.js';

export class ActionConfig {
  readonly kube: KubeClient;
  readonly storage: SecretsStorage;

  constructor(readonly rest: RestClient, readonly namespace: string, readonly log: (m: string) => void = () => undefined) {
    this.kube = new KubeClient(rest, namespace, log);
    this.storage = new SecretsStorage(rest, namespace);
  }
}

export const PENDING_ERROR = 'another operation (install/upgrade/rollback) is in progress';

/** The error helm gives for a pending latest release, with how to recover. */
export function pendingError(r: Release): Error {
  return new Error(`${PENDING_ERROR}\n(release "${r.name}" revision ${r.version} is ${r.info.status}; if no helm operation is running, recover with ` +
    `\`skiff helm rollback ${r.name}${r.version > 1 ? ` ${r.version - 1}` : ''}\`${r.version === 1 ? ` or \`skiff helm uninstall ${r.name}\`` : ''})`);
}

export function now(): string { return rfc3339Nano(new Date()); }

export function setStatus(r: Release, status: ReleaseStatus, description: string): void {
  r.info.status = status;
  r.info.description = description;
}

export { isPending };
