/**
 * Images Skiff builds locally (no registry on the internet is needed): the pause image every pod
 * sandbox runs, and one busybox image test workloads run with different commands (web server,
 * crasher, sleeper, memory hog). Input: an output tar path; output: an OCI layout tar.
 */
import { existsSync } from 'node:fs';
import { PAUSE_IMAGE } from '../containerd/config.js';
import { buildOciImage, type BuiltOciImage } from './oci-builder.js';

export const TEST_BUSYBOX_IMAGE = 'skiff.local/busybox:1';
export { PAUSE_IMAGE };

const CATATONIT_PATHS = ['/usr/bin/catatonit', '/usr/libexec/catatonit/catatonit', '/usr/local/bin/catatonit'];
const BUSYBOX_PATHS = ['/bin/busybox', '/usr/bin/busybox'];

function firstExisting(paths: string[], what: string, pkg: string): string {
  const found = paths.find((p) => existsSync(p));
  if (!found) throw new Error(`${what} not found (looked in ${paths.join(', ')}); install it: apt-get install -y ${pkg}`);
  return found;
}

/** Static catatonit as /pause in pause mode (`catatonit -P` just waits, reaping zombies). */
export function buildPauseImage(out: string, name: string = PAUSE_IMAGE): Promise<BuiltOciImage> {
  const catatonit = firstExisting(CATATONIT_PATHS, 'static catatonit', 'catatonit');
  return buildOciImage(
    {
      name,
      files: [{ imagePath: '/pause', hostPath: catatonit, mode: 0o755 }],
      config: { Entrypoint: ['/pause', '-P'], User: '0' },
    },
    out,
  );
}

/** Applets linked into /bin (kubectl cp needs tar; probes and tests use the rest). */
export const BUSYBOX_APPLETS = [
  'sh', 'httpd', 'sleep', 'cat', 'ls', 'echo', 'env', 'id', 'wget', 'nc', 'tar', 'mkdir', 'rm', 'date', 'ps',
  'kill', 'head', 'tail', 'dd', 'yes', 'true', 'false', 'grep', 'hostname', 'touch', 'test', 'printf', 'seq',
  'sed', 'wc', 'cp', 'mv', 'chmod', 'stat', 'uname', 'whoami', 'nslookup', 'ping', 'top', 'free', 'mount',
];

/** busybox-static at /bin/busybox with applet symlinks, /tmp, /www, /etc/passwd and /etc/group. */
export function buildBusyboxImage(out: string, name: string = TEST_BUSYBOX_IMAGE): Promise<BuiltOciImage> {
  const busybox = firstExisting(BUSYBOX_PATHS, 'busybox (static)', 'busybox-static');
  return buildOciImage(
    {
      name,
      files: [
        { imagePath: '/bin/busybox', hostPath: busybox, mode: 0o755 },
        { imagePath: '/etc/passwd', content: 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' },
        { imagePath: '/etc/group', content: 'root:x:0:\nnogroup:x:65534:\n' },
        { imagePath: '/www/index.html', content: 'skiff busybox\n' },
      ],
      directories: [
        { imagePath: '/tmp', mode: 0o1777 },
        { imagePath: '/root', mode: 0o700 },
        { imagePath: '/proc' },
        { imagePath: '/sys' },
        { imagePath: '/dev' },
        { imagePath: '/etc' },
      ],
      symlinks: BUSYBOX_APPLETS.map((a) => ({ imagePath: `/bin/${a}`, target: 'busybox' })),
      config: {
        Cmd: ['sh'],
        Env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'],
        WorkingDir: '/',
      },
    },
    out,
  );
}

/** Commands for the test workloads, all run with TEST_BUSYBOX_IMAGE. */
export const TEST_WORKLOADS = {
  /** Serves /www (index.html: "skiff busybox") on port 8080. */
  web: ['httpd', '-f', '-p', '8080', '-h', '/www'],
  crasher: ['sh', '-c', 'echo crashing; exit 1'],
  sleeper: ['sleep', '3600'],
  /**
   * Allocates and touches a 512 MiB buffer as the main process (busybox dd reads /dev/zero into
   * it): under a smaller memory limit it ends OOMKilled, exit code 137 (checked on this host).
   */
  memoryHog: ['dd', 'if=/dev/zero', 'of=/dev/null', 'bs=512M', 'count=1'],
} as const;
