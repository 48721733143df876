/**
 * highlight.js with only the languages the course uses (the full bundle is ~1 MB).
 */
import hljs from 'highlight.js/lib/core';
import bash from 'highlight.js/lib/languages/bash';
import plaintext from 'highlight.js/lib/languages/plaintext';
import python from 'highlight.js/lib/languages/python';
import pythonRepl from 'highlight.js/lib/languages/python-repl';

hljs.registerLanguage('python', python);
hljs.registerLanguage('python-repl', pythonRepl);
hljs.registerLanguage('bash', bash);
hljs.registerLanguage('plaintext', plaintext);
hljs.registerAliases(['py', 'python3'], { languageName: 'python' });
hljs.registerAliases(['sh', 'shell', 'console', 'zsh'], { languageName: 'bash' });
hljs.registerAliases(['pycon'], { languageName: 'python-repl' });
hljs.registerAliases(['text', 'txt', 'output', 'csv', 'log'], { languageName: 'plaintext' });

const escapeHtml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** HTML of highlighted code (escaped; safe to insert). Unknown languages are escaped plain text. */
export function highlight(code: string, language: string): string {
  const lang = language.trim().split(/\s+/)[0]?.toLowerCase() ?? '';
  if (lang && hljs.getLanguage(lang)) {
    return hljs.highlight(code, { language: lang, ignoreIllegals: true }).value;
  }
  return escapeHtml(code);
}

export { escapeHtml };
