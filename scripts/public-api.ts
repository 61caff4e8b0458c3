// Lists the public API of src/resilience (every export of its index, values and types) with whether each has a
// doc comment. Used by tests/unit/resilience/publicApi.test.ts; `npx tsx scripts/public-api.ts` prints it.
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

export interface PublicExport {
  readonly name: string;
  readonly kind: 'value' | 'type';
  readonly documented: boolean;
}

const ENTRY = fileURLToPath(new URL('../src/resilience/index.ts', import.meta.url));

export function listPublicApi(entry = ENTRY): PublicExport[] {
  const program = ts.createProgram([entry], { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler, strict: true, noEmit: true, skipLibCheck: true });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(entry);
  const moduleSymbol = source && checker.getSymbolAtLocation(source);
  if (!moduleSymbol) throw new Error(`Cannot read the exports of ${entry}`);
  return checker
    .getExportsOfModule(moduleSymbol)
    .map((symbol) => {
      const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
      const isValue = (target.flags & ts.SymbolFlags.Value) !== 0;
      const documented = (target.declarations ?? []).some((declaration) => ts.getJSDocCommentsAndTags(declaration).length > 0 || hasLeadingDoc(declaration));
      return { name: symbol.name, kind: isValue ? ('value' as const) : ('type' as const), documented };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** A `/** … *\/` right above the declaration (or above its `export const` statement). */
function hasLeadingDoc(node: ts.Node): boolean {
  const holder = ts.isVariableDeclaration(node) ? node.parent.parent : node;
  const text = holder.getSourceFile().getFullText();
  return (ts.getLeadingCommentRanges(text, holder.getFullStart()) ?? []).some((range) => text.startsWith('/**', range.pos));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const api = listPublicApi();
  for (const entry of api) console.log(`${entry.kind.padEnd(5)} ${entry.documented ? '   ' : 'NO '} ${entry.name}`);
  console.log(`${api.length} exports, ${api.filter((e) => e.kind === 'value').length} values, ${api.filter((e) => !e.documented).length} undocumented`);
}
