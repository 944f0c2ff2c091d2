/**
 * The few Pod fields local-storage eviction reads, viewed through types (every field optional, as in
 * the JSON): volumes (emptyDir medium and sizeLimit, configMap), overhead, priority, the annotations
 * that mark static and mirror pods, and the phase.
 */
import type { KubeObject } from '../../api/types.js';
import path from 'node:path';
import type { ResourceList } from '../container-config/pod-spec.js';

export interface VolumeView {
  name: string;
  emptyDir?: { medium?: string; sizeLimit?: string | number } | null;
  configMap?: unknown;
  gitRepo?: unknown;
}

interface SpecView {
  volumes?: VolumeView[];
  overhead?: ResourceList;
  priority?: number;
  containers?: Array<{ name: string; resources?: { limits?: ResourceList } }>;
}

export function specView(pod: KubeObject): SpecView {
  const spec = pod.spec;
  return spec && typeof spec === 'object' ? (spec as SpecView) : {};
}

export function podPhase(pod: KubeObject): string | undefined {
  const status = pod.status as { phase?: string } | undefined;
  return status?.phase;
}

/** Upstream scheduling.SystemCriticalPriority (2 * HighestUserDefinablePriority). */
const SYSTEM_CRITICAL_PRIORITY = 2_000_000_000;

/**
 * Upstream kubelettypes.IsCriticalPod: static pods (config source other than the API), mirror pods and
 * pods with a system-critical priority. The eviction manager never evicts those.
 */
export function isCriticalPod(pod: KubeObject): boolean {
  const annotations = pod.metadata?.annotations ?? {};
  const source = annotations['kubernetes.io/config.source'];
  if (source !== undefined && source !== 'api') return true;
  if (annotations['kubernetes.io/config.mirror'] !== undefined) return true;
  const priority = specView(pod).priority;
  return typeof priority === 'number' && priority >= SYSTEM_CRITICAL_PRIORITY;
}

/** Where the volume manager keeps a managed volume: `<podDir>/volumes/kubernetes.io~<plugin>/<name>`. */
export function managedVolumeDir(podDir: string, plugin: 'empty-dir' | 'configmap', volumeName: string): string {
  return path.join(podDir, 'volumes', `kubernetes.io~${plugin}`, volumeName);
}
