/**
 * The editor of a page that runs jobs (the exercise workspace, the workbench): which file is
 * open, which version of the files it holds, the theme, and the line heat of the shown job's profile (lib/heat.ts). `editorProps`
 * go to CodeEditor as they are; `editorSection` is the section that holds it.
 */
import { useRef, useState } from 'react';
import type { JobResultView, JobView } from '../api/types';
import type { CodeEditorHandle } from '../components/CodeEditor';
import { resultOf } from '../components/JobResult';
import { useProfileHeat } from '../lib/heat';
import { useTheme } from '../theme';

export function useJobEditor({
  job,
  paths,
  initialPath,
  label,
  heatShown = true,
}: {
  /** The job whose result is shown (its profile gives the heat). */
  job: JobView | null;
  paths: readonly string[];
  initialPath: string | (() => string);
  /** The editor's accessible name. */
  label: string;
  heatShown?: boolean;
}) {
  const { theme } = useTheme();
  const editor = useRef<CodeEditorHandle>(null);
  const editorSection = useRef<HTMLElement>(null);
  const [activePath, setActivePath] = useState(initialPath);
  // The editor owns the text between versions; a new version replaces its files.
  const [version, setVersion] = useState(0);
  const result: JobResultView | null = resultOf(job);
  const { heat, selectFunction } = useProfileHeat({
    result,
    paths,
    activePath,
    editor,
    editorSection,
    enabled: heatShown,
  });
  return {
    result,
    heat,
    selectFunction,
    editorSection,
    activePath,
    setActivePath,
    version,
    /** Hands the editor a new set of files (reset, restore, an upload). */
    newVersion: () => setVersion((v) => v + 1),
    editorProps: { ref: editor, activePath, onActivePathChange: setActivePath, theme, heat, version, label },
  };
}
