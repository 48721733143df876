import { describe, expect, it } from 'vitest';
import type { StackDump } from './documents.js';
import { diagnoseHang } from './hang.js';

const parent: StackDump = {
  schema: 'perflab.stacks/1',
  pid: 2,
  ppid: 1,
  argv: ['main.py'],
  threads: [
    {
      name: 'MainThread',
      ident: 1,
      daemon: false,
      isMain: true,
      frames: [
        { file: 'main.py', line: 9, function: '<module>', code: 'run()' },
        { file: 'main.py', line: 5, function: 'run', code: 'out, _ = proc.communicate()' },
        { file: '/usr/lib/python3.11/subprocess.py', line: 1199, function: 'Popen.communicate', code: null },
      ],
    },
  ],
};

describe('hang diagnosis', () => {
  it('says the parent waits in communicate and the child is blocked reading stdin', () => {
    const child: StackDump = {
      ...parent,
      pid: 3,
      ppid: 2,
      argv: ['child.py'],
      threads: [
        {
          name: 'MainThread',
          ident: 1,
          daemon: false,
          isMain: true,
          frames: [{ file: 'child.py', line: 2, function: '<module>', code: 'name = input()' }],
        },
      ],
    };
    const { lines } = diagnoseHang(
      [parent, child],
      [
        { pid: 100, innerPid: 2, command: 'python -m perflab_harness', blockedIn: 'wait4' },
        {
          pid: 101,
          innerPid: 3,
          command: '/perflab/venv/bin/python child.py',
          blockedIn: "read(fd 0: the run's stdin, which never delivers data)",
        },
      ],
    );
    expect(lines[0]).toContain('main thread waiting in subprocess.communicate');
    expect(lines[0]).toContain('main.py:5');
    expect(lines[1]).toContain('blocked reading stdin');
    expect(lines[1]).toContain('child.py:2');
  });

  it('describes processes without Python stacks from their kernel state', () => {
    const { lines } = diagnoseHang(
      [],
      [
        {
          pid: 7,
          innerPid: 4,
          command: 'cat',
          blockedIn: "read(fd 0: the run's stdin, which never delivers data)",
        },
      ],
    );
    expect(lines).toEqual(['process 7 (cat): blocked reading stdin, which never delivers data']);
  });
});
