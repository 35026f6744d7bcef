/** PyTorch exception classes that only nn raises; `name` is the Python class, as in @gd/tensor's errors. */
export class NotImplementedError extends Error {
  override name = 'NotImplementedError';
}
export class AttributeError extends Error {
  override name = 'AttributeError';
}
export class KeyError extends Error {
  override name = 'KeyError';
}
export class AssertionError extends Error {
  override name = 'AssertionError';
}
