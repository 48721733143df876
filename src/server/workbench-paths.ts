/** Workbench uploads name their files; these rules keep every name inside the workspace. */

/**
 * Why a set of workbench file paths cannot be staged, naming the path; null when it can.
 * Checked before anything is launched: a path like `.`, `dir/` or both `d` and `d/e` used to be
 * accepted and then failed in staging, leaving the warm sandbox it had launched behind.
 */
export function workbenchPathProblem(paths: readonly unknown[]): string | null {
  const seen = new Set<string>();
  for (const path of paths) {
    if (typeof path !== 'string') continue; // the schema names wrong types
    const shown = JSON.stringify(path);
    if (path === '') return 'a file path is empty';
    if (path.includes('\0')) return `the file path ${shown} contains a NUL byte`;
    if (path.length > 200) return `the file path ${shown.slice(0, 60)}… is over 200 characters`;
    if (path.startsWith('/') || /^[A-Za-z]:[\\/]/.test(path) || path.startsWith('\\'))
      return `the file path ${shown} is absolute; give a path inside the workspace, such as "data/input.txt"`;
    const parts = path.split('/');
    if (parts.includes('..')) return `the file path ${shown} leaves the workspace ("..")`;
    if (parts.includes('.') || parts.includes(''))
      return `the file path ${shown} is not a plain relative file path (no ".", no empty folder name, no trailing "/")`;
    seen.add(path);
  }
  for (const path of seen) {
    const parts = path.split('/');
    for (let i = 1; i < parts.length; i++) {
      const folder = parts.slice(0, i).join('/');
      if (seen.has(folder))
        return `the file path ${JSON.stringify(folder)} is both a file and the folder of ${JSON.stringify(path)}`;
    }
  }
  return null;
}
