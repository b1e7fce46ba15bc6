export * from './comparable-object.js';
export * from './compare-objects.js';
export * from './field-diff.js';
export * from './secret-markers.js';
export * from './stable-order.js';
