import type { ReactNode } from 'react';
import { ApiError, errorMessage } from '../api';

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
