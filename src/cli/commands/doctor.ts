import { availableParallelism } from 'node:os';
import { pythonDoctor } from '../../pyenv/doctor.js';
import { SYSTEM_PACKAGES, missingSystemPackages } from '../../pyenv/system-packages.js';
import { bwrapWorks } from '../../sandbox/bwrap.js';
import { cgroupsAvailable } from '../../sandbox/cgroups.js';
import { colour } from '../format.js';

export async function doctorCommand(options: { json?: boolean }): Promise<number> {
  const python = pythonDoctor();
  const bwrap = bwrapWorks();
  const cgroups = await cgroupsAvailable();
  const fixes: string[] = [];
  if (!python.interpreter) {
    fixes.push(
      'Install Python 3.10 or newer (Debian/Ubuntu: `sudo apt-get install python3 python3-venv`), then run `npm install`.',
    );
  } else if (!python.venv.exists) {
    fixes.push('Run `npm install` in the perflab folder to create .venv.');
  }
  const missingPackages = python.packages.filter((p) => p.installed === null);
  if (python.venv.exists && missingPackages.length > 0) {
    fixes.push(
      `Python packages missing (${missingPackages.map((p) => p.name).join(', ')}): run \`npm install\` again with access to the package index.`,
    );
  }
  const missingSystem = missingSystemPackages();
  if (!bwrap.ok) {
    fixes.push(
      missingSystem.some((p) => p.aptPackage === 'bubblewrap')
        ? `Install bubblewrap for isolation: \`sudo apt-get install bubblewrap\` (Fedora: \`sudo dnf install bubblewrap\`).`
        : `bubblewrap is installed but cannot create namespaces (${bwrap.reason}); enable unprivileged user namespaces (\`sudo sysctl kernel.unprivileged_userns_clone=1\`) or run perflab where namespaces are allowed.`,
    );
  }
  // Tools only the tests and benchmarks need: their absence is a note, not a failure.
  const developerTools = SYSTEM_PACKAGES.filter((p) => p.aptPackage !== 'bubblewrap').map((p) => ({
    command: p.command,
    aptPackage: p.aptPackage,
    purpose: p.purpose,
    installed: !missingSystem.includes(p),
  }));
  const report = {
    // 2: `browserForTests` became `developerTools` (every test and benchmark tool, installed or not).
    schema: 'perflab.doctor/2',
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    cpus: availableParallelism(),
    python,
    sandbox: {
      backend: bwrap.ok ? 'bubblewrap' : 'process',
      isolated: bwrap.ok,
      detail: bwrap.reason,
      kernelLimits: cgroups ? 'cgroup v1 (memory, pids, cpuacct)' : 'rlimits and /proc sampling only',
    },
    developerTools,
    fixes,
    ok: fixes.length === 0,
  };
  if (options.json) {
    process.stdout.write(JSON.stringify(report, null, 2) + '\n');
    return report.ok ? 0 : 1;
  }
  const good = (text: string) => `${colour.green('✓')} ${text}`;
  const bad = (text: string) => `${colour.red('✗')} ${text}`;
  const lines = [
    colour.bold('perflab doctor'),
    good(`Node ${report.node} on ${report.platform}, ${report.cpus} CPUs available`),
    python.interpreter
      ? good(`Python ${python.interpreter.version} (${python.interpreter.executable})`)
      : bad(`no Python ≥ 3.10 found (${python.interpreterProblems.join('; ')})`),
    python.venv.exists
      ? good(`virtual environment ${python.venv.path} (Python ${python.venv.python ?? '?'})`)
      : bad(`no virtual environment at ${python.venv.path}`),
    ...python.packages.map((p) =>
      p.installed
        ? good(
            `  ${p.name} ${p.installed}${p.wanted && p.installed !== p.wanted ? colour.yellow(` (pinned ${p.wanted})`) : ''}`,
          )
        : bad(`  ${p.name} ${p.wanted} missing`),
    ),
    bwrap.ok
      ? good('sandbox: bubblewrap — runs are isolated (namespaces, read-only system, no network)')
      : bad(`sandbox: process backend — code is NOT isolated from this machine (${bwrap.reason})`),
    `${cgroups ? colour.green('✓') : colour.yellow('·')} limits: ${report.sandbox.kernelLimits}`,
    python.sampler.problem
      ? `${colour.yellow('·')} sampling profiler (--sample) unavailable: ${python.sampler.problem}`
      : good(`sampling profiler: py-spy ${python.sampler.pySpy ?? '?'}, from outside the sandbox`),
    ...developerTools.map((t) =>
      t.installed
        ? good(`${t.command}, for ${t.purpose}`)
        : `${colour.yellow('·')} ${t.command} missing, needed only for ${t.purpose}: \`sudo apt-get install ${t.aptPackage}\``,
    ),
  ];
  if (fixes.length > 0) lines.push('', colour.bold('To fix:'), ...fixes.map((f) => `  • ${f}`));
  console.log(lines.join('\n'));
  return report.ok ? 0 : 1;
}
