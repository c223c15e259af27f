// The API's defences, as Yoga options and plugins (createYogaApp spreads `hardenedYogaOptions`)
// plus the HTTP security headers (createApp calls `applySecurityHeaders` on every response).
// What each limit allows is sized from what the PWA really sends (see hardening.test.ts).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import { useCSRFPrevention } from '@graphql-yoga/plugin-csrf-prevention';
import { GraphQLError, Lexer, NoSchemaIntrospectionCustomRule, Source, TokenKind, type DocumentNode, type ExecutionResult, type StringValueNode, type ValidationContext } from 'graphql';
import { createGraphQLError, maskError, type Plugin, type YogaServerOptions } from 'graphql-yoga';
import helmet from 'helmet';
import { LRUCache } from 'lru-cache';
import { maskNik, pickLocale, type Locale } from '@jemput/core';

export const LIMITS = {
  /** A JSON (or GET) GraphQL request: a 5,000-row grid paste with long values is ~3 MB. */
  jsonBodyBytes: 8 * 1024 * 1024,
  /** A multipart request (file upload, e.g. a ~60 MB Dapodik export). */
  multipartBodyBytes: 64 * 1024 * 1024,
  /** Field nesting; the grid's deepest operation (a conflict's current row's school) is 4. */
  depth: 10,
  /** The grid deletes rows with one aliased mutation per row, 100 rows per request. */
  aliases: 100,
  directives: 20,
  /** Brackets open at once; graphql-js parses recursively and overflows the stack near 2,000. */
  nesting: 64,
  /** Parsing stops here, before the quadratic validation rules see a huge document. */
  tokens: 8000,
  /** Longest text in one argument: names ≤ 200, notes ≤ 2,000; SQLite refuses LIKE patterns over 50,000 bytes. */
  stringChars: 10_000,
  /** Parsed documents kept for reuse: the app's own are < 2 KB (a 100-row delete ~25 KB is parsed each time). */
  cachedDocumentChars: 8 * 1024,
  cachedDocuments: 1000,
  /** graphql-armor's static cost (literal `first` multiplies); a 500-row page of every field fits. */
  cost: 100_000,
} as const;

/** The header the PWA sends so a cross-site form or image can't make a GraphQL request. */
export const CSRF_HEADER = 'x-graphql-yoga-csrf';

export type HardeningOptions = { production: boolean; log?: (line: string) => void };

const MESSAGES: Record<'UNEXPECTED' | 'UNSUPPORTED_TYPE' | 'TOO_NESTED' | 'STRING_TOO_LONG' | 'INVALID_CHARACTER' | 'JSON_TOO_LARGE', Record<Locale, string>> = {
  UNEXPECTED: {
    id: 'Terjadi kesalahan tak terduga di server. Kesalahan sudah dicatat; coba lagi atau hubungi admin.',
    en: 'Unexpected server error. It has been logged; try again or contact the admin.',
  },
  UNSUPPORTED_TYPE: {
    id: 'Jenis isi (Content-Type) tidak didukung: kirim application/json, atau multipart/form-data untuk berkas.',
    en: 'Unsupported Content-Type: send application/json, or multipart/form-data for files.',
  },
  TOO_NESTED: {
    id: `Kueri terlalu dalam bersarang (lebih dari ${LIMITS.nesting} tingkat kurung).`,
    en: `Query nested too deeply (more than ${LIMITS.nesting} levels of brackets).`,
  },
  STRING_TOO_LONG: {
    id: `Teks terlalu panjang (lebih dari ${LIMITS.stringChars.toLocaleString('id-ID')} karakter).`,
    en: `Text too long (more than ${LIMITS.stringChars.toLocaleString('en')} characters).`,
  },
  INVALID_CHARACTER: {
    id: 'Teks berisi karakter yang tidak bisa disimpan (NUL \\u0000 atau setengah pasangan surrogate UTF-16).',
    en: 'Text contains a character that cannot be stored (NUL \\u0000 or half a UTF-16 surrogate pair).',
  },
  JSON_TOO_LARGE: {
    id: `Permintaan terlalu besar (batas ${LIMITS.jsonBodyBytes / 1024 / 1024} MB untuk data; unggah berkas lewat formulir unggah).`,
    en: `Request too large (limit ${LIMITS.jsonBodyBytes / 1024 / 1024} MB for data; upload files through the upload form).`,
  },
};

