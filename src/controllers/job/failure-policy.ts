/**
 * Pod failure policy and backoff (upstream pkg/controller/job/pod_failure_policy.go and backoff_utils.go):
 * the first rule matching a failed pod decides FailJob / Ignore / Count; pod recreation after failures
 * waits 10 s doubling per failure, capped at 6 minutes.
 */
import type { Pod, PodFailurePolicyRule } from './types.js';

export const DEFAULT_BACKOFF_MS = 10_000;
export const MAX_BACKOFF_MS = 6 * 60_000;

interface TerminatedState {
  exitCode?: number;
}
type ContainerStatus = { name: string; state?: { terminated?: TerminatedState } };

function terminatedContainers(pod: Pod): ContainerStatus[] {
  const st = pod.status as { containerStatuses?: ContainerStatus[]; initContainerStatuses?: ContainerStatus[] } | undefined;
  return [...(st?.initContainerStatuses ?? []), ...(st?.containerStatuses ?? [])].filter((c) => c.state?.terminated);
}

function ruleMatches(rule: PodFailurePolicyRule, pod: Pod): boolean {
  const codes = rule.onExitCodes;
  if (codes) {
    return terminatedContainers(pod).some((c) => {
      if (codes.containerName && c.name !== codes.containerName) return false;
      const code = c.state?.terminated?.exitCode ?? 0;
      if (code === 0) return false;
      const listed = codes.values.includes(code);
      return codes.operator === 'In' ? listed : !listed;
    });
  }
  for (const pattern of rule.onPodConditions ?? []) {
    const want = pattern.status ?? 'True';
    if (pod.status?.conditions?.some((c) => c.type === pattern.type && c.status === want)) return true;
  }
  return false;
}

/** The action for a failed pod, with the index of the rule that matched; undefined when no rule matched (counts). */
export function matchPodFailurePolicy(rules: PodFailurePolicyRule[] | undefined, pod: Pod): { action: PodFailurePolicyRule['action']; rule: number } | undefined {
  for (const [i, rule] of (rules ?? []).entries()) if (ruleMatches(rule, pod)) return { action: rule.action, rule: i };
  return undefined;
}

/** Backoff before the next pod creation after `failures` consecutive failures (0 => none). */
export function backoffDelay(failures: number, baseMs = DEFAULT_BACKOFF_MS, maxMs = MAX_BACKOFF_MS): number {
  if (failures <= 0) return 0;
  return Math.min(baseMs * 2 ** Math.min(failures - 1, 30), maxMs);
}
