/** The notes around the exercise editor: whether the code is saved, and the profile's line heat. */
import type { ProfileResultView } from '../../api/types';
import type { SaveState } from '../../hooks/useAutoSave';
import { clockTime } from '../../lib/format';

export function SaveIndicator({ state }: { state: SaveState }) {
  const text =
    state.kind === 'saved'
      ? state.at
        ? `Saved ${clockTime(state.at)}`
        : 'Starter code'
      : state.kind === 'pending'
        ? 'Edited'
        : state.kind === 'saving'
          ? 'Saving…'
          : `Save failed: ${state.message}`;
  return (
    <span
      className={`save-state save-${state.kind}`}
      data-testid="save-state"
      data-state={state.kind}
      role="status"
      aria-live="polite"
    >
      {text}
    </span>
  );
}

/** Says where the editor's line heat comes from, with Hide; or Show, when hidden. */
export function HeatLegend({
  shown,
  hasHeat,
  profile,
  onShow,
}: {
  shown: boolean;
  /** The editor shows heat on some file. */
  hasHeat: boolean;
  profile: ProfileResultView | null;
  onShow: (shown: boolean) => void;
}) {
  if (hasHeat)
    return (
      <p className="heat-legend small">
        <span className="heat-swatch" aria-hidden="true" /> Line heat from the profile: time spent on each
        line of your hottest functions.{' '}
        <button type="button" className="link-button" onClick={() => onShow(false)}>
          Hide
        </button>
      </p>
    );
  if (shown || !profile?.lines) return null;
  return (
    <p className="heat-legend small">
      <button type="button" className="link-button" onClick={() => onShow(true)}>
        Show line heat from the profile
      </button>
    </p>
  );
}
