/** Python's KeyError, raised when a resumed scheduler finds no `initialLr` in a group. */
export class KeyError extends Error {
  override name = 'KeyError';
}
