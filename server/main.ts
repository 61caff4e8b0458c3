import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { optionsFromEnv } from './config';
import { createTutorServer } from './createServer';

const options = optionsFromEnv(process.env);
const server = await createTutorServer(options);
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
