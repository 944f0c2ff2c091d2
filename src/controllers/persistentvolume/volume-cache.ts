/**
 * The binder's view of PersistentVolumes: the informer's cache, overlaid with the objects this
 * controller has just written (upstream's storeObjectUpdate). Without the overlay a second claim,
 * synced before the informer saw the first bind, could be bound to the same volume.
 */
import type { Informer } from '../../client/informer.js';
import type { PersistentVolume } from './types.js';

const rvOf = (o: PersistentVolume | undefined): number => Number(o?.metadata?.resourceVersion ?? 0);

export class VolumeCache {
  private readonly written = new Map<string, PersistentVolume>();

  constructor(private readonly informer: Informer) {}

  get(name: string): PersistentVolume | undefined {
    const cached = this.informer.get(name) as PersistentVolume | undefined;
    const mine = this.written.get(name);
    if (!mine) return cached;
    if (!cached || rvOf(cached) >= rvOf(mine)) {
      this.written.delete(name);
      return cached;
    }
    return mine;
  }

  list(): PersistentVolume[] {
    return (this.informer.list() as PersistentVolume[]).map((pv) => this.get(pv.metadata?.name ?? '') ?? pv);
  }

  /** Records a write's result until the informer catches up with it. */
  assume(pv: PersistentVolume): void {
    const name = pv.metadata?.name;
    if (name && rvOf(pv) > rvOf(this.informer.get(name) as PersistentVolume | undefined)) this.written.set(name, pv);
  }

  forget(name: string): void {
    this.written.delete(name);
  }
}
