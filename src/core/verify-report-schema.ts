/**
 * The verify report read from storage or the network (versions 1 and 2), as the server checks
 * it on the way out. A module of its own so the web app, which imports verify-report.ts, never
 * loads zod.
 */
import { z } from 'zod';
import { evidenceSchemas } from './checks/evidence.js';
import type { CheckKind } from './exercise.js';
import type { VerifyReport } from './verify-report.js';

const checkStatusSchema = z.enum(['passed', 'failed', 'undecided']);
const KINDS = Object.keys(evidenceSchemas) as CheckKind[];

/**
 * A verify report read from storage or the network (versions 1 and 2). Loose objects: a
 * field this version does not know is kept, never dropped on the way to a reader.
 */
export const verifyReportSchema: z.ZodType<VerifyReport> = z.looseObject({
  schema: z.enum(['perflab.verify/1', 'perflab.verify/2']),
  exercise: z.string(),
  graded: z.string(),
  passed: z.boolean(),
  status: checkStatusSchema.optional(),
  checks: z.array(
    z.discriminatedUnion(
      'kind',
      KINDS.map((kind) =>
        z.looseObject({
          id: z.string(),
          kind: z.literal(kind),
          title: z.string(),
          passed: z.boolean(),
          status: checkStatusSchema.optional(),
          sentence: z.string(),
          // Evidence of a shape this version does not expect (an older engine's) is passed
          // on as it was stored rather than refusing the whole report: readers check each field.
          evidence: (evidenceSchemas[kind] as z.ZodType).catch((ctx: z.core.$ZodCatchCtx) => ctx.value),
        }),
      ) as unknown as [z.ZodObject, ...z.ZodObject[]],
    ),
  ),
  sandbox: z.string(),
  isolated: z.boolean(),
  wallMs: z.number(),
}) as unknown as z.ZodType<VerifyReport>;
