import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RestartBackoff, crashLoopBackOffMessage, imagePullBackOffMessage } from './index.js';

function clock(start = 1_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms), set: (ms: number) => (t = ms) };
}

const pod = { metadata: { name: 'web-abc', namespace: 'default', uid: 'u-1' } };

test('crash loop: first restart is immediate, then 10s, 20s, 40s ... capped at 300s', () => {
  const c = clock();
  const b = new RestartBackoff({ now: c.now });
  const key = 'u-1/web';
  const seen: number[] = [];
  let finishedAt = c.now();
  assert.equal(b.inBackoff(key, finishedAt), null, 'never restarted: no back-off');
  for (let i = 0; i < 8; i++) {
    b.next(key, finishedAt);
    c.advance(1000); // the new attempt runs 1 s and exits again
    finishedAt = c.now();
    const wait = b.inBackoff(key, finishedAt);
    assert.ok(wait, `attempt ${i} must be in back-off`);
    seen.push(wait.backoffMs / 1000);
    assert.equal(wait.waitingMs, wait.backoffMs);
    c.advance(wait.backoffMs - 1);
    assert.ok(b.inBackoff(key, finishedAt), 'still waiting 1 ms before the end');
    c.advance(1);
    assert.equal(b.inBackoff(key, finishedAt), null, 'free once the back-off elapsed since the exit');
  }
  assert.deepEqual(seen, [10, 20, 40, 80, 160, 300, 300, 300]);
});

test('the wait is measured from the container exit, not from the restart', () => {
  const c = clock();
  const b = new RestartBackoff({ now: c.now });
  b.next('k', c.now()); // restart now -> 10s
  b.next('k', c.now()); // and again -> 20s
  c.advance(60_000); // the container ran 60 s, then exited
  assert.equal(b.inBackoff('k', c.now())?.waitingMs, 20_000);
  c.advance(5000);
  assert.equal(b.inBackoff('k', c.now() - 5000)?.waitingMs, 15_000);
});

test('10 minutes of clean running resets the back-off to 10s', () => {
  const c = clock();
  const b = new RestartBackoff({ now: c.now });
  for (let i = 0; i < 5; i++) b.next('k', c.now());
  assert.equal(b.currentDelayMs('k'), 160_000);
  c.advance(600_001); // ran cleanly for more than 2 x 300 s after the last restart
  const exitedAt = c.now();
  assert.equal(b.inBackoff('k', exitedAt), null, 'an expired entry does not hold the restart');
  assert.equal(b.next('k', exitedAt), 10_000);
});

test('image pull back-off is measured from the failed pull (last update)', () => {
  const c = clock();
  const b = new RestartBackoff({ now: c.now });
  assert.equal(b.next('u-1/nginx:nope'), 10_000);
  c.advance(4000);
  assert.equal(b.inBackoff('u-1/nginx:nope')?.waitingMs, 6000);
  c.advance(6000);
  assert.equal(b.inBackoff('u-1/nginx:nope'), null);
  assert.equal(b.next('u-1/nginx:nope'), 20_000);
  assert.equal(imagePullBackOffMessage('nginx:nope'), 'Back-off pulling image "nginx:nope"');
});

test('reset and gc drop entries', () => {
  const c = clock();
  const b = new RestartBackoff({ now: c.now });
  b.next('a/x');
  b.next('b/y');
  b.next('c/z');
  b.reset('a/x');
  assert.equal(b.currentDelayMs('a/x'), 0);
  b.gc(['b/y']);
  assert.equal(b.currentDelayMs('c/z'), 0, 'not kept');
  assert.equal(b.currentDelayMs('b/y'), 10_000);
  c.advance(600_001);
  b.gc(['b/y']);
  assert.equal(b.currentDelayMs('b/y'), 0, 'idle past resetAfterMs');
});

test('CrashLoopBackOff message as upstream, durations formatted like Go', () => {
  assert.equal(crashLoopBackOffMessage(20_000, 'web', pod), 'back-off 20s restarting failed container=web pod=web-abc_default(u-1)');
  assert.equal(crashLoopBackOffMessage(80_000, 'web', pod), 'back-off 1m20s restarting failed container=web pod=web-abc_default(u-1)');
  assert.equal(crashLoopBackOffMessage(300_000, 'web', pod), 'back-off 5m0s restarting failed container=web pod=web-abc_default(u-1)');
});
