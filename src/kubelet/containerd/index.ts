/**
 * containerd run by Skiff: prerequisites check, generated config and CNI conflist, and the
 * supervisor that starts (or reuses) containerd and hands back a connected CRI client.
 */
export { checkContainerdPrerequisites, findBinary, CONTAINERD_INSTALL_HINT } from './prerequisites.js';
export type { ContainerdPrerequisites } from './prerequisites.js';
export {
  PAUSE_IMAGE, CRI_NAMESPACE, CNI_BIN_DIR, CNI_BRIDGE_NAME, CNI_NETWORK_NAME, containerdPaths, renderContainerdConfig,
  writeContainerdConfig, renderCniConfig, writeCniConfig, canLowerOomScoreAdj,
} from './config.js';
export type { CniOptions, ContainerdConfigOptions, ContainerdPaths } from './config.js';
export { startContainerd } from './supervisor.js';
export type { ContainerdHandle, ContainerdLogger, StartContainerdOptions } from './supervisor.js';
