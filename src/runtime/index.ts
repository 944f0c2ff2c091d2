/**
 * controller-runtime for Skiff: work queues, level-triggered controllers, event recording and leader
 * election. Controllers talk to the cluster only through src/client (REST client and informers).
 */
export * from './controller.js';
export * from './events.js';
export * from './leader-election.js';
export * from './workqueue.js';
