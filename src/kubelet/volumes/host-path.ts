/**
 * hostPath volumes and the PVCs the local-path provisioner binds to hostPath/local PVs.
 *
 * checkHostPathType follows upstream's pkg/volume/hostpath checkTypeInternal: DirectoryOrCreate and
 * FileOrCreate create what is missing (0755 dir / 0644 file), the others only check, with upstream's
 * messages (`hostPath type check failed: /x is not a directory`). resolveClaimPath turns a
 * persistentVolumeClaim into the host path of its bound PV, failing as upstream's volume manager does.
 */
import { promises as fs, constants as fsConstants } from 'node:fs';
import type { KubeObject } from '../../api/types.js';
import { PluginError, recordField, type VolumeSources } from './types.js';

async function statOrUndefined(p: string) {
  try {
    return await fs.stat(p);
  } catch {
    return undefined;
  }
}

/** Validates the path and its type; creates it for the *OrCreate types. */
export async function checkHostPathType(hostPath: string, type: string | undefined): Promise<void> {
  if (hostPath.split('/').includes('..')) throw new PluginError(`invalid HostPath \`${hostPath}\`: must not contain '..'`);
  const t = type ?? '';
  if (t === '') return;
  const st = await statOrUndefined(hostPath);
  switch (t) {
    case 'DirectoryOrCreate':
    case 'Directory':
      if (!st && t === 'DirectoryOrCreate') {
        await fs.mkdir(hostPath, { recursive: true, mode: 0o755 });
        return;
      }
      if (!st?.isDirectory()) throw new PluginError(`hostPath type check failed: ${hostPath} is not a directory`);
      return;
    case 'FileOrCreate':
    case 'File':
      if (!st && t === 'FileOrCreate') {
        const fh = await fs.open(hostPath, fsConstants.O_CREAT | fsConstants.O_RDONLY, 0o644);
        await fh.close();
        return;
      }
      if (!st?.isFile()) throw new PluginError(`hostPath type check failed: ${hostPath} is not a file`);
      return;
    case 'Socket':
      if (!st?.isSocket()) throw new PluginError(`hostPath type check failed: ${hostPath} is not a socket file`);
      return;
    case 'CharDevice':
      if (!st?.isCharacterDevice()) throw new PluginError(`hostPath type check failed: ${hostPath} is not a character device`);
      return;
    case 'BlockDevice':
      if (!st?.isBlockDevice()) throw new PluginError(`hostPath type check failed: ${hostPath} is not a block device`);
      return;
    default:
      throw new PluginError(`${t} is an invalid volume type`);
  }
}

export interface ClaimPath {
  hostPath: string;
  readOnly: boolean;
  pvName: string;
}

/** The host directory behind a PVC: its bound PV's spec.hostPath.path or spec.local.path. */
export async function resolveClaimPath(
  sources: VolumeSources,
  namespace: string,
  claimName: string,
  claimReadOnly: boolean,
  ephemeralOwner?: KubeObject,
): Promise<ClaimPath> {
  const pvc = await sources.get('persistentvolumeclaims', namespace, claimName);
  if (!pvc) throw new PluginError(`failed to fetch PVC from API server: persistentvolumeclaims "${claimName}" not found`);
  if (ephemeralOwner && !(pvc.metadata?.ownerReferences ?? []).some((o) => o.controller && o.uid === ephemeralOwner.metadata?.uid)) {
    throw new PluginError(`PVC ${namespace}/${claimName} was not created for pod ${namespace}/${ephemeralOwner.metadata?.name ?? ''} (pod is not owner)`);
  }
  if (pvc.metadata?.deletionTimestamp) throw new PluginError('PVC is being deleted');
  const phase = recordField(pvc, 'status').phase;
  if (phase !== 'Bound') throw new PluginError(`PVC ${namespace}/${claimName} is not bound (phase ${JSON.stringify(phase ?? 'Pending')})`);
  const pvName = recordField(pvc, 'spec').volumeName;
  if (typeof pvName !== 'string' || pvName === '') throw new PluginError('PVC has empty pvc.Spec.VolumeName');
  const pv: KubeObject | null = await sources.get('persistentvolumes', '', pvName);
  if (!pv) throw new PluginError(`failed to fetch PV ${pvName} from API server: persistentvolumes "${pvName}" not found`);
  const spec = recordField(pv, 'spec');
  const claimRef = recordField(spec, 'claimRef');
  if (claimRef.uid && pvc.metadata?.uid && claimRef.uid !== pvc.metadata.uid) {
    throw new PluginError(`the PV's ClaimRef UID ${String(claimRef.uid)} doesn't match PVC ${namespace}/${claimName} UID ${pvc.metadata.uid}`);
  }
  const hostPathSrc = recordField(spec, 'hostPath');
  if (typeof hostPathSrc.path === 'string') {
    await checkHostPathType(hostPathSrc.path, typeof hostPathSrc.type === 'string' ? hostPathSrc.type : undefined);
    return { hostPath: hostPathSrc.path, readOnly: claimReadOnly, pvName };
  }
  const local = recordField(spec, 'local');
  if (typeof local.path === 'string') {
    const st = await statOrUndefined(local.path);
    if (!st) throw new PluginError(`path "${local.path}" does not exist`);
    return { hostPath: local.path, readOnly: claimReadOnly, pvName };
  }
  throw new PluginError(`PV ${pvName} has no hostPath or local source; Skiff's kubelet mounts only those`);
}
