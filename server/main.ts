import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { optionsFromEnv } from './config';
import { createTutorServer, type TutorServer, type TutorServerOptions } from './createServer';
import { describeListenError, probeListen } from './listenCheck';

/** A problem the operator fixes (bad setting, busy port): one line on stderr and exit code 1, no stack. */
function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

let options: TutorServerOptions;
try {
  options = optionsFromEnv(process.env);
} catch (error) {
  fail(error instanceof Error ? error.message : String(error));
}
const host = options.host ?? '127.0.0.1';
const port = options.port ?? 8787;
// Checked before the database is opened: a second server on the same DATA_DIR must not touch the running one's data.
const busy = port === 0 ? null : await probeListen(host, port);
if (busy) fail(describeListenError(busy, host, port) ?? `Cannot listen on ${host}:${port}: ${busy.message}`);
let server: TutorServer;
try {
  server = await createTutorServer(options);
} catch (error) {
  const message = describeListenError(error, host, port);
  if (message === null) throw error;
  fail(message);
}
console.log(`Tutor server listening on ${server.url}`);
console.log(`  data: ${options.dataDir}`);
if (options.staticDir && !existsSync(join(options.staticDir, 'index.html'))) {
  console.log(`  no built app in ${options.staticDir} (run npm run build); serving the API only`);
}
if (server.devEndpoints) console.log('  development endpoints on: /__chaos /__stats /__reset /__sentry');
else if (options.chaos) console.log('  CHAOS=1 ignored: NODE_ENV=production refuses development endpoints');

let stopping = false;
function shutdown(signal: string): void {
  if (stopping) process.exit(1); // a second Ctrl-C means "now"
  stopping = true;
  console.log(`${signal}: shutting down`);
  server.close().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
process.on('SIGINT', () => shutdown('SIGINT'));
process.on('SIGTERM', () => shutdown('SIGTERM'));
