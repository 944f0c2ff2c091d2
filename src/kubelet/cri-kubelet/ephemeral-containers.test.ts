// The ephemeral container starter with a fake runtime around it (the real containerd run is in
// ephemeral-containers.containerd.test.ts): started once, pid TARGET on the running target, the
// target-not-running wait, never a second start.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { KubeObject } from '../../api/types.js';
import type { ContainerConfig } from '../cri/types.js';
import { startEphemeralContainers } from './ephemeral-containers.js';
import { newPodMemory, type KubeletParts } from './pod-context.js';
import type { ContainerRecord, SandboxRecord } from './runtime-state.js';

const logRoot = mkdtempSync(join(tmpdir(), 'skiff-h12-unit-'));
after(() => rmSync(logRoot, { recursive: true, force: true }));

const sandbox: SandboxRecord = { id: 'sb1', podUid: 'uid1', attempt: 0, ready: true, createdAt: 1, ip: '10.43.12.7' };

function record(name: string, state: ContainerRecord['state'], id = `${name}-id`): ContainerRecord {
  return { id, sandboxId: 'sb1', podUid: 'uid1', name, attempt: 0, state, image: 'busybox', imageRef: 'sha256:1', createdAt: 1 };
}

function fakeParts(containers: ContainerRecord[]) {
  const created: ContainerConfig[] = [];
  const started: string[] = [];
  const events: string[] = [];
  const parts = {
    state: {
      containersOf: (uid: string) => containers.filter((c) => c.podUid === uid),
      recordContainer: async () => undefined,
      relist: async () => {},
    },
    images: { ensure: async () => ({ ok: true, imageRef: 'sha256:busybox', pulled: false }) },
    events: { record: async (_pod: KubeObject, _type: string, reason: string, message: string) => void events.push(`${reason}: ${message}`) },
    getter: { services: async () => [], get: async () => null },
    volumes: { mountsFor: () => [] },
    node: { nodeName: 'n1', hostIP: () => '192.0.2.1', clusterDNS: [], clusterDomain: 'cluster.local', logRoot, allocatable: () => ({}) },
    cri: {
      createContainer: async (sandboxId: string, config: ContainerConfig) => {
        assert.equal(sandboxId, 'sb1');
        created.push(config);
        return `new-${config.metadata.name}`;
      },
      startContainer: async (id: string) => void started.push(id),
    },
  } as unknown as KubeletParts;
  return { parts, created, started, events };
}

function pod(ephemeralContainers: Array<Record<string, unknown>>, ephemeralContainerStatuses?: unknown[]): KubeObject {
  return {
    metadata: { name: 'web', namespace: 'default', uid: 'uid1' },
    spec: { containers: [{ name: 'app', image: 'busybox' }], ephemeralContainers },
    status: ephemeralContainerStatuses ? { ephemeralContainerStatuses } : {},
  };
}

describe('startEphemeralContainers', () => {
  it('starts a new one in the sandbox, in the running target container pid namespace', async () => {
    const f = fakeParts([record('app', 'running', 'app-cid')]);
    const mem = newPodMemory();
    mem.sandboxConfig = { metadata: { name: 'web', uid: 'uid1', namespace: 'default', attempt: 0 } };
    const retry = await startEphemeralContainers(f.parts, pod([{ name: 'dbg', image: 'busybox', targetContainerName: 'app', command: ['sh'], stdin: true, tty: true }]), mem, sandbox, sandbox.ip);
    assert.equal(retry, undefined);
    assert.equal(f.created.length, 1);
    const config = f.created[0]!;
    assert.deepEqual(config.metadata, { name: 'dbg', attempt: 0 });
    assert.equal(config.log_path, 'dbg/0.log');
    assert.equal(config.labels?.['io.kubernetes.container.name'], 'dbg');
    assert.equal(config.stdin, true);
    assert.equal(config.tty, true);
    assert.deepEqual(config.command, ['sh']);
    assert.equal(config.linux?.security_context?.namespace_options?.pid, 'TARGET');
    assert.equal(config.linux?.security_context?.namespace_options?.target_id, 'app-cid');
    assert.deepEqual(f.started, ['new-dbg']);
    assert.equal(mem.waiting.dbg, undefined);
    assert.ok(f.events.includes('Started: Started container dbg'), f.events.join('\n'));
  });

  it('without a target it stays in its own pid namespace', async () => {
    const f = fakeParts([record('app', 'running')]);
    const mem = newPodMemory();
    await startEphemeralContainers(f.parts, pod([{ name: 'dbg', image: 'busybox' }]), mem, sandbox, sandbox.ip);
    assert.equal(f.created[0]?.linux?.security_context?.namespace_options?.pid, 'CONTAINER');
    assert.equal(f.created[0]?.linux?.security_context?.namespace_options?.target_id, undefined);
  });

  it('waits with CreateContainerConfigError while the target is not running, and retries', async () => {
    const f = fakeParts([record('app', 'exited')]);
    const mem = newPodMemory();
    const retry = await startEphemeralContainers(f.parts, pod([{ name: 'dbg', image: 'busybox', targetContainerName: 'app' }]), mem, sandbox, sandbox.ip);
    assert.equal(typeof retry, 'number');
    assert.equal(f.created.length, 0);
    assert.deepEqual(mem.waiting.dbg, { reason: 'CreateContainerConfigError', message: 'unable to find target container app' });
  });

  it('never starts one twice: the runtime knows it, or the API status says it ran', async () => {
    const known = fakeParts([record('app', 'running'), record('dbg', 'exited')]);
    await startEphemeralContainers(known.parts, pod([{ name: 'dbg', image: 'busybox' }]), newPodMemory(), sandbox, sandbox.ip);
    assert.equal(known.created.length, 0);
    const reported = fakeParts([record('app', 'running')]);
    const ran = [{ name: 'dbg', containerID: 'containerd://gone', state: { terminated: { exitCode: 0 } } }];
    await startEphemeralContainers(reported.parts, pod([{ name: 'dbg', image: 'busybox' }, { name: 'dbg2', image: 'busybox' }], ran), newPodMemory(), sandbox, sandbox.ip);
    assert.deepEqual(reported.created.map((c) => c.metadata.name), ['dbg2']);
  });
});
