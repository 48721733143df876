/**
 * The web server's boundary against other websites (issue 9):
 *
 * - Host check (DNS rebinding): only the configured origins are served. By default the
 *   loopback names (127.0.0.1, localhost, [::1]) on the bound port, plus the bound address
 *   itself when it is a specific one; a public URL (`--public-url`, PERFLAB_PUBLIC_URL) adds
 *   its own. Anything else → 421 saying how to allow it.
 * - Same-origin writes (CSRF): every POST/PUT/PATCH/DELETE must come from an allowed origin
 *   (its Origin header, or without one Sec-Fetch-Site same-origin/none) and carry JSON, or,
 *   without a body, the `X-Perflab` header. Both make a cross-site browser request either
 *   carry a foreign Origin or need a CORS preflight, which perflab never grants. Clients
 *   that are not browsers (the CLI, curl, tests through inject) send no Origin and pass with
 *   JSON or the header. Else → 403.
 * - Security headers on every response (helmet, built once): a CSP without inline script,
 *   frame-ancestors 'none' and X-Frame-Options DENY, nosniff, Referrer-Policy no-referrer.
 * - JSON bodies with `__proto__` or `constructor.prototype` keys → 400 naming the key.
 */
import { isIP } from 'node:net';
import type { AddressInfo } from 'node:net';
import { errorCodes, type FastifyInstance, type FastifyRequest } from 'fastify';
import helmet from 'helmet';
import { HttpError } from './context.js';

/** The header a body-less state-changing request carries (the web app sends `X-Perflab: 1`). */
export const CUSTOM_HEADER = 'x-perflab';
const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]'];

/** How to allow another address; repeated in every 421 and 403. */
const HOW_TO_ALLOW = 'start perflab serve with --public-url <that origin> (or set PERFLAB_PUBLIC_URL)';

export class PublicUrlError extends Error {
  override name = 'PublicUrlError';
}

