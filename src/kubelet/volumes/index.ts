/**
 * The kubelet volume manager (see volume-manager.ts for the job, inputs and outputs).
 */
export { VolumeManager, type VolumeManagerOptions, type EmptyDirLimit } from './volume-manager.js';
export { VolumeSetupError, type VolumeSources, type Mount, type MountPropagation, type PodContext } from './types.js';
export { managedHostsFileContent } from './etc-hosts.js';
