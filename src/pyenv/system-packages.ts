import { spawnSync } from 'node:child_process';

function commandExists(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

/** Debian packages perflab uses, by the command each provides. */
export const SYSTEM_PACKAGES: { command: string; aptPackage: string; purpose: string }[] = [
  { command: 'bwrap', aptPackage: 'bubblewrap', purpose: 'the isolated sandbox' },
  // The end-to-end tests drive Debian's Chromium with playwright-core (never a downloaded browser).
  { command: 'chromium', aptPackage: 'chromium', purpose: 'the browser tests (npm test)' },
  // A load generator in C: a JavaScript one saturates its own core before the server does.
  { command: 'wrk', aptPackage: 'wrk', purpose: 'the API latency benchmark (npm run bench)' },
];

export function missingSystemPackages(): typeof SYSTEM_PACKAGES {
  return SYSTEM_PACKAGES.filter((p) => !commandExists(p.command));
}

/** Installs missing packages with apt-get when running as root on a Debian-like system; otherwise only reports. */
export function ensureSystemPackages(log: (line: string) => void): void {
  const missing = missingSystemPackages();
  if (missing.length === 0) return;
  const names = missing.map((p) => p.aptPackage).join(' ');
  if (process.getuid?.() !== 0 || !commandExists('apt-get') || process.env.PERFLAB_SKIP_APT) {
    log(`perflab: missing system packages (${names}); install them with \`sudo apt-get install ${names}\`.`);
    return;
  }
  log(`perflab: installing ${names} with apt-get`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  let install = spawnSync('apt-get', ['install', '-y', '-q', ...missing.map((p) => p.aptPackage)], {
    env,
    stdio: 'inherit',
  });
  if (install.status !== 0) {
    spawnSync('apt-get', ['update', '-q'], { env, stdio: 'inherit' });
    install = spawnSync('apt-get', ['install', '-y', '-q', ...missing.map((p) => p.aptPackage)], {
      env,
      stdio: 'inherit',
    });
  }
  if (install.status !== 0)
    log(`perflab: apt-get could not install ${names}; \`perflab doctor\` will say what is missing.`);
}
