import { join } from 'node:path';
import { PROJECT_ROOT } from '../../pyenv/paths.js';
import { colour } from '../format.js';
import { profileCommand } from './profile.js';

/** `npm start` until the web app exists: profile a bundled slow script and explain what to look at. */
export async function demoCommand(options: { sandbox?: 'auto' | 'bwrap' | 'process' }): Promise<number> {
  const script = join(PROJECT_ROOT, 'examples', 'word_frequency.py');
  console.log(
    colour.bold(
      'perflab demo: profiling examples/word_frequency.py, a word counter with a hidden quadratic loop\n',
    ),
  );
  const code = await profileCommand(script, [], {
    lines: true,
    sort: 'tottime',
    top: '12',
    sandbox: options.sandbox,
  });
  console.log(
    '\n' +
      colour.bold('What to notice: ') +
      'almost all the time is one built-in, called once per distinct word, each call scanning the whole text.\n' +
      'Counting in one pass (collections.Counter) removes it. Try it yourself:\n' +
      '  npx perflab profile examples/word_frequency.py --lines\n' +
      '  npx perflab run examples/word_frequency.py\n' +
      '  npx perflab doctor',
  );
  return code;
}
