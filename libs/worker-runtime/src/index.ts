export * from './for-each-limited.js';
export * from './job-runner.js';
export * from './postpone-run.js';
export * from './run-canceled.js';
export * from './run-progress.js';
export * from './worker.module.js';
