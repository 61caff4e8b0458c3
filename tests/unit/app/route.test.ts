import { describe, expect, it } from 'vitest';
import { lessonHref, parseRoute } from '../../../src/app/routing/route';

describe('hash routes', () => {
  it('a lesson address opens that lesson', () => {
    expect(parseRoute('#/lessons/fractions')).toEqual({ page: 'lesson', lessonId: 'fractions' });
    expect(parseRoute('#/lessons/fractions/')).toEqual({ page: 'lesson', lessonId: 'fractions' });
  });

  it('round-trips lesson ids that need escaping', () => {
    expect(parseRoute(lessonHref('a b/c'))).toEqual({ page: 'lesson', lessonId: 'a b/c' });
  });

  it('anything else is the lesson list', () => {
    for (const hash of ['', '#', '#/', '#/lessons', '#/lessons/', '#/nope/x', '#/lessons/%E0%A4%A']) {
      expect(parseRoute(hash)).toEqual({ page: 'lessons' });
    }
  });
});
