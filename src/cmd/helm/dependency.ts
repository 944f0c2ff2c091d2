/** `helm dependency` (not implemented yet). */
import type { HelmIO } from './io.js';
import { CommandError } from './install.js';

export async function runDependency(_argv: string[], _io: HelmIO): Promise<void> {
  throw new CommandError('helm dependency is not implemented yet');
}
