/** `helm create` (not implemented yet). */
import type { HelmIO } from './io.js';
import { CommandError } from './install.js';

export async function runCreate(_argv: string[], _io: HelmIO): Promise<void> {
  throw new CommandError('helm create is not implemented yet');
}
