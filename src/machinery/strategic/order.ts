/**
 * List ordering after a strategic merge, as upstream's normalizeElementOrder: items named by the
 * patch (or by `$setElementOrder`) follow the patch's order, items only on the server keep the live
 * order, and the two are interleaved so both relative orders hold, server order breaking ties.
 */

export type JsonMap = Record<string, unknown>;

/** Identity of a list item: its merge-key value for lists of maps, the value itself for scalars. */
function identity(item: unknown, mergeKey: string | undefined): unknown {
  return mergeKey && item !== null && typeof item === 'object' ? (item as JsonMap)[mergeKey] : item;
}

export function sameItem(a: unknown, b: unknown, mergeKey: string | undefined): boolean {
  return identity(a, mergeKey) === identity(b, mergeKey);
}

export function indexIn(list: unknown[], item: unknown, mergeKey: string | undefined): number {
  const id = identity(item, mergeKey);
  return list.findIndex((x) => identity(x, mergeKey) === id);
}

/** Splits `items` into those also present in `order` and the rest, both in their current order. */
export function partitionByPresence(items: unknown[], order: unknown[], mergeKey: string | undefined): [unknown[], unknown[]] {
  const present: unknown[] = [];
  const absent: unknown[] = [];
  for (const item of items) (indexIn(order, item, mergeKey) >= 0 ? present : absent).push(item);
  return [present, absent];
}

/** Items found in `order` sorted by it (stable), the others appended in their current order. */
function sortBy(items: unknown[], order: unknown[], mergeKey: string | undefined): unknown[] {
  const [found, rest] = partitionByPresence(items, order, mergeKey);
  const ranked = found.map((item, i) => ({ item, i, rank: indexIn(order, item, mergeKey) }));
  ranked.sort((a, b) => a.rank - b.rank || a.i - b.i);
  return [...ranked.map((r) => r.item), ...rest];
}

/**
 * Interleaves `serverOnly` into `patchItems`: a server-only item goes before the first patch item it
 * precedes in the live list; otherwise patch items come first.
 */
function interleave(serverOnly: unknown[], patchItems: unknown[], serverOrder: unknown[], mergeKey: string | undefined): unknown[] {
  const out: unknown[] = [];
  let i = 0;
  let j = 0;
  while (i < serverOnly.length || j < patchItems.length) {
    if (i >= serverOnly.length) out.push(patchItems[j++]);
    else if (j >= patchItems.length) out.push(serverOnly[i++]);
    else {
      const li = indexIn(serverOrder, serverOnly[i], mergeKey);
      const ri = indexIn(serverOrder, patchItems[j], mergeKey);
      if (li >= 0 && ri >= 0 && li < ri) out.push(serverOnly[i++]);
      else out.push(patchItems[j++]);
    }
  }
  return out;
}

/** Orders a merged list: patch items by `patchOrder`, server-only ones by `serverOrder`, interleaved. */
export function normalizeOrder(merged: unknown[], patchOrder: unknown[], serverOrder: unknown[], mergeKey: string | undefined): unknown[] {
  const [patchItems, serverOnly] = partitionByPresence(merged, patchOrder, mergeKey);
  return interleave(sortBy(serverOnly, serverOrder, mergeKey), sortBy(patchItems, patchOrder, mergeKey), serverOrder, mergeKey);
}
