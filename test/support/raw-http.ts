import { connect } from 'node:net';

/** A response read off a raw socket. */
export interface RawReply {
  readonly status: number;
  /** Header names lower-cased. */
  readonly headers: Readonly<Record<string, string>>;
  readonly text: string;
  readonly json: unknown;
  /** ms from the first byte sent to the server closing the connection. */
  readonly elapsedMs: number;
}

export interface RawRequest {
  /** Sent at once. */
  readonly head: string | Buffer;
  /** Sent one after the other, `everyMs` apart, while the connection stays open. */
  readonly trickle?: readonly string[];
  readonly everyMs?: number;
}

/**
 * Writes bytes to the server as they are, for requests fetch cannot make (malformed, oversized,
 * sent slowly), and reads the one response it answers with before closing the connection.
 * Rejects when the server closes without answering.
 */
export function rawRequest(url: string, request: RawRequest): Promise<RawReply> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const chunks: Buffer[] = [];
    const socket = connect(Number(port), hostname);
    let timer: NodeJS.Timeout | undefined;
    socket.on('error', () => undefined);
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('close', () => {
      clearInterval(timer);
      const raw = Buffer.concat(chunks).toString('utf8');
      const end = raw.indexOf('\r\n\r\n');
      const status = /^HTTP\/1\.1 (\d{3})/.exec(raw);
      if (end === -1 || !status) {
        reject(new Error(`no HTTP response before the connection closed: ${JSON.stringify(raw)}`));
        return;
      }
      const headers: Record<string, string> = {};
      for (const line of raw.slice(0, end).split('\r\n').slice(1)) {
        const colon = line.indexOf(':');
        headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
      }
      const text = raw.slice(end + 4);
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
      resolve({ status: Number(status[1]), headers, text, json, elapsedMs: Date.now() - started });
    });
    socket.on('connect', () => {
      socket.write(request.head);
      const rest = [...(request.trickle ?? [])];
      timer = setInterval(() => {
        const next = rest.shift();
        if (next === undefined || socket.destroyed) clearInterval(timer);
        else socket.write(next);
      }, request.everyMs ?? 100);
    });
  });
}