/** NIKs (16 digits) never reach the log, even inside an error message or stack. */
export function scrubNiks(text: string): string {
  return text.replace(/(?<!\d)\d{16}(?!\d)/g, (nik) => maskNik(nik));
}

/** Options for createYoga: error masking, body size, and the plugins below. */
export function hardenedYogaOptions(
  options: HardeningOptions,
): Pick<YogaServerOptions<object, object>, 'maskedErrors' | 'maxRequestBodySize' | 'batching' | 'parserAndValidationCache'> & { plugins: Plugin[] } {
  const log = options.log ?? ((line: string) => console.error(line));
  return {
    // Unexpected errors (a bug, a database failure) reach the client as one sentence with code
    // INTERNAL_SERVER_ERROR, never with a stack or the original message — in development too
    // (isDev false); the details go to the server log. GraphQLErrors we throw (with codes) and the
    // typed errors of the Pothos errors plugin (data, not errors) pass unchanged.
    maskedErrors: {
      errorMessage: MESSAGES.UNEXPECTED.id,
      maskError(error, message) {
        const masked = maskError(error, message, false);
        if (masked !== error) {
          const original = (error as { originalError?: unknown }).originalError ?? error;
          log(scrubNiks(`Jemput: unexpected error: ${original instanceof Error ? (original.stack ?? original.message) : String(original)}`));
        }
        return masked;
      },
    },
    maxRequestBodySize: LIMITS.multipartBodyBytes,
    batching: false,
    // Yoga caches 1,000 parsed documents (and parse errors) whatever their size: a client sending
    // distinct large documents could pin gigabytes. Only small documents are kept.
    parserAndValidationCache: { documentCache: smallDocumentCache<DocumentNode>(), errorCache: smallDocumentCache<object>() },
    plugins: [
      useCSRFPrevention({ requestHeaders: [CSRF_HEADER] }),
      useJsonBodyLimit(LIMITS.jsonBodyBytes),
      EnvelopArmorPlugin({
        maxDepth: { n: LIMITS.depth, exposeLimits: true },
        maxAliases: { n: LIMITS.aliases, allowList: [] },
        maxDirectives: { n: LIMITS.directives },
        maxTokens: { n: LIMITS.tokens },
        costLimit: { maxCost: LIMITS.cost },
        // "Did you mean …?" would describe the schema that introspection no longer shows.
        blockFieldSuggestion: { enabled: options.production },
      }),
      useTextLimits(),
      ...(options.production ? [useNoIntrospection()] : []),
      useLocalizedUnexpectedError(),
    ],
  };
}

const unsupportedType = (request: Request) =>
  createGraphQLError(MESSAGES.UNSUPPORTED_TYPE[pickLocale(request.headers.get('accept-language'))], {
    extensions: { code: 'UNSUPPORTED_MEDIA_TYPE', http: { status: 415 } },
  });

function smallDocumentCache<T extends object>() {
  const lru = new LRUCache<string, T>({ max: LIMITS.cachedDocuments });
  return {
    get: (source: string) => lru.get(source),
    set: (source: string, value: T) => void (source.length <= LIMITS.cachedDocumentChars && lru.set(source, value)),
  };
}

/**
 * Non-multipart bodies get the small limit (Yoga's own maxRequestBodySize covers multipart), and
 * a POST no parser understands gets a 415 that says what to send instead of an empty answer.
 */
