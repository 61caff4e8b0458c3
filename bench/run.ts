/** `npm run bench`: runs every Node benchmark part and prints its figures. Figures are reported, never asserted. */
import { runApiOverheadNode } from './apiOverhead.node.js'; // explicit .js: tsx would take a bare ".node" for a native addon

const parts: { name: string; run: () => Promise<string> }[] = [{ name: 'api overhead (node)', run: () => runApiOverheadNode() }];

for (const part of parts) {
  console.log(`\n## ${part.name}\n`);
  console.log(await part.run());
}
