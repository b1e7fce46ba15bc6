export * from './metrics-registry.js';
export * from './platform.metrics.js';
export * from './http-metrics.middleware.js';
export * from './metrics.module.js';
