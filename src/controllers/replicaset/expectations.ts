/**
 * Controller expectations (upstream ControllerExpectations + UIDTrackingExpectations): how many
 * creates and which deletes a controller issued per owner, so it does not act again until its
 * informer has observed them. Expectations expire after a timeout so a lost event cannot wedge an owner.
 */
export const EXPECTATIONS_TIMEOUT_MS = 5 * 60_000;

interface Expectation {
  adds: number;
  deletes: Set<string>;
  at: number;
}

export class Expectations {
  private readonly byOwner = new Map<string, Expectation>();

  constructor(
    private readonly timeoutMs = EXPECTATIONS_TIMEOUT_MS,
    private readonly clock: () => number = Date.now,
  ) {}

  /** True when the owner may sync: nothing pending, or what was pending expired. */
  satisfied(ownerKey: string): boolean {
    const e = this.byOwner.get(ownerKey);
    if (!e) return true;
    if (e.adds <= 0 && e.deletes.size === 0) return true;
    return this.clock() - e.at > this.timeoutMs;
  }

  expectCreations(ownerKey: string, count: number): void {
    this.byOwner.set(ownerKey, { adds: count, deletes: new Set(), at: this.clock() });
  }

  expectDeletions(ownerKey: string, podKeys: string[]): void {
    this.byOwner.set(ownerKey, { adds: 0, deletes: new Set(podKeys), at: this.clock() });
  }

  creationObserved(ownerKey: string): void {
    const e = this.byOwner.get(ownerKey);
    if (e && e.adds > 0) e.adds--;
  }

  deletionObserved(ownerKey: string, podKey: string): void {
    this.byOwner.get(ownerKey)?.deletes.delete(podKey);
  }

  delete(ownerKey: string): void {
    this.byOwner.delete(ownerKey);
  }

  pending(ownerKey: string): { adds: number; deletes: number } | undefined {
    const e = this.byOwner.get(ownerKey);
    return e && { adds: e.adds, deletes: e.deletes.size };
  }
}
