export * from './arithmetic.js';
export * from './linalg.js';
export * from './reduction.js';
export * from './shape.js';
