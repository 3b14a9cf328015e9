/**
 * A reporter that hands errors to `onError`, or, when nobody listens, rethrows them
 * asynchronously: they surface as uncaught errors instead of being lost (calsync catches
 * what its listeners throw, and FullCalendar's callbacks ignore their result).
 */
export function errorReporter(onError: ((error: unknown) => void) | undefined): (error: unknown) => void {
  return (error) => {
    if (onError) onError(error);
    else
      queueMicrotask(() => {
        throw error;
      });
  };
}
