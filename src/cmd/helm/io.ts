/** The output streams a `skiff helm` command writes to (process.stdout/stderr, or buffers in tests). */
export interface HelmIO {
  stdout: { write(s: string): unknown };
  stderr: { write(s: string): unknown };
}
