/**
 * The `local-path` StorageClass Skiff ships (k3s ships rancher's local-path-provisioner the same
 * way): the cluster default, provisioned by this process, bound once a pod is scheduled.
 */
import type { RestClient } from '../../client/rest.js';
import { ANN_DEFAULT_CLASS, type StorageClass } from '../persistentvolume/types.js';

export const LOCAL_PATH_CLASS = 'local-path';
export const LOCAL_PATH_PROVISIONER = 'skiff.dev/local-path';

export const localPathStorageClass = (): StorageClass & { apiVersion: string; kind: string } => ({
  apiVersion: 'storage.k8s.io/v1',
  kind: 'StorageClass',
  metadata: { name: LOCAL_PATH_CLASS, annotations: { [ANN_DEFAULT_CLASS]: 'true' } },
  provisioner: LOCAL_PATH_PROVISIONER,
  reclaimPolicy: 'Delete',
  volumeBindingMode: 'WaitForFirstConsumer',
});

/** Creates the class unless it exists (an administrator's edits to it are kept). */
export async function ensureLocalPathStorageClass(client: RestClient): Promise<void> {
  const res = await client.post('/apis/storage.k8s.io/v1/storageclasses', localPathStorageClass());
  if (res.status !== 201 && res.status !== 200 && res.status !== 409) throw new Error(`create storageclass ${LOCAL_PATH_CLASS}: ${res.status} ${res.text.slice(0, 200)}`);
}
