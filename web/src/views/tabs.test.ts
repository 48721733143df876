import { describe, expect, it } from 'vitest';
import { tabForKey } from './Tabs';

const tabs = [{ id: 'functions' }, { id: 'flame' }, { id: 'lines' }, { id: 'memory' }];
const from = (selected: string, key: string) => tabForKey(tabs, selected, key)?.id;

describe('tabForKey', () => {
  it('moves with the arrow keys and wraps around at both ends', () => {
    expect(from('flame', 'ArrowRight')).toBe('lines');
    expect(from('flame', 'ArrowLeft')).toBe('functions');
    expect(from('memory', 'ArrowRight')).toBe('functions');
    expect(from('functions', 'ArrowLeft')).toBe('memory');
  });

  it('jumps to the first and last tab with Home and End', () => {
    expect(from('lines', 'Home')).toBe('functions');
    expect(from('flame', 'End')).toBe('memory');
  });

  it('selects nothing for other keys', () => {
    expect(from('flame', 'ArrowDown')).toBeUndefined();
    expect(from('flame', 'Enter')).toBeUndefined();
  });
});
