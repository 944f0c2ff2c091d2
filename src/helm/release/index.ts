/**
 * Helm releases on a running cluster, stored exactly as helm v3 stores them (Secrets of type
 * helm.sh/release.v1) so real helm and skiff can manage the same releases.
 *
 * Input: an ActionConfig (RestClient + release namespace) and the chart/values/options of each
 * action. Output: the stored Release records; cluster objects created, patched or deleted.
 *
 *   install(cfg, InstallOptions)                 upgrade(cfg, UpgradeOptions)
 *   rollback(cfg, name, RollbackOptions)         uninstall(cfg, name, UninstallOptions)
 *   runReleaseTests(cfg, name, timeoutMs)        diffUpgrade(cfg, UpgradeOptions) (beyond helm)
 *   SecretsStorage: create/update/get/history/last/deployedAll/query/delete/pruneHistory
 *   encodeRelease / decodeRelease / releaseJson: the storage encoding (base64(gzip(Go JSON)))
 *   waitForReady / isReady: --wait readiness as helm's ReadyChecker judges it
 */
export { ActionConfig, PENDING_ERROR, pendingError } from './config.js';
export { install, installCrds, type InstallOptions, type WaitOptions } from './install.js';
export { upgrade, prepareUpgrade, upgradeValues, type UpgradeOptions } from './upgrade.js';
export { rollback, type RollbackOptions } from './rollback.js';
export { uninstall, type UninstallOptions, type UninstallResult } from './uninstall.js';
export { runReleaseTests } from './testing.js';
export { diffUpgrade, type ObjectDiff } from './diff.js';
export { SecretsStorage, ReleaseNotFound, secretName } from './storage.js';
export {
  decodeRelease, encodeRelease, releaseJson, chartRecord, isPending, mergeLabels, parseLabels,
  STATUSES, type Release, type ReleaseStatus, type ReleaseInfo, type HookRecord, type ChartRecord,
} from './release.js';
export { KubeClient, type Resource, type KubeObject } from './kube.js';
export { waitForReady, isReady } from './ready.js';
export { execHooks, hookOrder } from './hooks.js';
export { unifiedDiff } from './unified-diff.js';
