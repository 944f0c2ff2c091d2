/** The shared NodeRuntime cases (../runtime.case.ts) run against the simulated runtime. */
import { runNodeRuntimeCases } from '../runtime.case.js';
import { defaultCapacity } from './node-objects.js';
import { SimRuntime } from './sim-runtime.js';
import { defaultTimings } from './types.js';

runNodeRuntimeCases('sim', (writer) => new SimRuntime({ writer, capacity: defaultCapacity, timings: { ...defaultTimings, startDelayMs: 50, initDelayMs: 20, deleteDelayMs: 50 } }));
