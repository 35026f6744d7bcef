/**
 * gd's errors carry PyTorch's exception class as their `name`, so `err.name === 'RuntimeError'`
 * reads the way a PyTorch user expects, and messages use PyTorch's words.
 */
export class RuntimeError extends Error {
  override name = 'RuntimeError';
}
export class IndexError extends Error {
  override name = 'IndexError';
}
export class ValueError extends Error {
  override name = 'ValueError';
}
export class AssertionError extends Error {
  override name = 'AssertionError';
}
export class GdTypeError extends TypeError {
  override name = 'TypeError';
}
export class KeyError extends Error {
  override name = 'KeyError';
}
export class NotImplementedError extends Error {
  override name = 'NotImplementedError';
}
export class AttributeError extends Error {
  override name = 'AttributeError';
}
