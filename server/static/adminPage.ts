import type { StaticFiles } from './staticFiles';

const ADMIN_PAGE = /^\/admin\/?$/;
const ADMIN_FILE = /^\/admin\.html$/i;

/**
 * The admin page exists only with ADMIN_TOKEN, like the admin API: /admin serves the built admin.html, and
 * without the token /admin and /admin.html are a 404 (not the student app's SPA fallback). Its scripts under
 * /assets/ hold no secret (every request it makes needs the token).
 */
export function withAdminPage(serve: StaticFiles, adminEnabled: boolean): StaticFiles {
  return async (pathname) => {
    if (ADMIN_FILE.test(pathname) || pathname.startsWith('/admin/')) return ADMIN_PAGE.test(pathname) && adminEnabled ? serve('/admin.html') : null;
    if (ADMIN_PAGE.test(pathname)) return adminEnabled ? serve('/admin.html') : null;
    return serve(pathname);
  };
}