function useJsonBodyLimit(limit: number): Plugin {
  const tooLarge = (request: Request) =>
    createGraphQLError(MESSAGES.JSON_TOO_LARGE[pickLocale(request.headers.get('accept-language'))], {
      extensions: { code: 'REQUEST_ENTITY_TOO_LARGE', http: { status: 413 } },
    });
  return {
    onRequestParse({ request, requestParser, setRequestParser }) {
      if (!requestParser && request.method === 'POST') throw unsupportedType(request);
      if (request.headers.get('content-type')?.toLowerCase().startsWith('multipart/form-data')) return;
      const length = request.headers.get('content-length');
      if (length && /^\d+$/.test(length) && Number(length) > limit) throw tooLarge(request);
      if (!request.body || !requestParser || length) return;
      // No Content-Length (chunked): count while the parser reads.
      setRequestParser((original) => {
        let read = 0;
        const body = original.body!.pipeThrough(
          new TransformStream<Uint8Array, Uint8Array>({
            transform(chunk, controller) {
              read += chunk.byteLength;
              if (read > limit) controller.error(tooLarge(original));
              else controller.enqueue(chunk);
            },
          }),
        );
        return requestParser(new Request(original.url, { method: original.method, headers: original.headers, body, duplex: 'half' } as RequestInit));
      });
    },
  };
}

/**
 * Every text a client sends — in variables or written into the query — is at most
 * LIMITS.stringChars long and storable (see UNSTORABLE): a clear 400 instead of a
 * database error deep in a resolver.
 */
/** NUL (PostgreSQL refuses it) and lone UTF-16 surrogates (no UTF-8 form; JSON can carry them as \\ud800). */
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function useTextLimits(): Plugin {
  const problem = (text: string): 'STRING_TOO_LONG' | 'INVALID_CHARACTER' | null =>
    text.length > LIMITS.stringChars ? 'STRING_TOO_LONG' : UNSTORABLE.test(text) ? 'INVALID_CHARACTER' : null;
  const firstProblem = (value: unknown, depth = 0): ReturnType<typeof problem> => {
    if (typeof value === 'string') return problem(value);
    if (value === null || typeof value !== 'object' || depth > 64) return null;
    for (const item of Array.isArray(value) ? value : Object.values(value)) {
      const found = firstProblem(item, depth + 1);
      if (found) return found;
    }
    return null;
  };
  const error = (code: keyof typeof MESSAGES, locale: Locale) => createGraphQLError(MESSAGES[code][locale], { extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } } });
  return {
    onParams({ params, request }) {
      if (typeof params.query === 'string' && nestingDepth(params.query) > LIMITS.nesting) throw error('TOO_NESTED', pickLocale(request.headers.get('accept-language')));
      const found = firstProblem(params.variables);
      if (found) throw error(found, pickLocale(request.headers.get('accept-language')));
    },
    onValidate({ addValidationRule, context }) {
      const locale = pickLocale((context as { request?: Request }).request?.headers.get('accept-language'));
      addValidationRule((validation: ValidationContext) => ({
        StringValue(node: StringValueNode) {
          const found = problem(node.value);
          if (found) validation.reportError(new GraphQLError(MESSAGES[found][locale], { nodes: [node], extensions: { code: 'BAD_USER_INPUT' } }));
        },
      }));
    },
  };
}

/** Deepest bracket nesting, read with graphql's own lexer (strings and comments skipped), stopping once past the limit. */
export function nestingDepth(query: string): number {
  const lexer = new Lexer(new Source(query));
  let depth = 0;
  let deepest = 0;
  try {
    for (let token = lexer.advance(); token.kind !== TokenKind.EOF; token = lexer.advance()) {
      if (token.kind === TokenKind.BRACE_L || token.kind === TokenKind.BRACKET_L || token.kind === TokenKind.PAREN_L) deepest = Math.max(deepest, ++depth);
      else if (token.kind === TokenKind.BRACE_R || token.kind === TokenKind.BRACKET_R || token.kind === TokenKind.PAREN_R) depth--;
      if (deepest > LIMITS.nesting) break;
    }
  } catch {
    // A syntax error: the parser reports it properly.
  }
  return deepest;
}

function useNoIntrospection(): Plugin {
  return {
    onValidate({ addValidationRule }) {
      addValidationRule(NoSchemaIntrospectionCustomRule);
    },
  };
}

/**
 * The masked message in the caller's language (maskError itself can't see the request), and no
 * `originalError` extension (Yoga adds one to request-parsing errors) in any answer.
 */
