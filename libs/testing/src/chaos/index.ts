export { runChaos, type ChaosReport } from './chaos-harness.js';
export { CHAOS_DEFAULTS, chaosOptionsFrom, type ChaosOptions } from './chaos-options.js';
export type { ChaosCheck } from './chaos-checks.js';
