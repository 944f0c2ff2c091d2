/**
 * The objects templates see besides .Values, shaped like helm's Go structs so field names and
 * printing match: .Chart (chart.Metadata fields + IsRoot), .Capabilities (KubeVersion,
 * APIVersions.Has, HelmVersion), .Release (a map, as in helm). Classes are Go structs for the
 * template engine (see engine/values.ts): function-valued properties are methods.
 */
import type { Chart, ChartDependency, Maintainer } from './chart/types.js';
import type { HelmValue } from './values/yaml.js';

/**
 * The Kubernetes version `helm template` reports by default. Release builds of helm set it with
 * ldflags from their client-go version (v3.21.4: client-go v0.36 -> v1.36.0); helm's own test
 * builds, which produced the shared golden files, keep the source default v1.20.0. The CLI lets
 * SKIFF_HELM_DEFAULT_KUBE_VERSION choose, like the ldflags do.
 */
export const DEFAULT_KUBE_VERSION = 'v1.36.0';
export const SOURCE_DEFAULT_KUBE_VERSION = 'v1.20.0';
export const HELM_VERSION = 'v3.21.4';

class MaintainerObject {
  static goTypeName = '*chart.Maintainer';
  Name: string; Email: string; URL: string;
  constructor(m: Maintainer) { this.Name = m.name ?? ''; this.Email = m.email ?? ''; this.URL = m.url ?? ''; }
}

class DependencyObject {
  static goTypeName = '*chart.Dependency';
  Name: string; Version: string; Repository: string; Condition: string; Tags: string[] | null;
  Enabled: boolean; ImportValues: HelmValue[] | null; Alias: string;
  constructor(d: ChartDependency) {
    this.Name = d.name; this.Version = d.version ?? ''; this.Repository = d.repository ?? '';
    this.Condition = d.condition ?? ''; this.Tags = d.tags ?? null; this.Enabled = d.enabled ?? false;
    this.ImportValues = d['import-values'] ?? null; this.Alias = d.alias ?? '';
  }
}

/** `.Chart`: helm passes struct{ chart.Metadata; IsRoot bool }. */
export class ChartObject {
  static goTypeName = 'struct { *chart.Metadata; IsRoot bool }';
  Name: string; Home: string; Sources: string[] | null; Version: string; Description: string;
  Keywords: string[] | null; Maintainers: MaintainerObject[] | null; Icon: string; APIVersion: string;
  Condition: string; Tags: string; AppVersion: string; Deprecated: boolean;
  Annotations: Record<string, string> | null; KubeVersion: string; Dependencies: DependencyObject[] | null;
  Type: string; IsRoot: boolean;
  constructor(c: Chart) {
    const m = c.metadata;
    this.Name = m.name; this.Home = m.home ?? ''; this.Sources = m.sources ?? null; this.Version = m.version;
    this.Description = m.description ?? ''; this.Keywords = m.keywords ?? null;
    this.Maintainers = m.maintainers ? m.maintainers.filter((x): x is Maintainer => x !== null).map((x) => new MaintainerObject(x)) : null;
    this.Icon = m.icon ?? ''; this.APIVersion = m.apiVersion; this.Condition = m.condition ?? ''; this.Tags = m.tags ?? '';
    this.AppVersion = m.appVersion ?? ''; this.Deprecated = m.deprecated ?? false; this.Annotations = m.annotations ?? null;
    this.KubeVersion = m.kubeVersion ?? '';
    this.Dependencies = m.dependencies ? m.dependencies.filter((x): x is ChartDependency => x !== null).map((x) => new DependencyObject(x)) : null;
    this.Type = m.type ?? ''; this.IsRoot = c.isRoot();
  }
}

export class KubeVersion {
  static goTypeName = 'chartutil.KubeVersion';
  Version: string; Major: string; Minor: string;
  constructor(version: string, major: string, minor: string) { this.Version = version; this.Major = major; this.Minor = minor; }
  String = (): string => this.Version;
  GitVersion = (): string => this.Version;
}

