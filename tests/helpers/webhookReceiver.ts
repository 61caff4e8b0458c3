import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedCall {
  headers: IncomingMessage['headers'];
  body: string;
  json: unknown;
}

/** How the receiver answers a call: a status, or 'drop' to cut the connection (a network error for the sender). */
export type ReceiverAnswer = number | 'drop' | { status: number; headers: Record<string, string> };

export interface WebhookReceiver {
  url: string;
  calls: ReceivedCall[];
  /** Answers of the next calls, in order; once used up, every call gets 200. */
  answers: ReceiverAnswer[];
  close(): Promise<void>;
}

/** A real HTTP receiver on 127.0.0.1 (port 0) that records every call's headers and raw body. */
export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const calls: ReceivedCall[] = [];
  const answers: ReceiverAnswer[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      let json: unknown;
      try {
        json = JSON.parse(body);
      } catch {
        json = undefined;
      }
      calls.push({ headers: req.headers, body, json });
      const answer = answers.shift() ?? 200;
      if (answer === 'drop') {
        req.socket.destroy();
        return;
      }
      const { status, headers } = typeof answer === 'number' ? { status: answer, headers: {} } : answer;
      res.writeHead(status, { 'Content-Type': 'text/plain', ...headers });
      res.end(String(status));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    calls,
    answers,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
