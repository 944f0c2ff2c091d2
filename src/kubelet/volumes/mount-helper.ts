/**
 * mount(8)/umount(8) run by one long-lived shell instead of one child process of the kubelet each.
 *
 * Spawning a child copies the (large) kubelet process's page tables and blocks its event loop for
 * milliseconds per spawn; a pod start needs one tmpfs mount (its service-account token volume), so a
 * burst of pod starts paid that once per pod. Here a small `/bin/sh` started once reads one command
 * per line and runs it, answering with its exit status; the shell is cheap to fork from.
 *
 * Input: argv of the command (`['mount', '-t', 'tmpfs', ...]`). Output: resolves when it exits 0;
 * rejects with its merged output otherwise, as execFile would. Commands run one at a time, in order.
 * An argument with a newline or NUL runs as its own child process instead; commands pending when the
 * shell dies fail (a new shell starts with the next command).
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';

const runDirect = promisify(execFile);
const DONE = '__skiff_mount_helper_done__';

interface Pending {
  resolve: () => void;
  reject: (err: Error) => void;
  argv: string[];
}

const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

interface Shell {
  child: ChildProcess;
  queue: Pending[];
  output: string;
}

const setRef = (stream: unknown, on: boolean) => (stream as { ref?: () => void; unref?: () => void } | null)?.[on ? 'ref' : 'unref']?.();

export class MountHelper {
  private current?: Shell;

  /** Runs argv (e.g. mount ...) in the helper shell; rejects with its output when it fails. */
  run(argv: string[]): Promise<void> {
    if (argv.some((a) => /[\n\0]/.test(a))) return runDirect(argv[0]!, argv.slice(1)).then(() => undefined);
    return new Promise<void>((resolve, reject) => {
      const shell = this.shell();
      shell.queue.push({ resolve, reject, argv });
      // Keeps this process alive while an answer is due (the idle shell does not).
      setRef(shell.child.stdout, true);
      shell.child.stdin!.write(`${argv.map(shellQuote).join(' ')} </dev/null 2>&1; echo "${DONE} $?"\n`);
    });
  }

  /** Ends the helper shell once it has answered what it was given (it also ends with this process). */
  close(): void {
    this.current?.child.stdin?.end();
    this.current = undefined;
  }

  private shell(): Shell {
    if (this.current) return this.current;
    const child = spawn('/bin/sh', ['-c', 'while IFS= read -r line; do eval "$line"; done'], { stdio: ['pipe', 'pipe', 'ignore'] });
    const shell: Shell = { child, queue: [], output: '' };
    child.unref();
    setRef(child.stdin, false);
    setRef(child.stdout, false);
    child.stdout!.setEncoding('utf8');
    child.stdout!.on('data', (d: string) => this.onOutput(shell, d));
    child.stdin!.on('error', () => {});
    const gone = () => {
      if (this.current === shell) this.current = undefined;
      // Commands the shell never answered may or may not have run: they fail (callers retry after checking).
      for (const p of shell.queue.splice(0)) p.reject(new Error(`Command failed: ${p.argv.join(' ')}: the mount helper shell exited`));
    };
    child.on('exit', gone);
    child.on('error', gone);
    this.current = shell;
    return shell;
  }

  private onOutput(shell: Shell, data: string): void {
    shell.output += data;
    for (;;) {
      const at = shell.output.indexOf(DONE);
      if (at < 0) return;
      const eol = shell.output.indexOf('\n', at);
      if (eol < 0) return;
      const code = Number(shell.output.slice(at + DONE.length, eol).trim());
      const text = shell.output.slice(0, at).trim();
      shell.output = shell.output.slice(eol + 1);
      const p = shell.queue.shift();
      if (!shell.queue.length) setRef(shell.child.stdout, false);
      if (!p) continue;
      if (code === 0) p.resolve();
      else p.reject(Object.assign(new Error(`Command failed: ${p.argv.join(' ')}\n${text}`), { code, stderr: text }));
    }
  }
}

/** The process-wide helper the volume manager's mounts go through. */
export const mountHelper = new MountHelper();
