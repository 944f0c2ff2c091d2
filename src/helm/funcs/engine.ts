/** Re-exports of the engine's value model for the function library. */
export * from '../engine/index.js';
