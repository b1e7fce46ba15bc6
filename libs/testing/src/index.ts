export * from './test-run.js';
export * from './test-database.js';
export * from './test-nats.js';
export * from './wait-for.js';
export * from './service-process.js';
export * from './stack.js';
