/** Small formatting helpers for the shell and pages; quantities come from src/core/format.ts. */

/** A job's elapsed time, as every duration is written (src/core/format.ts). */
export { formatMs as formatDuration } from '../../../src/core/format.js';

const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });

export function timeAgo(at: number, now = Date.now()): string {
  const seconds = Math.round((at - now) / 1000);
  if (Math.abs(seconds) < 45) return 'just now';
  const minutes = Math.round(seconds / 60);
  if (Math.abs(minutes) < 60) return relative.format(minutes, 'minute');
  const hours = Math.round(minutes / 60);
  if (Math.abs(hours) < 24) return relative.format(hours, 'hour');
  return relative.format(Math.round(hours / 24), 'day');
}

export function clockTime(at: number): string {
  return new Date(at).toLocaleTimeString(undefined, {
    hour: '2-digit',
    minute: '2-digit',
  });
}

export { formatBytes } from '../../../src/core/format.js';

export const isMac =
  typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent);

/** "Ctrl+Enter" or "⌘Enter" for a title, from a CodeMirror-like spec "Mod-Shift-Enter". */
export function shortcutLabel(spec: string): string {
  return spec
    .split('-')
    .map((part) => {
      if (part === 'Mod') return isMac ? '⌘' : 'Ctrl';
      if (part === 'Shift') return isMac ? '⇧' : 'Shift';
      if (part === 'Alt') return isMac ? '⌥' : 'Alt';
      return part;
    })
    .join(isMac ? '' : '+');
}

/** The aria-keyshortcuts value of a spec: both the Control and the Meta form. */
export function ariaShortcut(spec: string): string {
  const rest = spec
    .split('-')
    .filter((p) => p !== 'Mod')
    .join('+');
  return spec.includes('Mod') ? `Control+${rest} Meta+${rest}` : rest;
}
