/* global matchMedia, document */
// The remembered theme before the first paint, so a dark page does not flash white. A file, not
// an inline script: the Content-Security-Policy allows scripts from perflab's origin only.
try {
  let theme = localStorage.getItem('perflab:theme');
  if (theme !== 'light' && theme !== 'dark')
    theme = matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
  document.documentElement.dataset.theme = theme;
  document.documentElement.style.colorScheme = theme;
} catch {
  // No storage (private mode, blocked): the app sets the theme once it loads.
}
