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
  // Dependency direction (DESIGN §2): app → react → resilience. The runtime never imports the UI.
  {
    files: ['src/resilience/**'],
    rules: layerRule(['react', 'react-dom', 'zustand', '**/react/**', '**/app/**'], 'src/resilience is framework-free and never imports react/ or app/.'),
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