function useLocalizedUnexpectedError(): Plugin {
  return {
    onResultProcess({ request, result, setResult }) {
      const english = pickLocale(request.headers.get('accept-language')) === 'en';
      const clean = (e: GraphQLError) => {
        if (!(english && e.extensions?.unexpected) && !e.extensions?.originalError) return e;
        const { originalError: _dropped, ...extensions } = e.extensions;
        return createGraphQLError(english && e.extensions.unexpected ? MESSAGES.UNEXPECTED.en : e.message, { extensions, path: e.path ?? undefined, nodes: e.nodes ?? undefined, source: e.source, positions: e.positions });
      };
      const localize = (one: ExecutionResult) => (one.errors?.length ? { ...one, errors: one.errors.map(clean) } : one);
      if (Array.isArray(result)) setResult(result.map(localize));
      else if (!(Symbol.asyncIterator in result)) setResult(localize(result as ExecutionResult));
    },
  };
}

// ---------------------------------------------------------------- HTTP headers

/**
 * The built PWA's policy: only its own scripts (vite emits no inline script), styles inline too
 * because AG Grid injects its theme as <style> elements, images/fonts also as data: URIs (grid
 * icons), the API on the same origin, the service worker and manifest from 'self'; never framed.
 */
export const APP_CSP: Record<string, string[]> = {
  'default-src': ["'self'"],
  'script-src': ["'self'"],
  'script-src-attr': ["'none'"],
  'style-src': ["'self'", "'unsafe-inline'"],
  'img-src': ["'self'", 'data:', 'blob:'],
  'font-src': ["'self'", 'data:'],
  'connect-src': ["'self'"],
  'worker-src': ["'self'"],
  'manifest-src': ["'self'"],
  'object-src': ["'none'"],
  'base-uri': ["'self'"],
  'form-action': ["'self'"],
  'frame-ancestors': ["'none'"],
};

export const PERMISSIONS_POLICY = 'camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), bluetooth=(), interest-cohort=()';

/**
 * True when the browser reached us over HTTPS: directly (TLS) or through a proxy that says so. The
 * proxy's word counts only with JEMPUT_TRUST_PROXY=1, as for the session cookie's Secure flag: on
 * a plain-http office LAN a forged header must not pin a browser to https.
 */
function isHttps(req: IncomingMessage): boolean {
  if ((req.socket as TLSSocket).encrypted) return true;
  return process.env.JEMPUT_TRUST_PROXY === '1' && req.headers['x-forwarded-proto']?.toString().split(',')[0]?.trim() === 'https';
}

/**
 * Sets the security headers on a response before anything is written (helmet's defaults, tuned):
 * the app's CSP on pages; on /graphql a deny-all CSP unless GraphiQL (which loads from a CDN) is
 * on; HSTS and upgrade-insecure-requests only over HTTPS, so an office LAN on plain http works.
 */
export function createSecurityHeaders(options: { graphiql: boolean }): (req: IncomingMessage, res: ServerResponse) => void {
  const variants = new Map<string, ReturnType<typeof helmet>>();
  const pick = (api: boolean, https: boolean) => {
    const key = `${api}:${https}`;
    let middleware = variants.get(key);
    if (!middleware) {
      const directives: Record<string, string[]> = api ? { 'default-src': ["'none'"], 'frame-ancestors': ["'none'"] } : { ...APP_CSP };
      if (!api && https) directives['upgrade-insecure-requests'] = [];
      middleware = helmet({
        contentSecurityPolicy: api && options.graphiql ? false : { useDefaults: false, directives },
        strictTransportSecurity: https ? { maxAge: 31_536_000, includeSubDomains: true } : false,
        frameguard: { action: 'deny' },
        referrerPolicy: { policy: 'no-referrer' },
        crossOriginOpenerPolicy: { policy: 'same-origin' },
        crossOriginResourcePolicy: { policy: 'same-origin' },
      });
      variants.set(key, middleware);
    }
    return middleware;
  };
  return (req, res) => {
    const api = req.url?.startsWith('/graphql') ?? false;
    // helmet's middleware is synchronous; `next` only reports an invalid configuration.
    pick(api, isHttps(req))(req, res, (error?: unknown) => {
      if (error) throw error;
    });
    res.setHeader('Permissions-Policy', PERMISSIONS_POLICY);
  };
}
