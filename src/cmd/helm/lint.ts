/** `helm lint` (not implemented yet). */
import type { HelmIO } from './io.js';
import { CommandError } from './install.js';

export async function runLint(_argv: string[], _io: HelmIO): Promise<void> {
  throw new CommandError('helm lint is not implemented yet');
}
