/**
 * The kubelet configuration fields of log rotation (KubeletConfiguration containerLogMaxSize,
 * containerLogMaxFiles, containerLogMaxWorkers, containerLogMonitorInterval), read as upstream reads
 * them: the size is a resource quantity ("10Mi"), the interval a Go duration ("10s").
 *
 * Input: the fields as they appear in a kubelet config file (all optional). Output: the options of
 * ContainerLogManager (without `cri`), or an Error listing every invalid field with upstream's text.
 */
import { parseGoDuration } from '../../machinery/duration.js';
import { parseQuantity } from '../../machinery/quantity.js';
import type { ContainerLogManagerOptions } from './container-log-manager.js';

export interface ContainerLogKubeletConfig {
  containerLogMaxSize?: string;
  containerLogMaxFiles?: number;
  containerLogMaxWorkers?: number;
  containerLogMonitorInterval?: string;
}

export type ContainerLogSettings = Required<Pick<ContainerLogManagerOptions, 'maxSize' | 'maxFiles' | 'maxWorkers' | 'intervalMs'>>;

/** Upstream defaults (pkg/kubelet/apis/config/v1beta1/defaults.go). */
export const CONTAINER_LOG_CONFIG_DEFAULTS: Readonly<Required<ContainerLogKubeletConfig>> = {
  containerLogMaxSize: '10Mi',
  containerLogMaxFiles: 5,
  containerLogMaxWorkers: 1,
  containerLogMonitorInterval: '10s',
};

const MAX_INT64 = 2n ** 63n - 1n;

/** A quantity as a whole number of bytes (upstream's Quantity.AsInt64); throws when it is not one. */
export function parseLogMaxSize(size: string): number {
  const q = parseQuantity(size);
  // Mantissas carry no trailing zeros, so a negative exponent means a fraction.
  if (q.exponent < 0) throw new Error('invalid max log size');
  const value = q.mantissa * 10n ** BigInt(q.exponent);
  if (value > MAX_INT64 || value < -MAX_INT64 - 1n || !Number.isSafeInteger(Number(value))) throw new Error('invalid max log size');
  return Number(value);
}

export function containerLogSettings(config: ContainerLogKubeletConfig = {}): ContainerLogSettings {
  const c = { ...CONTAINER_LOG_CONFIG_DEFAULTS, ...config };
  const errors: string[] = [];
  let maxSize = 0;
  try {
    maxSize = parseLogMaxSize(c.containerLogMaxSize);
  } catch (err) {
    errors.push(`failed to parse container log max size ${JSON.stringify(c.containerLogMaxSize)}: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (!Number.isInteger(c.containerLogMaxFiles) || c.containerLogMaxFiles <= 1) errors.push(`invalid MaxFiles ${c.containerLogMaxFiles}, must be > 1`);
  if (!Number.isInteger(c.containerLogMaxWorkers) || c.containerLogMaxWorkers < 1) {
    errors.push('invalid configuration: containerLogMaxWorkers must be greater than or equal to 1');
  }
  let intervalMs = 0;
  try {
    intervalMs = parseGoDuration(c.containerLogMonitorInterval);
  } catch (err) {
    errors.push(err instanceof Error ? err.message : String(err));
    intervalMs = Number.NaN;
  }
  if (!Number.isNaN(intervalMs) && intervalMs < 3000) {
    errors.push('invalid configuration: containerLogMonitorInterval must be a positive time duration greater than or equal to 3s');
  }
  if (errors.length) throw new Error(errors.join('; '));
  return { maxSize, maxFiles: c.containerLogMaxFiles, maxWorkers: c.containerLogMaxWorkers, intervalMs };
}
