export * from './arithmetic.js';
export * from './linalg.js';
export * from './reduction.js';
export * from './shape.js';
export * from './activation.js';
export * from './linear.js';
export * from './loss.js';