/** Checks and normalises a public URL: http(s), no path, query or credentials. Returns its origin. */
export function parsePublicUrl(value: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new PublicUrlError(
      `--public-url must be a URL such as https://perflab.example.org, not "${value}"`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new PublicUrlError(`--public-url must start with http:// or https://, not "${value}"`);
  if (url.username || url.password || url.search || url.hash || (url.pathname !== '/' && url.pathname !== ''))
    throw new PublicUrlError(
      `--public-url is an origin only (scheme, host and port, such as https://perflab.example.org), not "${value}"`,
    );
  return url;
}

/**
 * Which Host headers and Origins are served. Until the server listens (tests through
 * `inject`) the port is unknown and the loopback names are accepted on any port; once it
 * listens, only on the bound port.
 */
export class OriginPolicy {
  private readonly publicHosts = new Set<string>();
  private readonly publicOrigins = new Set<string>();
  private hosts: Set<string> | null = null;
  private origins: Set<string> | null = null;
  private shown: string[] = [];

  constructor(publicUrls: readonly string[] = []) {
    for (const raw of publicUrls) {
      const url = parsePublicUrl(raw);
      const defaultPort = url.protocol === 'https:' ? '443' : '80';
      this.publicHosts.add(url.host.toLowerCase());
      this.publicHosts.add(`${url.hostname.toLowerCase()}:${url.port || defaultPort}`);
      this.publicOrigins.add(url.origin.toLowerCase());
    }
    this.shown = [...LOOPBACK_NAMES.map((n) => `http://${n}`), ...this.publicOrigins];
  }

  /** Called once the server listens: from now on only the bound port is served. */
  listening(address: AddressInfo | string | null): void {
    if (address === null || typeof address === 'string') return;
    const port = address.port;
    const names = [...LOOPBACK_NAMES];
    // A specific bound address (not a wildcard) is served too: a literal IP cannot be rebound.
    const bound = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    if (address.address !== '0.0.0.0' && address.address !== '::' && !names.includes(bound))
      names.push(bound);
    this.hosts = new Set(this.publicHosts);
    this.origins = new Set(this.publicOrigins);
    for (const name of names) {
      this.hosts.add(`${name}:${port}`);
      this.origins.add(`http://${name}:${port}`);
      if (port === 80) {
        this.hosts.add(name);
        this.origins.add(`http://${name}`);
      }
    }
    this.shown = [...names.map((n) => `http://${n}:${port}`), ...this.publicOrigins];
  }

  /** The origins served, for messages. */
  describe(): string {
    return this.shown.join(', ');
  }

  hostAllowed(host: string | undefined): boolean {
    if (!host) return false;
    const lower = host.toLowerCase();
    if (this.hosts) return this.hosts.has(lower);
    if (this.publicHosts.has(lower)) return true;
    return LOOPBACK_NAMES.includes(hostName(lower));
  }

  originAllowed(origin: string): boolean {
    const lower = origin.toLowerCase();
    if (this.origins) return this.origins.has(lower);
    if (this.publicOrigins.has(lower)) return true;
    if (!lower.startsWith('http://')) return false;
    return LOOPBACK_NAMES.includes(hostName(lower.slice('http://'.length)));
  }
}

/** `[::1]:4321` → `[::1]`, `localhost:4321` → `localhost`, `localhost` → `localhost`. */
function hostName(host: string): string {
  if (host.startsWith('[')) {
    const end = host.indexOf(']');
    return end < 0 ? host : host.slice(0, end + 1);
  }
  const colon = host.indexOf(':');
  return colon < 0 ? host : host.slice(0, colon);
}

/** Why a request may not change state, or null when it may. */
export function crossSiteProblem(request: FastifyRequest, policy: OriginPolicy): string | null {
  const headers = request.headers;
  const origin = headers.origin;
  if (origin !== undefined) {
    if (!policy.originAllowed(origin))
      return `perflab accepts changes only from its own pages (${policy.describe()}); this ${request.method} came from ${JSON.stringify(origin)}. To use perflab from there, ${HOW_TO_ALLOW}.`;
  } else {
    const site = headers['sec-fetch-site'];
    if (site !== undefined && site !== 'same-origin' && site !== 'none')
      return `perflab accepts changes only from its own pages; this ${request.method} came from a ${site} page.`;
  }
  const hasBody =
    headers['transfer-encoding'] !== undefined ||
    (headers['content-length'] !== undefined && headers['content-length'] !== '0');
  const type = headers['content-type'];
  const isJson = type !== undefined && /^application\/json\s*(;|$)/i.test(type);
  if (hasBody ? !isJson : !isJson && headers[CUSTOM_HEADER] === undefined)
    return hasBody
      ? `a ${request.method} to perflab must send its body as JSON (Content-Type: application/json), not ${type ? JSON.stringify(type) : 'without a Content-Type'}`
      : `a ${request.method} without a body must carry the header "X-Perflab: 1" (or Content-Type: application/json)`;
  return null;
}

export interface BoundaryOptions {
  publicUrls?: readonly string[];
}

/** Installs the host check, the same-origin rule, the security headers and the JSON parser. */
export function installBoundary(app: FastifyInstance, options: BoundaryOptions = {}): OriginPolicy {
  const policy = new OriginPolicy(options.publicUrls);
  app.server.on('listening', () => policy.listening(app.server.address()));

  // helmet decides the headers once, at start; each reply then gets them with reply.headers,
  // which Fastify writes in one writeHead. (Building helmet's middleware per request, as
  // @fastify/helmet does, cost ~30 µs; calling it per request, ~18 µs of server CPU: its
  // setHeader calls on the raw response push every header through Node's slow merge path.)
  const securityHeaders = headersOf(
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          // CodeMirror (style-mod) themes the editor with <style> elements it creates at run
          // time, and React's style props; scripts stay strict, styles may be inline.
          styleSrc: ["'self'", "'unsafe-inline'"],
          // The favicon is a data: URI.
          imgSrc: ["'self'", 'data:'],
          fontSrc: ["'self'"],
          connectSrc: ["'self'"],
          objectSrc: ["'none'"],
          baseUri: ["'none'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
        },
      },
      frameguard: { action: 'deny' },
      referrerPolicy: { policy: 'no-referrer' },
      // perflab serves plain http on loopback; a https reverse proxy in front sets HSTS itself.
      strictTransportSecurity: false,
      crossOriginEmbedderPolicy: false,
    }),
  );

  app.addHook('onRequest', (request, reply, done) => {
    // Set first, so refusals (421, 403) carry them too; the hijacked event streams copy them
    // into the head they write (reply.getHeaders()).
    void reply.headers(securityHeaders);
    if (!policy.hostAllowed(request.headers.host)) {
      done(
        new HttpError(
          421,
          'misdirected',
          `perflab serves only ${policy.describe()}; this request asked for ${request.headers.host ? `the host ${JSON.stringify(request.headers.host)}` : 'no host'}. To serve that address, ${HOW_TO_ALLOW}.`,
        ),
      );
      return;
    }
    if (STATE_CHANGING.has(request.method)) {
      const problem = crossSiteProblem(request, policy);
      if (problem) {
        done(new HttpError(403, 'forbidden', problem));
        return;
      }
    }
    done();
  });

  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    const text = body as string;
    if (text.length === 0) {
      done(new errorCodes.FST_ERR_CTP_EMPTY_JSON_BODY(), undefined);
      return;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      done(new errorCodes.FST_ERR_CTP_INVALID_JSON_BODY(), undefined);
      return;
    }
    // The walk runs only when the text could hold such a key (also written with \u escapes).
    const forbidden = SUSPICIOUS.test(text) ? forbiddenKey(parsed) : null;
    if (forbidden) {
      done(
        new HttpError(
          400,
          'bad-request',
          `the JSON body contains the forbidden key ${forbidden} (it could change the prototype of every object)`,
        ),
        undefined,
      );
      return;
    }
    done(null, parsed);
  });
  return policy;
}

