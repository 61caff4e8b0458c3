/** The path of a Chromium executable (CHROMIUM_PATH or a Debian location), or null. */
export declare function findChromium(): string | null;
