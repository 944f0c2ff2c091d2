/**
 * fsGroup ownership (upstream's SetVolumeOwnership in pkg/volume/volume_linux.go): every entry below a
 * volume gets group fsGroup; files gain group read (read-only volumes) or read-write, directories also
 * group execute and setgid so new files inherit the group. Symlinks are chowned but never chmodded
 * (chmod would follow them and widen the target's mode).
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';

const RW_MASK = 0o660;
const RO_MASK = 0o440;
const EXEC_MASK = 0o110;
const SETGID = 0o2000;

/** The permission bits setVolumeOwnership leaves on a regular file that had `mode`. */
export function modeAfterOwnership(mode: number, readOnly: boolean): number {
  return mode | (readOnly ? RO_MASK : RW_MASK);
}

export async function setVolumeOwnership(dir: string, fsGroup: number, readOnly: boolean): Promise<void> {
  const visit = async (p: string): Promise<void> => {
    const st = await fs.lstat(p);
    await fs.lchown(p, st.uid, fsGroup);
    if (st.isSymbolicLink()) return;
    let mask = readOnly ? RO_MASK : RW_MASK;
    if (st.isDirectory()) mask |= SETGID | EXEC_MASK;
    await fs.chmod(p, (st.mode & 0o7777) | mask);
    if (st.isDirectory()) {
      for (const name of await fs.readdir(p)) await visit(path.join(p, name));
    }
  };
  await visit(dir);
}
