/**
 * Expectations (upstream controller.ControllerExpectations, by name): the slices a sync created or
 * deleted per Service, so the next sync waits until the informer has observed them instead of acting
 * on a stale cache and creating duplicates. Expectations lapse after `timeoutMs`.
 */
/** Whether resourceVersion `seen` is at least `wanted` (numeric when both are, else equality). */
function atLeast(seen: string | undefined, wanted: string): boolean {
  if (seen === undefined) return false;
  return /^\d+$/.test(seen) && /^\d+$/.test(wanted) ? BigInt(seen) >= BigInt(wanted) : seen === wanted;
}

export class SliceExpectations {
  private readonly pending = new Map<string, { creates: Set<string>; deletes: Set<string>; updates: Map<string, string>; since: number }>();

  constructor(private readonly timeoutMs = 10_000) {}

  /** `updates`: slice name -> resourceVersion our update produced. */
  expect(service: string, creates: string[], deletes: string[], updates: ReadonlyMap<string, string> = new Map()): void {
    if (!creates.length && !deletes.length && !updates.size) return;
    const p = this.pending.get(service) ?? { creates: new Set<string>(), deletes: new Set<string>(), updates: new Map<string, string>(), since: Date.now() };
    creates.forEach((n) => p.creates.add(n));
    updates.forEach((rv, n) => p.updates.set(n, rv));
    deletes.forEach((n) => p.deletes.add(n));
    p.since = Date.now();
    this.pending.set(service, p);
  }

  /** Whether the cache (the service's slices it holds: name -> resourceVersion) has caught up with our writes. */
  satisfied(service: string, cached: ReadonlyMap<string, string | undefined>): boolean {
    const p = this.pending.get(service);
    if (!p) return true;
    const done =
      [...p.creates].every((n) => cached.has(n)) &&
      [...p.deletes].every((n) => !cached.has(n)) &&
      [...p.updates].every(([n, rv]) => !cached.has(n) || atLeast(cached.get(n), rv));
    if (done || Date.now() - p.since > this.timeoutMs) {
      this.pending.delete(service);
      return true;
    }
    return false;
  }

  forget(service: string): void {
    this.pending.delete(service);
  }
}
