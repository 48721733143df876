import { useEffect, useRef, useState } from 'react';
import { isMac } from './format';

export interface Shortcut {
  /** "Mod-Enter", "Mod-Shift-Enter", "Mod-Alt-Enter": Mod is Cmd on macOS and Ctrl elsewhere. */
  spec: string;
  run: () => void;
}

type ModifierKeys = Pick<KeyboardEvent, 'key' | 'metaKey' | 'ctrlKey' | 'shiftKey' | 'altKey'>;

/** Whether a key event is exactly the shortcut: the named modifiers held and no others. */
export function matchesShortcut(spec: string, event: ModifierKeys, mac = isMac): boolean {
  const parts = spec.split('-');
  const key = parts[parts.length - 1];
  const mod = parts.includes('Mod');
  const wantShift = parts.includes('Shift');
  const wantAlt = parts.includes('Alt');
  const modPressed = mac ? event.metaKey : event.ctrlKey;
  const otherMod = mac ? event.ctrlKey : event.metaKey;
  return (
    event.key === key &&
    modPressed === mod &&
    !otherMod &&
    event.shiftKey === wantShift &&
    event.altKey === wantAlt
  );
}

/**
 * Page-wide shortcuts, handled in the capture phase so they win over the editor's own keymap
 * (CodeMirror binds Mod-Enter to "insert blank line").
 */
export function useShortcuts(shortcuts: readonly Shortcut[]): void {
  const latest = useRef(shortcuts);
  latest.current = shortcuts;
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.repeat || event.isComposing) return;
      const hit = latest.current.find((s) => matchesShortcut(s.spec, event));
      if (!hit) return;
      event.preventDefault();
      event.stopPropagation();
      hit.run();
    };
    window.addEventListener('keydown', onKeyDown, true);
    return () => window.removeEventListener('keydown', onKeyDown, true);
  }, []);
}

/** Whether a media query matches, following changes (window resizes, rotation). */
export function useMediaQuery(query: string): boolean {
  const [matches, setMatches] = useState(() => window.matchMedia?.(query).matches ?? true);
  useEffect(() => {
    const list = window.matchMedia?.(query);
    if (!list) return;
    const onChange = () => setMatches(list.matches);
    onChange();
    list.addEventListener('change', onChange);
    return () => list.removeEventListener('change', onChange);
  }, [query]);
  return matches;
}
