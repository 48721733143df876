/**
 * Time and keys for the timed drill sessions (quick-fire round, mock interview): each part's
 * countdown, which part is current, the page's single-key shortcuts, and which session a page
 * resumes after a reload or a visit to the exercise workspace.
 *
 * Units: `...AtMs` ms since the epoch, `...Ms` durations in ms, `...Sec` seconds.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { useSearch } from 'wouter';
import type { SessionItem, SessionView } from '../../api/drills';

/** "7:59", "0:05": whole seconds left, rounded up (so "0:00" only once time is really up). */
export function formatCountdown(remainingMs: number): string {
  const seconds = Math.max(0, Math.ceil(remainingMs / 1000));
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}

/** "8 min", "45 s", "1 min 30 s": whole seconds in words (a time limit, the time taken). */
export function formatLimit(seconds: number): string {
  const minutes = Math.floor(seconds / 60);
  const rest = seconds % 60;
  if (minutes === 0) return `${rest} s`;
  return rest === 0 ? `${minutes} min` : `${minutes} min ${rest} s`;
}

/**
 * When a started part's time is up, on this browser's clock. The server stamps `startedAtMs`
 * with its own clock; `skewMs` (server minus browser, measured when the part was started)
 * moves that onto ours, so a browser whose clock is off still counts down the right time.
 */
export function partDeadlineMs(item: SessionItem, skewMs = 0): number | null {
  if (item.startedAtMs === null) return null;
  return item.startedAtMs + item.timeLimitSec * 1000 - skewMs;
}

/** The part to work on: the first one not answered yet; null when every part is answered. */
export function currentPartIndex(session: SessionView): number | null {
  const item = session.items.find((i) => i.answeredAtMs === null);
  return item ? item.index : null;
}

/** Whether the server has revealed a part's answer (after it was answered or its time ran out). */
export const isRevealed = (item: SessionItem) => item.answer !== null;

/** 0..1 → "67 %" (with a no-break space, so the number and its sign never wrap apart). */
export const formatScore = (score: number) => `${Math.round(score * 100)}\u00a0%`;

/**
 * Milliseconds left until `deadlineMs` (browser clock), refreshed four times a second; calls
 * `onExpire` once when it reaches zero (also when the deadline has already passed on mount).
 * null deadline: not counting (0 returned).
 */
export function useCountdown(deadlineMs: number | null, onExpire?: () => void): number {
  const [nowMs, setNowMs] = useState(() => Date.now());
  const expire = useRef(onExpire);
  expire.current = onExpire;
  useEffect(() => {
    if (deadlineMs === null) return;
    let fired = false;
    const tick = () => {
      const now = Date.now();
      setNowMs(now);
      if (!fired && now >= deadlineMs) {
        fired = true;
        window.clearInterval(timer);
        expire.current?.();
      }
    };
    const timer = window.setInterval(tick, 250);
    tick();
    return () => window.clearInterval(timer);
  }, [deadlineMs]);
  return deadlineMs === null ? 0 : Math.max(0, deadlineMs - nowMs);
}

/** Where typing goes: single-key shortcuts stay out of the way there. */
function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

/**
 * Single-key shortcuts ("1".."4", " " for Space) while `enabled`. Never while typing in a
 * field or with a modifier held; Space is left to a focused button, link or summary, whose
 * own activation it is.
 */
export function useKeys(keys: Record<string, () => void>, enabled = true): void {
  const latest = useRef(keys);
  latest.current = keys;
  useEffect(() => {
    if (!enabled) return;
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.repeat || event.isComposing || event.ctrlKey || event.metaKey || event.altKey) return;
      if (isTyping(event.target)) return;
      if (event.key === ' ' && event.target instanceof Element && event.target.closest('button, a, summary'))
        return;
      const run = latest.current[event.key];
      if (!run) return;
      event.preventDefault();
      run();
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [enabled]);
}

/**
 * The session this page shows: the address's `?session=`, else the one remembered as running.
 * `onStale` (remembered ones only) forgets it, for when the server no longer knows it: the page
 * then offers a new session instead of a not-found page.
 */
export function useSessionId(kind: SessionView['kind']): { id: string | null; onStale?: () => void } {
  const fromAddress = new URLSearchParams(useSearch()).get('session');
  const [stored, setStored] = useState(() => runningSession.get(kind));
  const forget = useCallback(() => {
    runningSession.set(kind, null);
    setStored(null);
  }, [kind]);
  return fromAddress ? { id: fromAddress } : { id: stored, onStale: forget };
}

/**
 * The session a page is running, kept in localStorage so a reload, or the trip to the exercise
 * workspace during a mock interview, comes back to it. Storage may be unavailable (private
 * mode): then nothing is remembered.
 */
export const runningSession = {
  get(kind: SessionView['kind']): string | null {
    try {
      return localStorage.getItem(`perflab.drills.running.${kind}`);
    } catch {
      return null;
    }
  },
  set(kind: SessionView['kind'], id: string | null): void {
    try {
      const key = `perflab.drills.running.${kind}`;
      if (id === null) localStorage.removeItem(key);
      else localStorage.setItem(key, id);
    } catch {
      // Not remembered: the learner starts a new session after a reload.
    }
  },
};
