/**
 * Kubelet back-offs: CrashLoopBackOff for container restarts and ImagePullBackOff for image pulls,
 * both 10 s doubling to 300 s as upstream. See restart-backoff.ts for how the pod worker uses them.
 */
export { RestartBackoff, crashLoopBackOffMessage, crashLoopBackOffEvent, imagePullBackOffMessage, podFullName, type RestartBackoffOptions } from './restart-backoff.js';