/** ParseKubeVersion (k8s ParseGeneric): `[v]MAJOR.MINOR[.PATCH][-pre][+meta]`. */
export function parseKubeVersion(v: string): KubeVersion {
  const m = /^\s*v?([0-9]+)\.([0-9]+)(?:\.([0-9]+))?(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?\s*$/.exec(v);
  if (!m) throw new Error(`could not parse "${v}" as version`);
  const [major, minor, patch] = [BigInt(m[1]), BigInt(m[2]), BigInt(m[3] ?? '0')];
  return new KubeVersion(`v${major}.${minor}.${patch}${m[4] ?? ''}${m[5] ?? ''}`, String(major), String(minor));
}

/** chartutil.VersionSet: a []string with Has. Modelled as a struct whose String() prints like
 *  the Go slice, because the engine resolves methods on structs, not on slices. */
export class VersionSet {
  static goTypeName = 'chartutil.VersionSet';
  declare readonly versions: string[];
  constructor(versions: string[]) { Object.defineProperty(this, 'versions', { value: [...versions], enumerable: false }); }
  Has = (apiVersion: string): boolean => this.versions.includes(apiVersion);
  String = (): string => `[${this.versions.join(' ')}]`;
}

export function versionSet(items: string[]): VersionSet { return new VersionSet(items); }

class HelmBuildInfo {
  static goTypeName = 'version.BuildInfo';
  Version = HELM_VERSION; GitCommit = ''; GitTreeState = ''; GoVersion = 'go1.25.0';
}

export class Capabilities {
  static goTypeName = '*chartutil.Capabilities';
  KubeVersion: KubeVersion; APIVersions: VersionSet; HelmVersion = new HelmBuildInfo();
  constructor(kube: KubeVersion, apis: VersionSet) { this.KubeVersion = kube; this.APIVersions = apis; }
}

/** client-go's scheme groups plus apiextensions, as helm's DefaultVersionSet lists them. */
export const DEFAULT_API_VERSIONS = [
  'v1', 'admissionregistration.k8s.io/v1', 'admissionregistration.k8s.io/v1beta1', 'admissionregistration.k8s.io/v1alpha1',
  'internal.apiserver.k8s.io/v1alpha1', 'apps/v1', 'apps/v1beta2', 'apps/v1beta1',
  'authentication.k8s.io/v1', 'authentication.k8s.io/v1beta1', 'authentication.k8s.io/v1alpha1',
  'authorization.k8s.io/v1', 'authorization.k8s.io/v1beta1', 'autoscaling/v2', 'autoscaling/v1',
  'autoscaling/v2beta2', 'autoscaling/v2beta1', 'batch/v1', 'batch/v1beta1', 'certificates.k8s.io/v1',
  'certificates.k8s.io/v1beta1', 'certificates.k8s.io/v1alpha1', 'coordination.k8s.io/v1',
  'coordination.k8s.io/v1beta1', 'coordination.k8s.io/v1alpha2', 'discovery.k8s.io/v1', 'discovery.k8s.io/v1beta1',
  'events.k8s.io/v1', 'events.k8s.io/v1beta1', 'extensions/v1beta1', 'flowcontrol.apiserver.k8s.io/v1',
  'flowcontrol.apiserver.k8s.io/v1beta3', 'flowcontrol.apiserver.k8s.io/v1beta2', 'flowcontrol.apiserver.k8s.io/v1beta1',
  'networking.k8s.io/v1', 'networking.k8s.io/v1beta1', 'node.k8s.io/v1', 'node.k8s.io/v1beta1', 'node.k8s.io/v1alpha1',
  'policy/v1', 'policy/v1beta1', 'rbac.authorization.k8s.io/v1', 'rbac.authorization.k8s.io/v1beta1',
  'rbac.authorization.k8s.io/v1alpha1', 'resource.k8s.io/v1', 'resource.k8s.io/v1beta2', 'resource.k8s.io/v1beta1',
  'resource.k8s.io/v1alpha3', 'scheduling.k8s.io/v1', 'scheduling.k8s.io/v1beta1', 'scheduling.k8s.io/v1alpha1',
  'storage.k8s.io/v1', 'storage.k8s.io/v1beta1', 'storage.k8s.io/v1alpha1', 'storagemigration.k8s.io/v1alpha1',
  'apiextensions.k8s.io/v1', 'apiextensions.k8s.io/v1beta1',
];

export function defaultCapabilities(kubeVersion?: KubeVersion, extraApis: string[] = []): Capabilities {
  return new Capabilities(kubeVersion ?? parseKubeVersion(DEFAULT_KUBE_VERSION), versionSet([...DEFAULT_API_VERSIONS, ...extraApis]));
}

export interface ReleaseOptions { name: string; namespace: string; revision: number; isInstall: boolean; isUpgrade: boolean }

/** `.Release` is a plain map in helm; Revision is a Go int. */
export function releaseObject(o: ReleaseOptions): Record<string, unknown> {
  return { Name: o.name, Namespace: o.namespace, IsUpgrade: o.isUpgrade, IsInstall: o.isInstall, Revision: BigInt(o.revision), Service: 'Helm' };
}
