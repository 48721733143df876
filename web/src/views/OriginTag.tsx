import type { CodeOrigin } from '../../../src/core/documents.js';
import { ORIGIN_LABELS } from './profile-types';

export function OriginTag({ origin }: { origin: CodeOrigin }) {
  return <span className={`pv-tag pv-origin-${origin}`}>{ORIGIN_LABELS[origin]}</span>;
}
