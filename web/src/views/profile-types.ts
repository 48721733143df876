import type { CodeOrigin } from '../../../src/core/documents.js';

/** What the views pass to onSelectFunction: enough for the editor to open the definition. */
export interface FunctionRef {
  file: string;
  line: number;
  name: string;
}

export const ORIGIN_LABELS: Record<CodeOrigin, string> = {
  user: 'your code',
  stdlib: 'standard library',
  'site-packages': 'package',
  builtin: 'built-in',
};
