// Fails `npm test` early, with instructions, when no Chromium is installed for the end-to-end tests.
import { findChromium } from './find-chromium.mjs';

const path = findChromium();
if (!path) {
  console.error(
    [
      'No Chromium found for the end-to-end tests.',
      'Install Debian\'s package:   sudo apt-get update && sudo apt-get install -y chromium',
      'or point CHROMIUM_PATH at a Chromium/Chrome executable.',
    ].join('\n'),
  );
  process.exit(1);
}
console.log(`End-to-end tests will use ${path}`);
