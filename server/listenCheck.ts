import { createServer } from 'node:net';

/** The listen error (EADDRINUSE, EACCES, …) that binding `host:port` meets right now, or null when it is free. */
export function probeListen(host: string, port: number): Promise<NodeJS.ErrnoException | null> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', (error: NodeJS.ErrnoException) => resolve(error));
    probe.listen({ host, port, exclusive: true }, () => probe.close(() => resolve(null)));
  });
}

/**
 * One line an operator can act on for a failure to listen, or null for anything else (a bug, shown with its stack).
 * `variable` is the setting that picks the port (`PORT`, or `API_PORT` under `npm run dev`).
 */
export function describeListenError(error: unknown, host: string, port: number, variable = 'PORT'): string | null {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (code === 'EADDRINUSE') return `Port ${port} is in use — set ${variable}=… to another port, or stop what is using it.`;
  if (code === 'EACCES') return `Port ${port} needs privileges on this machine — set ${variable}=… to a port from 1024 up.`;
  if (code === 'EADDRNOTAVAIL') return `HOST ${host} is not an address of this machine — set HOST=… (default 127.0.0.1).`;
  return null;
}
