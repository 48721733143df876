/**
 * A started job (see job-start-routes.ts): read it, follow it live over server-sent events,
 * cancel it, download its artifacts.
 */
import { z } from 'zod';
import { ARTIFACT_NAMES, errorSchema, jobViewSchema, type JobEvent } from '../core/api.js';
import { toSpeedscope } from '../core/profile-model.js';
import { ARTIFACT_FORMATS } from './artifacts.js';
import { HttpError, notFound, type ApiInstance, type ServerContext } from './context.js';

const errors = { 400: errorSchema, 404: errorSchema, 429: errorSchema, 503: errorSchema };
/** SSE comment lines keep proxies from closing an idle stream. */
const KEEPALIVE_MS = 15_000;
/** How long an event stream opened ahead of its job's start request waits for the job. */
const PENDING_WAIT_MS = 10_000;

/** Counts open event streams per learner and in total; `acquire` is false when a cap is reached. */
class StreamCounter {
  private readonly perLearner = new Map<string, number>();
  private total = 0;

  constructor(
    private readonly max: number,
    private readonly maxPerLearner: number,
  ) {}

  acquire(learnerId: string): 'ok' | 'learner' | 'server' {
    const mine = this.perLearner.get(learnerId) ?? 0;
    if (mine >= this.maxPerLearner) return 'learner';
    if (this.total >= this.max) return 'server';
    this.perLearner.set(learnerId, mine + 1);
    this.total++;
    return 'ok';
  }

  release(learnerId: string): void {
    const mine = (this.perLearner.get(learnerId) ?? 1) - 1;
    if (mine <= 0) this.perLearner.delete(learnerId);
    else this.perLearner.set(learnerId, mine);
    this.total--;
  }
}

/** Seconds a client refused an event stream waits before it tries again. */
const STREAM_RETRY_AFTER_S = 5;

export function registerJobRoutes(api: ApiInstance, context: ServerContext): void {
  const { jobs, learnerOf, limits } = context;
  const streams = new StreamCounter(limits.maxEventStreams, limits.maxEventStreamsPerLearner);

  const jobParams = z.object({ id: z.string().uuid() });

  // Reading a job and cancelling it answer alike: the job as it is now; 404 when it is not the learner's.
  for (const [method, url, summary, act] of [
    ['GET', '/jobs/:id', 'A job: state, output so far, and its result once finished', 'get'],
    ['POST', '/jobs/:id/cancel', 'Cancel a queued or running job (its sandbox is killed)', 'cancel'],
  ] as const) {
    api.route({
      method,
      url,
      schema: { summary, params: jobParams, response: { 200: jobViewSchema, ...errors } },
      handler: async (request) => {
        const view = await jobs[act](learnerOf(request), request.params.id);
        if (!view) throw notFound(`job ${request.params.id}`);
        return view;
      },
    });
  }

  api.get(
    '/jobs/:id/events',
    {
      schema: {
        summary:
          'Server-sent events of a job: replays state, progress and output so far, then follows live; ends with an `end` event carrying the whole job',
        params: jobParams,
        querystring: z.object({
          pending: z
            .enum(['0', '1'])
            .default('0')
            .describe('1: the job is being started with this client-made id; wait up to 10 s for it'),
        }),
      },
    },
    async (request, reply) => {
      const learnerId = learnerOf(request);
      const acquired = streams.acquire(learnerId);
      if (acquired !== 'ok')
        throw new HttpError(
          429,
          'too-many',
          acquired === 'learner'
            ? `you have ${limits.maxEventStreamsPerLearner} job streams open, the most perflab keeps per learner; close a tab or wait for a job to end`
            : `the server has ${limits.maxEventStreams} job streams open, the most it keeps; try again in a few seconds`,
          { 'retry-after': String(STREAM_RETRY_AFTER_S) },
        );
      let released = false;
      const release = () => {
        if (!released) streams.release(learnerId);
        released = true;
      };
      const events: JobEvent[] = [];
      let wake: (() => void) | null = null;
      let unsubscribe: (() => void) | null;
      try {
        // ?pending=1 waits only for an id nobody holds yet, and only until someone starts it.
        if (
          request.query.pending === '1' &&
          !(await jobs.waitForJob(learnerId, request.params.id, PENDING_WAIT_MS))
        )
          throw notFound(`job ${request.params.id}`);
        unsubscribe = await jobs.subscribe(learnerId, request.params.id, (event) => {
          events.push(event);
          wake?.();
        });
      } catch (error) {
        release();
        throw error;
      }
      if (!unsubscribe) {
        release();
        throw notFound(`job ${request.params.id}`);
      }
      reply.hijack();
      const raw = reply.raw;
      raw.writeHead(200, {
        // The security headers the boundary set on the reply (a hijacked reply does not send them).
        ...(reply.getHeaders() as Record<string, string>),
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      let open = true;
      request.raw.on('close', () => {
        open = false;
        unsubscribe();
        release();
        wake?.();
      });
      const keepalive = setInterval(() => raw.write(': keepalive\n\n'), KEEPALIVE_MS);
      try {
        while (open) {
          const event = events.shift();
          if (!event) {
            await new Promise<void>((resolve) => (wake = resolve));
            wake = null;
            continue;
          }
          const { type, ...data } = event;
          raw.write(`event: ${type}\ndata: ${JSON.stringify(data)}\n\n`);
          if (type === 'end') break;
        }
      } finally {
        clearInterval(keepalive);
        unsubscribe();
        release();
        raw.end();
      }
    },
  );

  api.get(
    '/jobs/:id/artifacts/:name',
    {
      schema: {
        summary:
          'Download a file of a profile job: profile.prof (pstats, for snakeviz or pstats), profile.speedscope.json or sampled.speedscope.json (speedscope), trace.json (Perfetto, chrome://tracing), memray.bin (`memray flamegraph`); the job view lists the ones it has',
        params: jobParams.extend({ name: z.enum(ARTIFACT_NAMES) }),
      },
    },
    async (request, reply) => {
      const { id, name } = request.params;
      const learnerId = learnerOf(request);
      const view = await jobs.get(learnerId, id);
      if (!view) throw notFound(`job ${id}`);
      let content = await jobs.artifactOf(learnerId, id, name);
      if (!content && name === 'profile.speedscope.json') {
        // cProfile's speedscope file is made from the profile in the view when it is asked for.
        const profile = (view.result as { profile?: { functions: never[]; edges: never[] } | null } | null)
          ?.profile;
        if (profile)
          content = Buffer.from(JSON.stringify(toSpeedscope(profile.functions, profile.edges, view.target)));
      }
      if (!content) throw notFound(`${name} for job ${id}`);
      const format = ARTIFACT_FORMATS[name];
      return reply
        .header('content-type', format.contentType)
        .header('content-disposition', `attachment; filename="perflab-${id.slice(0, 8)}${format.suffix}"`)
        .send(content);
    },
  );
}
