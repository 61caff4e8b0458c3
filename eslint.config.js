import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

const layerRule = (forbidden, why) => ({
  'no-restricted-imports': [
    'error',
    { patterns: forbidden.map((group) => ({ group: [group], message: why })) },
  ],
});

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  // Dependency direction (docs/architecture.md): app → react → resilience. The runtime imports nothing outside
  // src/resilience but its one storage library: no UI, no app, no wire protocol, no server.
  {
    files: ['src/resilience/**'],
    rules: layerRule(
      ['react', 'react-dom', 'zustand', '@sentry/*', 'workbox-*', '**/react/**', '**/app/**', '**/protocol/**', '**/server/**', '**/sw/**'],
      'src/resilience stands alone: it imports only its own modules (and idb-keyval); the app injects what it needs.',
    ),
  },
  {
    files: ['src/react/**'],
    rules: layerRule(['**/app/**'], 'src/react never imports the app.'),
  },
  {
    files: ['src/protocol/**'],
    rules: layerRule(['react', '**/resilience/**', '**/react/**', '**/app/**'], 'src/protocol holds wire types only.'),
  },
);
