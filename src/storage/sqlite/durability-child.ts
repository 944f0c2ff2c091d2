/**
 * Child process of the durability test: 16 concurrent writers create keys in the SQLite store at
 * argv[2] forever, printing each key only after its create() resolved. The parent SIGKILLs it.
 */
import { fileURLToPath } from 'node:url';
import { openSqliteStorage } from './index.js';

export function durabilityValue(key: string): string {
  return JSON.stringify({ key, padding: 'x'.repeat(256), check: key.length * 7919 });
}

function main(path: string): void {
  const store = openSqliteStorage(path);
  const writers = 16;
  for (let w = 0; w < writers; w++) {
    void (async () => {
      for (let n = 0; ; n++) {
        const key = `/durable/w${w}/${n}`;
        await store.create(key, durabilityValue(key));
        process.stdout.write(`${key}\n`);
      }
    })();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const path = process.argv[2];
  if (!path) throw new Error('usage: durability-child <db path>');
  main(path);
}
