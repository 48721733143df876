import type { ReactNode } from 'react';
import { ApiError, errorMessage } from '../api/client';
import type { Loadable } from '../api/load';
import { NotFound } from '../pages/NotFound';

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <p className="state state-loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" /> {label}
    </p>
  );
}

export function ErrorMessage({
  error,
  title,
  retry,
}: {
  error: unknown;
  title?: string;
  retry?: () => void;
}) {
  const status = error instanceof ApiError && error.status > 0 ? ` (${error.status})` : '';
  return (
    <div className="state state-error" role="alert">
      <p>
        <strong>{title ?? 'Something went wrong'}</strong>
        {status}: {errorMessage(error)}
      </p>
      {retry && (
        <button type="button" className="button" onClick={retry}>
          Try again
        </button>
      )}
    </div>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <p className="state state-empty">{children}</p>;
}

export const isNotFound = (error: unknown) => error instanceof ApiError && error.status === 404;

/**
 * A page's data once loaded: a spinner while loading, a not-found page for a 404, else the
 * error with Try again. `what` names the thing ("lesson"), `className` the error's page frame.
 */
export function Loaded<T>({
  state,
  what,
  id,
  reload,
  className,
  children,
}: {
  state: Loadable<T>;
  what: string;
  id: string;
  reload: () => void;
  className: string;
  children: (data: T) => ReactNode;
}) {
  if (state.status === 'loading') return <Loading label={`Loading the ${what}…`} />;
  if (state.status === 'ready') return children(state.data);
  if (isNotFound(state.error)) return <NotFound what={`There is no ${what} "${id}".`} />;
  return (
    <section className={className}>
      <ErrorMessage error={state.error} title={`The ${what} could not be loaded`} retry={reload} />
    </section>
  );
}
