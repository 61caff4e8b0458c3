import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestServer, type TestServer } from '../../helpers/server';

// A build keeps its source maps (hidden, for upload to an error tracker); the server must never publish them.
describe('the built app is served without its source maps', () => {
  let staticDir: string;
  beforeAll(() => {
    staticDir = mkdtempSync(join(tmpdir(), 'tutor-static-maps-'));
    mkdirSync(join(staticDir, 'assets'));
    writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>Tutor</title>');
    writeFileSync(join(staticDir, 'assets', 'index-abcd.js'), 'console.log(1)');
    writeFileSync(join(staticDir, 'assets', 'index-abcd.js.map'), '{"version":3,"sources":["src/main.tsx"]}');
    writeFileSync(join(staticDir, 'root.MAP'), '{}');
  });
  afterAll(() => rmSync(staticDir, { recursive: true, force: true }));

  for (const production of [true, false]) {
    describe(production ? 'in production mode' : 'outside production mode', () => {
      let server: TestServer;
      beforeAll(async () => {
        server = await startTestServer({ staticDir, production });
      });
      afterAll(() => server.close());

      it('answers 404 for every .map path, however it is spelt, and still serves the JS', async () => {
        expect((await fetch(`${server.url}/assets/index-abcd.js`)).status).toBe(200);
        for (const path of ['/assets/index-abcd.js.map', '/assets/index-abcd.js%2Emap', '/root.MAP', '/assets/index-abcd.js.map/', '/assets/missing.js.map']) {
          const response = await fetch(`${server.url}${path}`);
          expect({ path, status: response.status }).toEqual({ path, status: 404 });
          expect(await response.text()).not.toContain('"sources"');
        }
        const head = await fetch(`${server.url}/assets/index-abcd.js.map`, { method: 'HEAD' });
        expect(head.status).toBe(404);
      });
    });
  }
});
