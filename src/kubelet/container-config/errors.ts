/**
 * The error a pod's container configuration cannot be built with (a missing ConfigMap, Secret or
 * key, an unsupported fieldRef...). The pod worker shows its message as the container's waiting
 * reason CreateContainerConfigError, so messages read as upstream's kubelet words them.
 */
export class ContainerConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ContainerConfigError';
  }
}
