/**
 * Rendering a release against the cluster it goes to: the cluster's Kubernetes version and API
 * group versions become .Capabilities (helm asks discovery the same way), then renderRelease.
 * Also turns rendered hooks into the stored hook records.
 */
import type { Chart } from '../chart/types.js';
import { renderRelease, type RenderedRelease, type RenderReleaseOptions } from '../release-render.js';
import type { HelmMap } from '../values/yaml.js';
import type { ActionConfig } from './config.js';
import type { HookRecord } from './release.js';

export interface ClusterCapabilities { kubeVersion?: string; apiVersions: string[] }

export async function clusterCapabilities(cfg: ActionConfig): Promise<ClusterCapabilities> {
  const v = await cfg.rest.get<{ gitVersion?: string }>('/version');
  const apis = await cfg.rest.get<{ groups?: { versions?: { groupVersion: string }[] }[] }>('/apis');
  const apiVersions = ['v1'];
  for (const g of apis.status === 200 ? apis.body.groups ?? [] : []) for (const gv of g.versions ?? []) apiVersions.push(gv.groupVersion);
  const kubeVersion = v.status === 200 && v.body.gitVersion ? v.body.gitVersion.replace(/[-+].*$/, '') : undefined;
  return { kubeVersion, apiVersions };
}

export type RenderSettings = Omit<RenderReleaseOptions, 'release' | 'kubeVersion' | 'apiVersions'>;

export async function renderForCluster(cfg: ActionConfig, chart: Chart, values: HelmMap, release: RenderReleaseOptions['release'], settings: RenderSettings, caps?: ClusterCapabilities): Promise<RenderedRelease> {
  const c = caps ?? (await clusterCapabilities(cfg));
  return renderRelease(chart, values, { ...settings, release, kubeVersion: c.kubeVersion, apiVersions: c.apiVersions });
}

export function hookRecords(rendered: RenderedRelease): HookRecord[] {
  return rendered.hooks.map((h) => ({
    name: h.name, kind: h.kind, path: h.path, manifest: h.manifest, events: [...h.events],
    last_run: { started_at: '', completed_at: '', phase: '' }, weight: h.weight,
    delete_policies: [...h.deletePolicies], output_log_policies: [...h.outputLogPolicies],
  }));
}
