export * from './spans.js';
export * from './tracing-settings.js';
export * from './tracing-sdk.js';
export * from './nats-trace-headers.js';
export * from './jetstream-tracing.js';
export * from './rpc-tracing.js';
export * from './http-tracing.middleware.js';
export * from './tracing-shutdown.js';
