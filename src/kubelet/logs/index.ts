/**
 * Container log rotation for the containerd kubelet (upstream pkg/kubelet/logs).
 *
 * Job: keep each running container's CRI log file (`<logRoot>/<ns>_<pod>_<uid>/<container>/<attempt>.log`)
 * below containerLogMaxSize by renaming it to `<log>.<YYYYMMDD-hhmmss>` and calling CRI
 * ReopenContainerLog, keeping at most containerLogMaxFiles files, older rotated ones gzipped.
 *
 * Input: a CriClient and the kubelet config values. Output: files on disk. Wire it in with
 *   const logs = new ContainerLogManager({ cri, log, ...containerLogSettings(kubeletConfig) });
 *   logs.start(); ... await logs.stop();
 * and call `await logs.clean(containerId)` before RemoveContainer to drop the rotated files too.
 */
export {
  ContainerLogManager, type ContainerLogManagerOptions, type ContainerRotationOutcome, type LogRotationLogger, type LogRotationRuntime,
} from './container-log-manager.js';
export {
  CONTAINER_LOG_CONFIG_DEFAULTS, containerLogSettings, parseLogMaxSize, type ContainerLogKubeletConfig, type ContainerLogSettings,
} from './kubelet-config.js';
export { allContainerLogs, compressLogFile, listRotatedSiblings, rotateLogFile, type RotationResult } from './rotate-log.js';
export {
  COMPRESS_SUFFIX, DEFAULT_LOG_ROTATE_POLICY, ROTATION_TIMESTAMP_LAYOUT, TMP_SUFFIX, isLogInUse, partitionRotatedLogs, rotatedLogName,
  rotationTimestamp, selectExcessLogs, validateLogRotatePolicy, type LogRotatePolicy,
} from './rotation-policy.js';
