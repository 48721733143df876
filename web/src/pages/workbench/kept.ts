/**
 * What the workbench keeps in this browser between visits (the script, arguments, stdin and
 * timeit candidates), starting from an example program worth profiling.
 */
import { useEffect, useMemo, useState } from 'react';

const STORAGE_KEY = 'perflab:workbench';
/** Edits are written at most this often (ms). */
const KEEP_DELAY_MS = 500;

export const EXAMPLE = `"""A small, slow program. Profile it to see where the time goes,
then compare the two versions with timeit (candidates: primes_slow, primes_sieve)."""
import time


def is_prime(n):
    if n < 2:
        return False
    for divisor in range(2, n):
        if n % divisor == 0:
            return False
    return True


def primes_slow(limit=6_000):
    return [n for n in range(limit) if is_prime(n)]


def primes_sieve(limit=6_000):
    sieve = [True] * limit
    sieve[0:2] = [False, False]
    for i in range(2, int(limit**0.5) + 1):
        if sieve[i]:
            sieve[i * i :: i] = [False] * len(range(i * i, limit, i))
    return [n for n, prime in enumerate(sieve) if prime]


if __name__ == "__main__":
    start = time.perf_counter()
    found = primes_slow()
    print(f"{len(found)} primes below 6000 in {time.perf_counter() - start:.2f} s")
    assert found == primes_sieve()
`;

export const EXAMPLE_CANDIDATES = 'primes_slow\nprimes_sieve';

export interface Saved {
  script: string;
  args: string;
  stdin: string;
  candidates: string;
}

function loadSaved(): Saved {
  const defaults: Saved = { script: EXAMPLE, args: '', stdin: '', candidates: EXAMPLE_CANDIDATES };
  try {
    const raw = localStorage.getItem(STORAGE_KEY);
    return raw ? { ...defaults, ...(JSON.parse(raw) as Partial<Saved>) } : defaults;
  } catch {
    return defaults;
  }
}

type Setters = { [K in keyof Saved as `set${Capitalize<K>}`]: (value: string) => void };

/** The kept fields and their setters; each change is written back after a pause. */
export type KeptFields = Saved & Setters;

export function useKeptFields(): KeptFields {
  const initial = useMemo(loadSaved, []);
  const [script, setScript] = useState(initial.script);
  const [args, setArgs] = useState(initial.args);
  const [stdin, setStdin] = useState(initial.stdin);
  const [candidates, setCandidates] = useState(initial.candidates);
  useEffect(() => {
    const handle = setTimeout(() => {
      try {
        localStorage.setItem(
          STORAGE_KEY,
          JSON.stringify({ script, args, stdin, candidates } satisfies Saved),
        );
      } catch {
        // Not kept when storage is full or disabled.
      }
    }, KEEP_DELAY_MS);
    return () => clearTimeout(handle);
  }, [script, args, stdin, candidates]);
  return { script, args, stdin, candidates, setScript, setArgs, setStdin, setCandidates };
}
