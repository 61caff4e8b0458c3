import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestServer, type TestServer } from '../../helpers/server';
import flagsFile from '../../../feature-flags.json';

const postFlags = (server: TestServer, body: unknown) =>
  fetch(`${server.url}/__flags`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

describe('GET /api/flags and POST /__flags', () => {
  let server: TestServer;
  afterEach(async () => {
    await server.close();
  });

  it('serves the bundled file with a strong ETag, answers 304 to If-None-Match, and a new tag after a change', async () => {
    server = await startTestServer();
    const first = await fetch(`${server.url}/api/flags`);
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual(flagsFile);
    const etag = first.headers.get('etag');
    expect(etag).toMatch(/^"[0-9a-f]{32}"$/);

    const again = await fetch(`${server.url}/api/flags`, { headers: { 'If-None-Match': etag ?? '' } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');

    expect((await postFlags(server, { flags: { outbox: { enabled: false } } })).status).toBe(200);
    const changed = await fetch(`${server.url}/api/flags`, { headers: { 'If-None-Match': etag ?? '' } });
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).not.toBe(etag);
    const body = (await changed.json()) as typeof flagsFile;
    expect(body.flags.outbox).toEqual({ ...flagsFile.flags.outbox, enabled: false });
    // Written to DATA_DIR, so it survives a restart.
    expect(JSON.parse(readFileSync(join(server.dataDir, 'feature-flags.json'), 'utf8'))).toEqual(body);
  });

  it('refuses an invalid change with 400 naming the problem, and keeps serving the flags it had', async () => {
    server = await startTestServer();
    const before = await (await fetch(`${server.url}/api/flags`)).text();
    const refused = await postFlags(server, { flags: { outbox: { enabled: 'off' } } });
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toMatch(/flag "outbox" has "enabled" "off"/);
    expect(await (await fetch(`${server.url}/api/flags`)).text()).toBe(before);
  });

  it('serves FLAGS_FILE when given, ignores HTTP chaos, and answers 500 (clients keep their flags) when the file is invalid', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flags-file-'));
    const file = join(dir, 'flags.json');
    writeFileSync(file, JSON.stringify({ flags: { ...flagsFile.flags, outbox: { ...flagsFile.flags.outbox, enabled: false } } }));
    try {
      server = await startTestServer({ flagsFile: file });
      await server.chaos({ http: { failRate: 1, status: 503 } });
      const served = (await (await fetch(`${server.url}/api/flags`)).json()) as typeof flagsFile;
      expect(served.flags.outbox.enabled).toBe(false);
      writeFileSync(file, '{ "flags": ');
      const broken = await fetch(`${server.url}/api/flags`);
      expect(broken.status).toBe(500);
      expect(((await broken.json()) as { error: { code: string } }).error.code).toBe('FLAGS_INVALID');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('has no POST /__flags in production', async () => {
    server = await startTestServer({ production: true });
    expect((await postFlags(server, { flags: { outbox: { enabled: false } } })).status).toBe(404);
    expect((await fetch(`${server.url}/api/flags`)).status).toBe(200);
  });
});
