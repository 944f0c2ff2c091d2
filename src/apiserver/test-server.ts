/**
 * Test support: a real API server on a free loopback port with a temporary data dir, and a REST
 * client holding the admin certificate. Used by the API server's own tests and by other components'
 * integration tests.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RestClient, loadKubeconfig } from '../client/rest.js';
import { startApiServer, type ApiServerHandle, type StorageChoice } from './server.js';

export interface TestServer {
  server: ApiServerHandle;
  client: RestClient;
  dataDir: string;
  stop(): Promise<void>;
}

export async function startTestServer(opts: { storage?: StorageChoice; dataDir?: string; disableOpenAPIV3?: boolean } = {}): Promise<TestServer> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'skiff-test-'));
  const server = await startApiServer({ dataDir, port: 0, storage: opts.storage, quiet: true, disableOpenAPIV3: opts.disableOpenAPIV3 });
  const client = new RestClient(loadKubeconfig(server.kubeconfigPath));
  return {
    server,
    client,
    dataDir,
    async stop() {
      client.close();
      await server.close();
      if (!opts.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
