// Generated containerd config.toml and CNI conflist: valid TOML/JSON with the keys containerd 1.6
// and the CNI plugins read, all paths under the instance dir.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { parse } from 'smol-toml';
import { PAUSE_IMAGE, containerdPaths, renderContainerdConfig, writeCniConfig, writeContainerdConfig } from './config.js';
import { CONTAINERD_INSTALL_HINT, checkContainerdPrerequisites } from './prerequisites.js';

const dir = mkdtempSync(join(tmpdir(), 'skiff-ctdcfg-'));
after(() => rmSync(dir, { recursive: true, force: true }));

type Table = Record<string, unknown>;
const table = (t: unknown, ...keys: string[]): Table => keys.reduce<Table>((acc, k) => acc[k] as Table, t as Table);

test('config.toml: own root, state and socket; CRI with pause image, runc cgroupfs, CNI, streaming on a free port', () => {
  const paths = writeContainerdConfig(join(dir, 'c1'));
  const cfg = parse(readFileSync(paths.config, 'utf8'));
  assert.equal(cfg['version'], 2);
  assert.equal(cfg['root'], join(dir, 'c1', 'root'));
  assert.equal(cfg['state'], join(dir, 'c1', 'state'));
  assert.equal(table(cfg, 'grpc')['address'], join(dir, 'c1', 'containerd.sock'));
  const cri = table(cfg, 'plugins', 'io.containerd.grpc.v1.cri');
  assert.equal(cri['sandbox_image'], PAUSE_IMAGE);
  assert.equal(cri['stream_server_address'], '127.0.0.1');
  assert.equal(cri['stream_server_port'], '0');
  assert.equal(cri['restrict_oom_score_adj'], false);
  assert.equal(table(cri, 'cni')['bin_dir'], '/usr/lib/cni');
  assert.equal(table(cri, 'cni')['conf_dir'], join(dir, 'c1', 'cni'));
  assert.equal(table(cri, 'containerd')['snapshotter'], 'overlayfs');
  const runc = table(cri, 'containerd', 'runtimes', 'runc');
  assert.equal(runc['runtime_type'], 'io.containerd.runc.v2');
  assert.equal(table(runc, 'options')['SystemdCgroup'], false);
  assert.equal(table(cri, 'registry')['config_path'], join(dir, 'c1', 'certs.d'));
  assert.ok((cfg['disabled_plugins'] as string[]).includes('io.containerd.snapshotter.v1.btrfs'));
});

test('restrictOomScoreAdj turns on the CRI clamp', () => {
  const cfg = parse(renderContainerdConfig(containerdPaths('/x'), { restrictOomScoreAdj: true }));
  assert.equal(table(cfg, 'plugins', 'io.containerd.grpc.v1.cri')['restrict_oom_score_adj'], true);
});

test('CNI conflist: bridge with host-local over the pod CIDR, then portmap', () => {
  const file = writeCniConfig(join(dir, 'c2'), '10.42.3.0/24', { bridgeName: 'skt0' });
  assert.equal(file, join(dir, 'c2', 'cni', '10-skiff.conflist'));
  const conf = JSON.parse(readFileSync(file, 'utf8'));
  assert.equal(conf.name, 'skiff');
  assert.deepEqual(conf.plugins.map((p: { type: string }) => p.type), ['bridge', 'portmap']);
  const [bridge, portmap] = conf.plugins;
  assert.equal(bridge.bridge, 'skt0');
  assert.equal(bridge.isGateway, true);
  assert.equal(bridge.ipMasq, true);
  assert.equal(bridge.hairpinMode, true);
  assert.deepEqual(bridge.ipam.ranges, [[{ subnet: '10.42.3.0/24' }]]);
  assert.deepEqual(bridge.ipam.routes, [{ dst: '0.0.0.0/0' }]);
  assert.equal(bridge.ipam.dataDir, join(dir, 'c2', 'cni-ipam'));
  assert.deepEqual(portmap.capabilities, { portMappings: true });
  assert.equal(portmap.snat, true);
});

test('prerequisites report what is missing with the apt-get line', () => {
  const r = checkContainerdPrerequisites();
  assert.equal(r.ok, r.missing.length === 0);
  assert.equal(r.hint, CONTAINERD_INSTALL_HINT);
  assert.match(r.hint, /^apt-get install -y containerd runc containernetworking-plugins catatonit iptables$/);
  if (process.getuid?.() !== 0) assert.ok(r.missing.some((m) => m.startsWith('root')));
});
