/** Page data: load once per key, with loading and error states, and reload on demand. */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ApiError } from './client';

export type Loadable<T> =
  { status: 'loading' } | { status: 'error'; error: ApiError | Error } | { status: 'ready'; data: T };

/** Loads once per key; `reload()` loads again, `set()` replaces the data after a mutation. */
export function useLoad<T>(
  key: string,
  load: (signal: AbortSignal) => Promise<T>,
): [Loadable<T>, { reload: () => void; set: (data: T) => void }] {
  const [state, setState] = useState<Loadable<T>>({ status: 'loading' });
  const [generation, setGeneration] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  useEffect(() => {
    const controller = new AbortController();
    setState({ status: 'loading' });
    loadRef.current(controller.signal).then(
      (data) => {
        if (!controller.signal.aborted) setState({ status: 'ready', data });
      },
      (error: unknown) => {
        if (controller.signal.aborted) return;
        setState({ status: 'error', error: error instanceof Error ? error : new Error(String(error)) });
      },
    );
    return () => controller.abort();
  }, [key, generation]);
  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  const set = useCallback((data: T) => setState({ status: 'ready', data }), []);
  return [state, { reload, set }];
}
