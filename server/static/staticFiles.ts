import { readFile, stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import type { Reply } from '../http/reply';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

async function readIfFile(path: string): Promise<Buffer | null> {
  try {
    return (await stat(path)).isFile() ? await readFile(path) : null;
  } catch {
    return null;
  }
}

/**
 * Cache rules: hashed build assets never change (immutable); everything else, above all index.html and
 * the service worker, must be revalidated so a deploy is picked up.
 */
function cacheControl(relativePath: string): string {
  return relativePath.startsWith('assets/') ? 'public, max-age=31536000, immutable' : 'no-cache';
}

/**
 * Source maps stay in the build for upload to an error tracker (the build makes them "hidden": no JS file
 * names them) but are never served: they would publish the app's source.
 */
function isSourceMap(path: string): boolean {
  return extname(path).toLowerCase() === '.map';
}

/**
 * Serves the built app from `root`. Paths without an extension fall back to index.html (client-side
 * routes); a missing file with an extension is a 404, so a missing chunk fails loudly instead of
 * arriving as HTML. Source maps are a 404. Returns null when nothing is served (the caller answers 404).
 */
export function createStaticFiles(root: string) {
  const base = resolve(root);
  return async function serve(pathname: string): Promise<Reply | null> {
    let decoded: string;
    try {
      decoded = decodeURIComponent(pathname);
    } catch {
      return null;
    }
    if (decoded.includes('\0')) return null;
    const relativePath = decoded.replace(/^\/+/, '') || 'index.html';
    const full = resolve(base, relativePath);
    if (full !== base && !full.startsWith(base + sep)) return null;
    if (isSourceMap(full)) return null;
    const file = await readIfFile(full);
    if (file) {
      const type = CONTENT_TYPES[extname(full).toLowerCase()] ?? 'application/octet-stream';
      return { status: 200, body: file, headers: { 'Content-Type': type, 'Cache-Control': cacheControl(relativePath) } };
    }
    if (extname(relativePath) !== '') return null;
    const index = await readIfFile(join(base, 'index.html'));
    return index && { status: 200, body: index, headers: { 'Content-Type': CONTENT_TYPES['.html'] ?? 'text/html', 'Cache-Control': 'no-cache' } };
  };
}

export type StaticFiles = ReturnType<typeof createStaticFiles>;
