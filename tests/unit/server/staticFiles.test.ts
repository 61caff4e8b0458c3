import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createStaticFiles } from '../../../server/static/staticFiles';

describe('static files: the service worker and the hashed assets', () => {
  let root: string;
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'tutor-static-'));
    mkdirSync(join(root, 'assets'));
    writeFileSync(join(root, 'index.html'), '<!doctype html>');
    writeFileSync(join(root, 'sw.js'), 'self.addEventListener("fetch", () => {});');
    writeFileSync(join(root, 'assets', 'index-abc.js'), 'export {};');
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('serves sw.js as JavaScript that is revalidated on every update check', async () => {
    const reply = await createStaticFiles(root)('/sw.js');
    expect(reply?.status).toBe(200);
    expect(reply?.headers).toMatchObject({ 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'no-cache' });
  });

  it('serves hashed assets as immutable and index.html as no-cache', async () => {
    const serve = createStaticFiles(root);
    expect((await serve('/assets/index-abc.js'))?.headers).toMatchObject({ 'Cache-Control': 'public, max-age=31536000, immutable' });
    expect((await serve('/'))?.headers).toMatchObject({ 'Cache-Control': 'no-cache' });
  });

  it('an old chunk removed by a deploy is a 404, never the shell', async () => {
    expect(await createStaticFiles(root)('/assets/TutorChat-old.js')).toBeNull();
  });
});
