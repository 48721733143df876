import { z } from 'zod';

export const LIMIT_NAMES = ['timeout', 'cpu-limit', 'memory-limit', 'process-limit', 'output-limit'] as const;
export type LimitName = (typeof LIMIT_NAMES)[number];

/** Per-run resource limits. Every run has all of them; see DEFAULT_LIMITS and HARD_CAPS. */
export interface ResourceLimits {
  wallS: number;
  /** CPU seconds of all the run's processes together. */
  cpuS: number;
  memoryMb: number;
  /** Processes plus threads alive at once. */
  tasks: number;
  fileSizeMb: number;
  /** stdout + stderr bytes kept; beyond this the run is stopped and output flagged truncated. */
  outputKb: number;
  /** Size of the private /work, /tmp and /dev/shm file systems (each). */
  scratchMb: number;
}

export const DEFAULT_LIMITS: ResourceLimits = {
  wallS: 10,
  cpuS: 30,
  memoryMb: 512,
  tasks: 256,
  fileSizeMb: 64,
  outputKb: 1024,
  scratchMb: 128,
};

export const HARD_CAPS: ResourceLimits = {
  wallS: 900,
  cpuS: 1800,
  memoryMb: 8192,
  tasks: 2048,
  fileSizeMb: 1024,
  outputKb: 64 * 1024,
  scratchMb: 2048,
};

const limitsSchema = z
  .object({
    wallS: z.number().positive(),
    cpuS: z.number().positive(),
    memoryMb: z.number().int().min(32),
    tasks: z.number().int().min(4),
    fileSizeMb: z.number().int().min(1),
    outputKb: z.number().int().min(1),
    scratchMb: z.number().int().min(1),
  })
  .strict()
  .partial();

export class LimitError extends Error {
  override name = 'LimitError';
}

/** Fills in defaults and rejects limits that are malformed or above the hard caps. */
export function resolveLimits(requested: Partial<ResourceLimits> = {}): ResourceLimits {
  const parsed = limitsSchema.safeParse(requested);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new LimitError(`invalid limit ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'bad value'}`);
  }
  const limits = { ...DEFAULT_LIMITS, ...parsed.data };
  for (const key of Object.keys(HARD_CAPS) as (keyof ResourceLimits)[]) {
    if (limits[key] > HARD_CAPS[key]) {
      throw new LimitError(`${key} ${limits[key]} is above the hard cap of ${HARD_CAPS[key]}`);
    }
  }
  return limits;
}
