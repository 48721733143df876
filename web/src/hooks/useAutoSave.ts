/**
 * The exercise editor's auto-save: edits are saved 800 ms after the last keystroke, sent with
 * `keepalive` when the page goes away, handed to a job start (which saves them itself), and
 * dropped on purpose by reset and restore. A save's answer counts only if no edit came after
 * it (`revision`).
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { api, errorMessage, saveFilesOnUnload } from '../api/client';
import type { ExerciseView } from '../api/types';

const SAVE_DELAY_MS = 800;

export type SaveState =
  | { kind: 'saved'; at: number | null }
  | { kind: 'pending' }
  | { kind: 'saving' }
  | { kind: 'error'; message: string };

export function editableFiles(view: ExerciseView): Record<string, string> {
  return Object.fromEntries(view.files.filter((f) => f.editable).map((f) => [f.path, f.content ?? '']));
}

export interface AutoSave {
  /** The editable files as edited (path → text). */
  contents: Record<string, string>;
  saveState: SaveState;
  /** An edit in the editor: saved after a pause. Stable across renders. */
  edit: (path: string, content: string) => void;
  /**
   * The pending edits go with a job start (the server saves them): the debounced save is
   * dropped; call the answer with whether the start request succeeded.
   */
  handOff: () => { files: Record<string, string>; settle: (sent: boolean) => void };
  /** Drops pending edits and takes the files the server answers (reset, restore); null if it failed. */
  replace: (action: string, request: () => Promise<ExerciseView>) => Promise<ExerciseView | null>;
}

export function useAutoSave(id: string, initial: ExerciseView): AutoSave {
  const [contents, setContents] = useState<Record<string, string>>(() => editableFiles(initial));
  const [saveState, setSaveState] = useState<SaveState>({ kind: 'saved', at: initial.savedAt });
  const contentsRef = useRef(contents);
  contentsRef.current = contents;
  const revision = useRef(0);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);

  const cancelTimer = useCallback(() => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = null;
  }, []);

  const save = useCallback(async () => {
    timer.current = null;
    const rev = revision.current;
    setSaveState({ kind: 'saving' });
    try {
      const { savedAt } = await api.saveFiles(id, contentsRef.current);
      if (revision.current === rev) setSaveState({ kind: 'saved', at: savedAt ?? Date.now() });
    } catch (error) {
      if (revision.current === rev) setSaveState({ kind: 'error', message: errorMessage(error) });
    }
  }, [id]);

  const schedule = useCallback(() => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => void save(), SAVE_DELAY_MS);
  }, [save]);

  const edit = useCallback(
    (path: string, content: string) => {
      revision.current += 1;
      setContents((prev) => ({ ...prev, [path]: content }));
      contentsRef.current = { ...contentsRef.current, [path]: content };
      setSaveState({ kind: 'pending' });
      schedule();
    },
    [schedule],
  );

  // Unsaved edits are sent when the page goes away.
  useEffect(() => {
    const flush = () => {
      if (timer.current) {
        cancelTimer();
        saveFilesOnUnload(id, contentsRef.current);
      }
    };
    window.addEventListener('pagehide', flush);
    return () => {
      window.removeEventListener('pagehide', flush);
      flush();
    };
  }, [id, cancelTimer]);

  const handOff = () => {
    cancelTimer();
    const rev = revision.current;
    return {
      files: contentsRef.current,
      settle: (sent: boolean) => {
        if (sent) {
          if (revision.current === rev) setSaveState({ kind: 'saved', at: Date.now() });
          return;
        }
        if (revision.current === rev) setSaveState({ kind: 'pending' });
        schedule();
      },
    };
  };

  const replace = async (action: string, request: () => Promise<ExerciseView>) => {
    cancelTimer();
    revision.current += 1;
    try {
      const fresh = await request();
      setContents(editableFiles(fresh));
      contentsRef.current = editableFiles(fresh);
      setSaveState({ kind: 'saved', at: fresh.savedAt });
      return fresh;
    } catch (error) {
      setSaveState({ kind: 'error', message: `${action} failed: ${errorMessage(error)}` });
      return null;
    }
  };

  return { contents, saveState, edit, handOff, replace };
}
