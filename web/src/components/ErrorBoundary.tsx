import { Component, type ErrorInfo, type ReactNode } from 'react';

interface Props {
  children: ReactNode;
  /** What failed, for the message ("This page", "The result view"). */
  what?: string;
}

interface State {
  error: Error | null;
}

/** A failed lazy chunk (say, after an upgrade of the server) suggests reloading the page. */
const isChunkError = (error: Error) =>
  /dynamically imported module|Importing a module script failed|Failed to fetch|MIME type|ChunkLoadError/i.test(
    error.message,
  );

/** Shows a failure of the part below it instead of blanking the whole page. */
export class ErrorBoundary extends Component<Props, State> {
  override state: State = { error: null };

  static getDerivedStateFromError(error: Error): State {
    return { error };
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    console.error(error, info.componentStack);
  }

  override render(): ReactNode {
    const { error } = this.state;
    if (!error) return this.props.children;
    const chunk = isChunkError(error);
    return (
      <div className="state state-error" role="alert" data-testid="error-boundary">
        <p>
          <strong>{this.props.what ?? 'This part of the page'} could not be shown</strong>
          {chunk
            ? ': part of the app could not be loaded; perflab may have been updated.'
            : `: ${error.message}`}
        </p>
        <div className="button-row">
          <button type="button" className="button button-small" onClick={() => window.location.reload()}>
            Reload the page
          </button>
          {!chunk && (
            <button
              type="button"
              className="button button-small button-quiet"
              onClick={() => this.setState({ error: null })}
            >
              Try again
            </button>
          )}
        </div>
      </div>
    );
  }
}
