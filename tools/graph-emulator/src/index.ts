export { startGraphEmulator, type RunningGraphEmulator } from './server.js';
export { EmulatorAdmin, EmulatorState, type GraphEmulatorOptions } from './emulator-state.js';
export type { FaultConfig } from './behaviour/faults.js';
export type { JournalEntry, JournalKind, JournalQuery, RequestJournal } from './behaviour/journal.js';
export { INTUNE_LIMITS, type ThrottleLimits } from './behaviour/throttle.js';
export { generateDemoPolicies, type SeedOptions } from './seed/demo-policies.js';
export { loadExportDirectory, policyTypeForODataType } from './seed/export-loader.js';
