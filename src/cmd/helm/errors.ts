/** A failed `skiff helm` command: runHelm prints `Error: <message>` and exits 1. */
export class CommandError extends Error {}
