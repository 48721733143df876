import { useId, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';

export interface TabSpec {
  id: string;
  label: string;
  content: ReactNode;
}

/** The tab a key selects: arrows move and wrap around, Home and End jump; other keys none. */
export function tabForKey<T extends { id: string }>(
  tabs: readonly T[],
  selected: string,
  key: string,
): T | undefined {
  const index = tabs.findIndex((t) => t.id === selected);
  switch (key) {
    case 'ArrowRight':
      return tabs[(index + 1) % tabs.length];
    case 'ArrowLeft':
      return tabs[(index - 1 + tabs.length) % tabs.length];
    case 'Home':
      return tabs[0];
    case 'End':
      return tabs[tabs.length - 1];
    default:
      return undefined;
  }
}

/**
 * WAI-ARIA tabs with automatic activation. Inactive panels stay mounted (hidden), so their
 * state — sort order, zoom — survives switching tabs.
 */
export function Tabs({ tabs, label }: { tabs: readonly TabSpec[]; label: string }) {
  const baseId = useId();
  const [selected, setSelected] = useState(tabs[0]?.id ?? '');
  const buttons = useRef(new Map<string, HTMLButtonElement>());

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const target = tabForKey(tabs, selected, event.key);
    if (!target) return;
    event.preventDefault();
    setSelected(target.id);
    buttons.current.get(target.id)?.focus();
  };

  return (
    <div className="pv-tabs">
      <div role="tablist" aria-label={label} className="pv-tablist" onKeyDown={onKeyDown}>
        {tabs.map((tab) => (
          <button
            key={tab.id}
            ref={(element) => {
              if (element) buttons.current.set(tab.id, element);
            }}
            id={`${baseId}-tab-${tab.id}`}
            type="button"
            role="tab"
            aria-selected={tab.id === selected}
            aria-controls={`${baseId}-panel-${tab.id}`}
            tabIndex={tab.id === selected ? 0 : -1}
            className="pv-tab"
            onClick={() => setSelected(tab.id)}
          >
            {tab.label}
          </button>
        ))}
      </div>
      {tabs.map((tab) => (
        <div
          key={tab.id}
          id={`${baseId}-panel-${tab.id}`}
          role="tabpanel"
          aria-labelledby={`${baseId}-tab-${tab.id}`}
          hidden={tab.id !== selected}
          className="pv-tabpanel"
        >
          {tab.content}
        </div>
      ))}
    </div>
  );
}