/** The headers a helmet middleware sets (it sets the same ones on every response). */
function headersOf(middleware: ReturnType<typeof helmet>): Record<string, string> {
  const headers: Record<string, string> = {};
  const response = {
    setHeader: (name: string, value: unknown) => (headers[name.toLowerCase()] = String(value)),
    removeHeader: (name: string) => delete headers[name.toLowerCase()],
  };
  middleware(
    {} as Parameters<typeof middleware>[0],
    response as unknown as Parameters<typeof middleware>[1],
    () => undefined,
  );
  return headers;
}

const SUSPICIOUS =
  /"(?:_|\\u005[fF])(?:_|\\u005[fF])(?:p|\\u0070)|"(?:c|\\u0063)(?:o|\\u006[fF])(?:n|\\u006[eE])/;

/** `"__proto__"` or `"constructor.prototype"` when the parsed JSON holds such a key. */
function forbiddenKey(value: unknown): string | null {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const node = stack.pop();
    if (typeof node !== 'object' || node === null) continue;
    if (Array.isArray(node)) {
      for (const item of node) stack.push(item);
      continue;
    }
    if (Object.hasOwn(node, '__proto__')) return '"__proto__"';
    const ctor = Object.hasOwn(node, 'constructor') ? (node as { constructor: unknown }).constructor : null;
    if (typeof ctor === 'object' && ctor !== null && Object.hasOwn(ctor, 'prototype'))
      return '"constructor.prototype"';
    for (const key of Object.keys(node)) stack.push((node as Record<string, unknown>)[key]);
  }
  return null;
}

/** True for addresses only this machine can reach (the warning in `perflab serve` is for the rest). */
export function isLoopbackAddress(host: string): boolean {
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  if (bare === 'localhost') return true;
  if (isIP(bare) === 4) return bare.startsWith('127.');
  if (isIP(bare) === 6) return bare === '::1' || bare.startsWith('::ffff:127.');
  return false;
}
