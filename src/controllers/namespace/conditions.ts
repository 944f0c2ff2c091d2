/**
 * Namespace deletion status conditions, as upstream's namespace deleter reports them
 * (pkg/controller/namespace/deletion/status_condition_utils.go): each condition type is False with an
 * "all is well" reason/message, or True with the failure or what remains.
 */
export interface NamespaceCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason: string;
  message: string;
  lastTransitionTime?: string;
}

export const conditionTypes = [
  'NamespaceDeletionDiscoveryFailure',
  'NamespaceDeletionGroupVersionParsingFailure',
  'NamespaceDeletionContentFailure',
  'NamespaceContentRemaining',
  'NamespaceFinalizersRemaining',
] as const;
export type NamespaceConditionType = (typeof conditionTypes)[number];

const ok: Record<NamespaceConditionType, { reason: string; message: string }> = {
  NamespaceDeletionDiscoveryFailure: { reason: 'ResourcesDiscovered', message: 'All resources successfully discovered' },
  NamespaceDeletionGroupVersionParsingFailure: { reason: 'ParsedGroupVersions', message: 'All legacy kube types successfully parsed' },
  NamespaceDeletionContentFailure: { reason: 'ContentDeleted', message: 'All content successfully deleted, may be waiting on finalization' },
  NamespaceContentRemaining: { reason: 'ContentRemoved', message: 'All content successfully removed' },
  NamespaceFinalizersRemaining: { reason: 'ContentHasNoFinalizers', message: 'All content-preserving finalizers finished' },
};

/** What one deletion pass found: failures and leftovers (empty = all is well). */
export interface DeletionReport {
  discoveryError?: string;
  deleteErrors: string[];
  /** `<resource>[.<group>]` -> instances still present. */
  remaining: Map<string, number>;
  /** finalizer -> instances still carrying it. */
  finalizers: Map<string, number>;
}

function failing(report: DeletionReport): Partial<Record<NamespaceConditionType, { reason: string; message: string }>> {
  const out: Partial<Record<NamespaceConditionType, { reason: string; message: string }>> = {};
  if (report.discoveryError) out.NamespaceDeletionDiscoveryFailure = { reason: 'DiscoveryFailed', message: `Discovery failed for some groups, ${report.discoveryError}` };
  if (report.deleteErrors.length) {
    out.NamespaceDeletionContentFailure = { reason: 'ContentDeletionFailed', message: `Failed to delete all resource types, ${report.deleteErrors.length} remaining: ${report.deleteErrors.join(', ')}` };
  }
  if (report.remaining.size) {
    const parts = [...report.remaining].sort(([a], [b]) => a.localeCompare(b)).map(([r, n]) => `${r} has ${n} resource instances`);
    out.NamespaceContentRemaining = { reason: 'SomeResourcesRemain', message: `Some resources are remaining: ${parts.join(', ')}` };
  }
  if (report.finalizers.size) {
    const parts = [...report.finalizers].sort(([a], [b]) => a.localeCompare(b)).map(([f, n]) => `${f} in ${n} resource instances`);
    out.NamespaceFinalizersRemaining = { reason: 'SomeFinalizersRemain', message: `Some content in the namespace has finalizers remaining: ${parts.join(', ')}` };
  }
  return out;
}

/** The namespace's new condition list (other condition types kept); lastTransitionTime moves only when status flips. */
export function deletionConditions(current: readonly NamespaceCondition[], report: DeletionReport, now: string): NamespaceCondition[] {
  const bad = failing(report);
  const next = current.filter((c) => !(conditionTypes as readonly string[]).includes(c.type));
  for (const type of conditionTypes) {
    const f = bad[type];
    const want: NamespaceCondition = f ? { type, status: 'True', ...f } : { type, status: 'False', ...ok[type] };
    const prior = current.find((c) => c.type === type);
    want.lastTransitionTime = prior && prior.status === want.status && prior.lastTransitionTime ? prior.lastTransitionTime : now;
    next.push(want);
  }
  return next;
}
