/**
 * Places desired endpoints into EndpointSlices with little churn (upstream reconciler.go, simplified):
 * endpoints stay in the slice that already holds them, new ones fill slices with room before new slices
 * (at most `maxPerSlice` each) are planned; emptied slices are deleted. A Service with no endpoints at
 * all keeps one empty placeholder slice. Pure: returns the plan, the caller writes it.
 */
import { endpointId, groupKey, type AddressType, type EndpointGroup, type SliceEndpoint, type SlicePort } from './desired.js';

export interface ExistingSlice {
  name: string;
  addressType: AddressType;
  ports: SlicePort[];
  endpoints: SliceEndpoint[];
}

export interface SlicePlan {
  create: Array<{ addressType: AddressType; ports: SlicePort[]; endpoints: SliceEndpoint[] }>;
  update: Array<{ name: string; endpoints: SliceEndpoint[] }>;
  unchanged: string[];
  delete: string[];
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);
const byAddress = (a: SliceEndpoint, b: SliceEndpoint): number => a.addresses[0]!.localeCompare(b.addresses[0]!);

export function planSlices(desired: Map<string, EndpointGroup>, existing: readonly ExistingSlice[], maxPerSlice: number, placeholderType: AddressType = 'IPv4'): SlicePlan {
  const plan: SlicePlan = { create: [], update: [], unchanged: [], delete: [] };
  const total = [...desired.values()].reduce((n, g) => n + g.endpoints.length, 0);
  if (total === 0) {
    // One placeholder: keep an existing empty slice if there is one, else reuse or create.
    const keep = existing.find((s) => s.endpoints.length === 0 && s.ports.length === 0) ?? existing[0];
    for (const s of existing) if (s !== keep) plan.delete.push(s.name);
    if (!keep) plan.create.push({ addressType: placeholderType, ports: [], endpoints: [] });
    else if (keep.endpoints.length || keep.ports.length) {
      plan.delete.push(keep.name);
      plan.create.push({ addressType: placeholderType, ports: [], endpoints: [] });
    } else plan.unchanged.push(keep.name);
    return plan;
  }
  const byGroup = new Map<string, ExistingSlice[]>();
  for (const s of [...existing].sort((a, b) => a.name.localeCompare(b.name))) {
    const key = groupKey(s.addressType, s.ports);
    if (!desired.has(key)) {
      plan.delete.push(s.name);
      continue;
    }
    byGroup.set(key, [...(byGroup.get(key) ?? []), s]);
  }
  for (const [key, group] of desired) {
    const wanted = new Map(group.endpoints.map((e) => [endpointId(e), e]));
    const slices = (byGroup.get(key) ?? []).map((s) => {
      const kept: SliceEndpoint[] = [];
      for (const e of s.endpoints) {
        const id = endpointId(e);
        const want = wanted.get(id);
        if (want && kept.length < maxPerSlice) {
          kept.push(want);
          wanted.delete(id);
        }
      }
      return { slice: s, endpoints: kept };
    });
    const rest = [...wanted.values()];
    for (const s of slices) while (rest.length && s.endpoints.length < maxPerSlice) s.endpoints.push(rest.shift()!);
    for (const s of slices) {
      s.endpoints.sort(byAddress);
      if (!s.endpoints.length) plan.delete.push(s.slice.name);
      else if (same(s.endpoints, s.slice.endpoints)) plan.unchanged.push(s.slice.name);
      else plan.update.push({ name: s.slice.name, endpoints: s.endpoints });
    }
    while (rest.length) plan.create.push({ addressType: group.addressType, ports: group.ports, endpoints: rest.splice(0, maxPerSlice).sort(byAddress) });
  }
  return plan;
}
