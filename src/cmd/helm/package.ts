/** `helm package` (not implemented yet). */
import type { HelmIO } from './io.js';
import { CommandError } from './install.js';

export async function runPackage(_argv: string[], _io: HelmIO): Promise<void> {
  throw new CommandError('helm package is not implemented yet');
}
