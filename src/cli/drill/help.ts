/**
 * The help text of `perflab drill` after its options: keys on a terminal and the line protocol
 * of input.ts. No imports: main.ts loads this at every start.
 */
export const DRILL_HELP = `
On a terminal: Space or Enter reveals the answer, a types an answer first, f shows the full answer,
1-4 grade (again, hard, good, easy; each shows when the question comes back), u undoes the last grade,
s skips, d ends a timed part early, q quits with a summary. Ctrl-C quits too (exit 130); grades are kept.

When stdin is not a terminal, drill reads one command per line (for scripts and tests):
  reveal | r | (empty line)   show the answer
  answer TEXT | a TEXT        your answer, kept with the grade (review, quick-fire: then the answer shows)
  full | f                    the full answer
  1 | 2 | 3 | 4               grade: again, hard, good, easy (the words work too)
  undo | u                    take back the last grade
  skip | s                    next question without grading
  done | d                    quick-fire, mock interview: end this part before its time is up
  0 2 1 ...                   mock interview: the key points' scores 0-2 in order, then communication
  quit | q                    stop and print the summary (so does the end of input)`;
