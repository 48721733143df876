import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { JobStream } from './job-stream';

/**
 * A stand-in for the server's GET /api/jobs/:id/events: each request gets a real Response
 * whose body the test writes to (`send`) and ends (`drop`); aborting the request errors the
 * body, as a browser's fetch does. Everything above fetch — the stream reading, the SSE
 * parser, the reconnect — is the real code.
 */
function fakeEventServer(status = 200) {
  const requests: string[] = [];
  let body: ReadableStreamDefaultController<Uint8Array> | null = null;
  const encoder = new TextEncoder();
  const fetchStub = vi.fn((url: string, init?: RequestInit) => {
    requests.push(url);
    if (status !== 200) return Promise.resolve(new Response('{"error":"not-found"}', { status }));
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        body = controller;
        init?.signal?.addEventListener('abort', () =>
          controller.error(new DOMException('aborted', 'AbortError')),
        );
      },
    });
    return Promise.resolve(new Response(stream, { headers: { 'content-type': 'text/event-stream' } }));
  });
  return {
    requests,
    fetchStub,
    send(text: string) {
      body?.enqueue(encoder.encode(text));
    },
    drop() {
      body?.close();
      body = null;
    },
  };
}

/** Every event the stream dispatches, as "type" or "type data". */
function record(stream: JobStream): string[] {
  const seen: string[] = [];
  for (const type of ['open', 'error', 'state', 'output', 'progress', 'end', 'message'])
    stream.addEventListener(type, (event) =>
      seen.push(event instanceof MessageEvent ? `${type} ${String(event.data)}` : type),
    );
  return seen;
}

/** Lets the stream's pending reads and fetches settle. */
const settle = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

describe('JobStream', () => {
  let server: ReturnType<typeof fakeEventServer>;
  let stream: JobStream | null = null;

  beforeEach(() => {
    server = fakeEventServer();
    vi.stubGlobal('fetch', server.fetchStub);
  });
  afterEach(() => {
    stream?.close();
    stream = null;
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it('dispatches each server-sent event by its type, even when a chunk ends mid-event', async () => {
    stream = new JobStream('/api/jobs/a/events?pending=1');
    const seen = record(stream);
    await settle();
    expect(stream.readyState).toBe(JobStream.OPEN);
    server.send('event: state\ndata: {"state":"running","queuePosition":0,"elapsedMs":5}\n\nevent: out');
    server.send('put\ndata: {"chunk":{"stream":"stdout","text":"hi\\n","tMs":1}}\n\n');
    // A data field over two lines is one event whose data joins them with a newline.
    server.send('event: progress\ndata: first\ndata: second\n\n: a comment line is ignored\n\n');
    await settle();
    expect(seen).toEqual([
      'open',
      'state {"state":"running","queuePosition":0,"elapsedMs":5}',
      'output {"chunk":{"stream":"stdout","text":"hi\\n","tMs":1}}',
      'progress first\nsecond',
    ]);
    expect(server.requests).toEqual(['/api/jobs/a/events?pending=1']);
    expect(server.fetchStub.mock.calls[0]?.[1]).toMatchObject({ headers: { accept: 'text/event-stream' } });
  });

  it('reopens a dropped stream after a second, so the job replays from its start', async () => {
    vi.useFakeTimers();
    stream = new JobStream('/events');
    const seen = record(stream);
    await vi.advanceTimersByTimeAsync(0);
    server.send('event: output\ndata: 1\n\n');
    server.drop();
    await vi.advanceTimersByTimeAsync(0);
    expect(stream.readyState).toBe(JobStream.CONNECTING);
    expect(seen).toEqual(['open', 'output 1', 'error']);
    await vi.advanceTimersByTimeAsync(999);
    expect(server.requests).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(server.requests).toHaveLength(2);
    server.send('event: output\ndata: 1\n\nevent: end\ndata: {}\n\n');
    await vi.advanceTimersByTimeAsync(0);
    expect(seen).toEqual(['open', 'output 1', 'error', 'open', 'output 1', 'end {}']);
  });

  it('treats a refused stream (an unknown job) as final: closed, one error, no retry', async () => {
    vi.useFakeTimers();
    server = fakeEventServer(404);
    vi.stubGlobal('fetch', server.fetchStub);
    stream = new JobStream('/events');
    const seen = record(stream);
    await vi.advanceTimersByTimeAsync(5000);
    expect(stream.readyState).toBe(JobStream.CLOSED);
    expect(seen).toEqual(['error']);
    expect(server.requests).toHaveLength(1);
  });

  it('dispatches nothing more and never reconnects once closed, even mid-chunk', async () => {
    vi.useFakeTimers();
    stream = new JobStream('/events');
    const closing = stream;
    const seen = record(closing);
    // The page closes the stream on `end`; what follows in the same chunk is not dispatched.
    closing.addEventListener('end', () => closing.close());
    await vi.advanceTimersByTimeAsync(0);
    server.send('event: end\ndata: {}\n\nevent: output\ndata: late\n\n');
    await vi.advanceTimersByTimeAsync(5000);
    expect(closing.readyState).toBe(JobStream.CLOSED);
    expect(seen).toEqual(['open', 'end {}']);
    expect(server.requests).toHaveLength(1);
  });

  it('may be closed from an error listener, which stops the reconnect', async () => {
    vi.useFakeTimers();
    stream = new JobStream('/events');
    const closing = stream;
    closing.addEventListener('error', () => closing.close());
    await vi.advanceTimersByTimeAsync(0);
    server.drop();
    await vi.advanceTimersByTimeAsync(5000);
    expect(server.requests).toHaveLength(1);
  });
});
