import { describe, expect, it } from 'vitest';
import { matchesShortcut } from './shortcuts';

const press = (
  key: string,
  held: Partial<Record<'metaKey' | 'ctrlKey' | 'shiftKey' | 'altKey', boolean>>,
) => ({
  key,
  metaKey: false,
  ctrlKey: false,
  shiftKey: false,
  altKey: false,
  ...held,
});

describe('matchesShortcut', () => {
  it('reads Mod as Ctrl elsewhere and as Cmd on macOS', () => {
    expect(matchesShortcut('Mod-Enter', press('Enter', { ctrlKey: true }), false)).toBe(true);
    expect(matchesShortcut('Mod-Enter', press('Enter', { metaKey: true }), false)).toBe(false);
    expect(matchesShortcut('Mod-Enter', press('Enter', { metaKey: true }), true)).toBe(true);
    expect(matchesShortcut('Mod-Enter', press('Enter', { ctrlKey: true }), true)).toBe(false);
  });

  it('needs exactly the named modifiers, so Run, Verify and Profile never trigger each other', () => {
    const verify = press('Enter', { ctrlKey: true, shiftKey: true });
    const profile = press('Enter', { ctrlKey: true, altKey: true });
    expect(matchesShortcut('Mod-Shift-Enter', verify, false)).toBe(true);
    expect(matchesShortcut('Mod-Enter', verify, false)).toBe(false);
    expect(matchesShortcut('Mod-Alt-Enter', profile, false)).toBe(true);
    expect(matchesShortcut('Mod-Shift-Enter', profile, false)).toBe(false);
    // Ctrl and Cmd together is neither platform's Mod alone.
    expect(matchesShortcut('Mod-Enter', press('Enter', { ctrlKey: true, metaKey: true }), false)).toBe(false);
  });

  it('needs the named key and the modifier', () => {
    expect(matchesShortcut('Mod-Enter', press('a', { ctrlKey: true }), false)).toBe(false);
    expect(matchesShortcut('Mod-Enter', press('Enter', {}), false)).toBe(false);
  });
});
