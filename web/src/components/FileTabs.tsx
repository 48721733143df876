import type { ReactNode } from 'react';

export interface EditorFile {
  path: string;
  /** null: binary, shown as a download link instead. */
  content: string | null;
  editable: boolean;
  kind: 'code' | 'data';
  sizeBytes?: number;
  /** Where a data file can be downloaded. */
  downloadUrl?: string;
}

/**
 * The editor's file tabs (WAI-ARIA tabs: arrow keys move between files), a read-only or data
 * flag on files the learner cannot edit, and room at the end for the page's own controls.
 */
export function FileTabs({
  files,
  activePath,
  onActivePathChange,
  end,
}: {
  files: readonly EditorFile[];
  activePath: string;
  onActivePathChange: (path: string) => void;
  end?: ReactNode;
}) {
  return (
    <div className="file-tabs-bar">
      <div className="file-tabs" role="tablist" aria-label="Files">
        {files.map((file) => {
          const selected = file.path === activePath;
          return (
            <button
              key={file.path}
              type="button"
              role="tab"
              id={`tab-${file.path}`}
              aria-selected={selected}
              aria-controls="editor-panel"
              tabIndex={selected ? 0 : -1}
              className={`file-tab${selected ? ' is-active' : ''}`}
              data-testid="file-tab"
              data-path={file.path}
              onClick={() => onActivePathChange(file.path)}
              onKeyDown={(event) => {
                const index = files.indexOf(file);
                const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
                if (step === 0) return;
                event.preventDefault();
                const next = files[(index + step + files.length) % files.length];
                if (next) {
                  onActivePathChange(next.path);
                  document.getElementById(`tab-${next.path}`)?.focus();
                }
              }}
            >
              {file.path}
              {!file.editable && (
                <span className="file-tab-flag">{file.kind === 'data' ? 'data' : 'read-only'}</span>
              )}
            </button>
          );
        })}
      </div>
      {end && <div className="file-tabs-end">{end}</div>}
    </div>
  );
}
