import type { FunctionRef } from './profile-types';

/** The button that takes the editor to a learner function's definition. */
export function ShowInEditor({
  fn,
  onSelectFunction,
}: {
  fn: FunctionRef;
  onSelectFunction: (fn: FunctionRef) => void;
}) {
  return (
    <button
      type="button"
      className="pv-button pv-small"
      onClick={() => onSelectFunction({ file: fn.file, line: fn.line, name: fn.name })}
    >
      Show in editor
    </button>
  );
}
