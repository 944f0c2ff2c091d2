/** `helm repo` (not implemented yet). */
import type { HelmIO } from './io.js';
import { CommandError } from './install.js';

export async function runRepo(_argv: string[], _io: HelmIO): Promise<void> {
  throw new CommandError('helm repo is not implemented yet');
}
