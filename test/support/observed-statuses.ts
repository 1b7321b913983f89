import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';

/**
 * Every status the e2e suites see a sample app answer, checked against the OpenAPI document that
 * same app serves at /docs-json: a status a route answered that its operation does not list is
 * an undocumented response. Recorded on the server side (Node's `http.server.response.finish`
 * channel), so that requests of every kind count, raw sockets included; a sample app run as a
 * process of its own records through test/support/record-statuses.mjs.
 */

interface Operation {
  readonly responses?: Record<string, unknown>;
}
interface Document {
  readonly paths: Record<string, Record<string, Operation>>;
}

/** One answer: the request's method and target, and the status it got. */
export interface Observation {
  readonly method: string;
  readonly url: string;
  readonly status: number;
}

interface ObservedApp {
  readonly label: string;
  readonly document: Promise<Document>;
  readonly observations: Observation[];
}

const apps: ObservedApp[] = [];
const byServer = new Map<object, ObservedApp>();
const CHANNEL = 'http.server.response.finish';

function onFinish(message: unknown): void {
  const { server, request, response } = message as {
    server: object;
    request: IncomingMessage;
    response: ServerResponse;
  };
  byServer.get(server)?.observations.push({
    method: request.method ?? '',
    url: request.url ?? '',
    status: response.statusCode,
  });
}

/** The document a running sample app serves; fetched once it listens. */
async function documentOf(url: string): Promise<Document> {
  const response = await fetch(`${url}/docs-json`);
  if (response.status !== 200) throw new Error(`${url}/docs-json answered ${response.status}`);
  return (await response.json()) as Document;
}

/** Records what the sample app listening on `server` answers, until `stop` is called. */
export function observeServer(server: Server, url: string, label: string): () => void {
  const app: ObservedApp = { label, document: documentOf(url), observations: [] };
  // A failed fetch is reported by the check, not as an unhandled rejection now.
  app.document.catch(() => undefined);
  apps.push(app);
  if (byServer.size === 0) subscribe(CHANNEL, onFinish);
  byServer.set(server, app);
  return () => {
    byServer.delete(server);
    if (byServer.size === 0) unsubscribe(CHANNEL, onFinish);
  };
}

/** Records answers a sample app in another process reported (record-statuses.mjs). */
export function observeProcess(url: string, label: string): (observations: Observation[]) => void {
  const app: ObservedApp = { label, document: documentOf(url), observations: [] };
  app.document.catch(() => undefined);
  apps.push(app);
  return (observations) => app.observations.push(...observations);
}

/** An OpenAPI path template as a pattern of the paths it stands for. */
function pattern(template: string): RegExp {
  const parts = template
    .split(/\{[^}]+\}/)
    .map((text) => text.replace(/[.*+?^$()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${parts.join('[^/]+')}$`);
}

/**
 * The operation that answers `method` on `path`: a template without parameters before one with
 * (as both routers prefer a static segment); HEAD as GET where no HEAD is documented.
 */
export function operationFor(
  document: Document,
  method: string,
  path: string,
): { template: string; operation: Operation } | undefined {
  const templates = Object.keys(document.paths)
    .filter((template) => pattern(template).test(path))
    .sort((a, b) => a.split('{').length - b.split('{').length);
  for (const template of templates) {
    const item = document.paths[template];
    const operation = item[method.toLowerCase()] ?? (method === 'HEAD' ? item.get : undefined);
    if (operation) return { template, operation };
  }
  return undefined;
}

/** Every recorded answer whose status its operation does not document, one line each. */
export async function undocumentedAnswers(): Promise<string[]> {
  const found = new Set<string>();
  for (const app of apps) {
    let document: Document;
    try {
      document = await app.document;
    } catch (error) {
      found.add(`${app.label}: no document (${(error as Error).message})`);
      continue;
    }
    for (const { method, url, status } of app.observations) {
      // Matched as the routers match it: raw, before any %-decoding.
      const path = url.split('?')[0];
      const match = operationFor(document, method, path);
      if (!match) continue;
      const responses = match.operation.responses ?? {};
      const documented =
        String(status) in responses ||
        `${String(status)[0]}XX` in responses ||
        'default' in responses;
      if (!documented) found.add(`${app.label}: ${method} ${match.template} answered ${status}`);
    }
  }
  apps.length = 0;
  return [...found].sort();
}
