import { build, type Rolldown } from 'vite';
import { gzipSync } from 'node:zlib';

/**
 * The runtime stands on its own: bundled from its public entry alone, it carries no word of the tutoring app
 * (its wire format, op types, lessons or tutor). Comments are stripped by the minifier, so what is left is code,
 * property names and messages.
 */
const APP_WORDS = [/\/api\/answers/i, /X-Student-Id/i, /voice_session/i, /ai_tutoring/i, /lesson/i, /tutor/i];

describe('src/resilience bundled on its own', () => {
  it('contains none of the app\'s words, and prints its size', async () => {
    // Vite (the app's own bundler) in library mode, without the app's config: the runtime's entry only.
    const output = (await build({
      configFile: false,
      logLevel: 'silent',
      build: { lib: { entry: 'src/resilience/index.ts', formats: ['es'], fileName: 'resilience' }, minify: true, write: false, target: 'es2022' },
    })) as Rolldown.RolldownOutput | Rolldown.RolldownOutput[];
    const chunks = (Array.isArray(output) ? output : [output]).flatMap((result) => result.output);
    const code = chunks.map((chunk) => (chunk.type === 'chunk' ? chunk.code : '')).join('\n');
    expect(code.length).toBeGreaterThan(10_000);
    const found = APP_WORDS.filter((word) => word.test(code)).map(String);
    expect(found).toEqual([]);
    console.info(`src/resilience alone: ${(code.length / 1024).toFixed(1)} KB minified, ${(gzipSync(code).length / 1024).toFixed(1)} KB gzip`);
  }, 30_000);
});
