/** The app's pages, addressed by the URL hash so a reload (or a shared link) lands on the same page. */
export type Route = { page: 'lessons' } | { page: 'lesson'; lessonId: string };

/** Reads a hash such as `#/lessons/fractions`; anything unknown is the lesson list. */
export function parseRoute(hash: string): Route {
  const match = /^#\/lessons\/([^/?#]+)\/?$/.exec(hash);
  if (!match?.[1]) return { page: 'lessons' };
  try {
    return { page: 'lesson', lessonId: decodeURIComponent(match[1]) };
  } catch {
    return { page: 'lessons' };
  }
}

export function lessonHref(lessonId: string): string {
  return `#/lessons/${encodeURIComponent(lessonId)}`;
}

export const LESSONS_HREF = '#/';
