/** Whether the page is shown, for work that can wait while it is not (see live/visible-delivery.ts). */
export interface Visibility {
  hidden(): boolean;
  /** Calls `listener` each time the page becomes visible; returns the unsubscribe. */
  onVisible(listener: () => void): () => void;
}

/** A page's `document.visibilityState`; where there is no document (a Worker, Node) always visible. */
export function browserVisibility(): Visibility {
  const doc = (globalThis as { document?: Document }).document;
  if (!doc || typeof doc.addEventListener !== 'function') {
    return { hidden: () => false, onVisible: () => () => undefined };
  }
  return {
    hidden: () => doc.visibilityState === 'hidden',
    onVisible(listener) {
      const handler = () => {
        if (doc.visibilityState !== 'hidden') listener();
      };
      doc.addEventListener('visibilitychange', handler);
      return () => doc.removeEventListener('visibilitychange', handler);
    },
  };
}
