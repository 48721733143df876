/**
 * Which calls mean "this thread is waiting", shared by both timeline builders: py-spy sees
 * only Python frames (the innermost is e.g. `Condition.wait` in threading.py), VizTracer also
 * logs C calls by their module-qualified name (`_thread.lock.acquire`, `time.sleep`,
 * `posix.read`, `socket.recv` — names taken from real VizTracer 1.1 output on CPython 3.11).
 *
 * Python-level entries match on the file's name and the function's name, qualified
 * (`Condition.wait`, CPython 3.11+ and py-spy's qualname) or bare (`wait`, what 3.10 reports).
 */
import type { LaneState } from './timeline.js';

export type WaitKind = Extract<LaneState, 'waiting-io' | 'waiting-lock'>;

interface PythonWaits {
  /** Path suffix of the module's file, e.g. "threading.py", "concurrent/futures/_base.py". */
  file: string;
  functions: string[];
  kind: WaitKind;
}

const PYTHON_WAITS: PythonWaits[] = [
  // Threads waiting on each other: join, locks, conditions, events, barriers, semaphores.
  {
    file: 'threading.py',
    functions: [
      'Thread.join',
      'Thread._wait_for_tstate_lock',
      'Condition.wait',
      'Condition.wait_for',
      'Event.wait',
      'Semaphore.acquire',
      'Barrier.wait',
    ],
    kind: 'waiting-lock',
  },
  // Handing work between threads.
  { file: 'queue.py', functions: ['Queue.get', 'Queue.put', 'Queue.join'], kind: 'waiting-lock' },
  // Futures of thread and process pools.
  {
    file: 'concurrent/futures/_base.py',
    functions: ['Future.result', 'Future.exception', 'wait', 'as_completed'],
    kind: 'waiting-lock',
  },
  // multiprocessing: a pool's results, joins, and the pipes its workers answer through.
  {
    file: 'multiprocessing/pool.py',
    functions: ['ApplyResult.get', 'ApplyResult.wait', 'IMapIterator.next', 'Pool.join'],
    kind: 'waiting-lock',
  },
  { file: 'multiprocessing/process.py', functions: ['BaseProcess.join'], kind: 'waiting-lock' },
  { file: 'multiprocessing/popen_fork.py', functions: ['Popen.wait', 'Popen.poll'], kind: 'waiting-lock' },
  {
    file: 'multiprocessing/connection.py',
    functions: ['Connection.recv', 'Connection._recv', 'Connection._recv_bytes', 'Connection.poll', 'wait'],
    kind: 'waiting-lock',
  },
  {
    file: 'multiprocessing/synchronize.py',
    functions: ['Condition.wait', 'Event.wait', 'Barrier.wait'],
    kind: 'waiting-lock',
  },
  // Waiting for a child process to end.
  {
    file: 'subprocess.py',
    functions: ['Popen.wait', 'Popen._wait', 'Popen._try_wait'],
    kind: 'waiting-lock',
  },
  // Readiness waits: every event loop (asyncio's included) blocks in a selector.
  {
    file: 'selectors.py',
    functions: [
      'SelectSelector.select',
      '_PollLikeSelector.select',
      'EpollSelector.select',
      'KqueueSelector.select',
      'select',
    ],
    kind: 'waiting-io',
  },
  // Sockets, TLS, and a child's pipes.
  {
    file: 'socket.py',
    functions: ['SocketIO.readinto', 'socket.accept', 'create_connection', 'getaddrinfo'],
    kind: 'waiting-io',
  },
  {
    file: 'ssl.py',
    functions: [
      'SSLSocket.read',
      'SSLSocket.recv',
      'SSLSocket.recv_into',
      'SSLSocket.do_handshake',
      'SSLObject.read',
    ],
    kind: 'waiting-io',
  },
  { file: 'subprocess.py', functions: ['Popen.communicate', 'Popen._communicate'], kind: 'waiting-io' },
];

const C_WAITS: Record<string, WaitKind> = {
  // Sleeping counts as I/O-like waiting: the thread gave up the CPU for a time, not for a peer.
  'time.sleep': 'waiting-io',
  // Readiness waits.
  'select.select': 'waiting-io',
  'select.poll.poll': 'waiting-io',
  'select.epoll.poll': 'waiting-io',
  'select.kqueue.control': 'waiting-io',
  // Socket calls (a socket.socket is a Python subclass, hence `socket.recv`; the bare C type
  // is `_socket.socket`), name lookups, TLS.
  ...Object.fromEntries(
    [
      'recv',
      'recv_into',
      'recvfrom',
      'recvfrom_into',
      'accept',
      '_accept',
      'connect',
      'connect_ex',
      'send',
      'sendall',
      'sendto',
    ].flatMap((method) => [
      [`socket.${method}`, 'waiting-io'],
      [`_socket.socket.${method}`, 'waiting-io'],
    ]),
  ),
  '_socket.getaddrinfo': 'waiting-io',
  '_socket.gethostbyname': 'waiting-io',
  '_ssl._SSLSocket.read': 'waiting-io',
  '_ssl._SSLSocket.write': 'waiting-io',
  '_ssl._SSLSocket.do_handshake': 'waiting-io',
  // File and pipe reads and writes (os.read is `posix.read`).
  'posix.read': 'waiting-io',
  'posix.write': 'waiting-io',
  '_io.FileIO.read': 'waiting-io',
  '_io.FileIO.readinto': 'waiting-io',
  '_io.FileIO.readall': 'waiting-io',
  '_io.FileIO.write': 'waiting-io',
  '_io.BufferedReader.read': 'waiting-io',
  '_io.BufferedReader.read1': 'waiting-io',
  '_io.BufferedReader.readline': 'waiting-io',
  '_io.BufferedReader.readinto': 'waiting-io',
  '_io.BufferedReader.peek': 'waiting-io',
  '_io.TextIOWrapper.read': 'waiting-io',
  '_io.TextIOWrapper.readline': 'waiting-io',
  'builtins.input': 'waiting-io',
  // Locks, semaphores and queues between threads and processes; waiting for a child to exit.
  '_thread.lock.acquire': 'waiting-lock',
  '_thread.lock.__enter__': 'waiting-lock',
  '_thread.RLock.acquire': 'waiting-lock',
  '_thread.RLock.__enter__': 'waiting-lock',
  '_multiprocessing.SemLock.acquire': 'waiting-lock',
  '_multiprocessing.SemLock.__enter__': 'waiting-lock',
  '_queue.SimpleQueue.get': 'waiting-lock',
  'posix.waitpid': 'waiting-lock',
  'posix.wait': 'waiting-lock',
  'posix.wait4': 'waiting-lock',
};

function matchesFile(file: string, suffix: string): boolean {
  return file === suffix || file.endsWith(`/${suffix}`);
}

/** The wait a frame means, or null. `file` is '' for a C call (VizTracer names those `module.name`). */
export function waitKindOf(frame: { name: string; file: string }): WaitKind | null {
  if (frame.file === '' || frame.file === '~') return C_WAITS[frame.name] ?? null;
  // A bare name (Python 3.10 has no qualnames) matches the qualified entry it ends.
  const bare = !frame.name.includes('.');
  const named = (fn: string) => fn === frame.name || (bare && fn.endsWith(`.${frame.name}`));
  const entry = PYTHON_WAITS.find((e) => matchesFile(frame.file, e.file) && e.functions.some(named));
  return entry?.kind ?? null;
}
