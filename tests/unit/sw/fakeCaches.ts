import type { CacheLike, CacheStorageLike } from '../../../src/sw/retainedAssets';

/** An in-memory Cache Storage (Node has none): keys are URLs, bodies are kept as text. */
export function fakeCaches(): CacheStorageLike & { names(): string[]; urls(name: string): string[] } {
  const stores = new Map<string, Map<string, { body: string; init: ResponseInit }>>();
  const keyOf = (request: Request | string) => (typeof request === 'string' ? request : request.url);
  const cache = (entries: Map<string, { body: string; init: ResponseInit }>): CacheLike => ({
    keys: async () => [...entries.keys()].map((url) => new Request(url)),
    match: async (request) => {
      const entry = entries.get(keyOf(request));
      return entry ? new Response(entry.body, entry.init) : undefined;
    },
    put: async (request, response) => {
      entries.set(keyOf(request), { body: await response.text(), init: { status: response.status, headers: response.headers } });
    },
    delete: async (request) => entries.delete(keyOf(request)),
  });
  return {
    open: async (name) => {
      if (!stores.has(name)) stores.set(name, new Map());
      return cache(stores.get(name)!);
    },
    has: async (name) => stores.has(name),
    delete: async (name) => stores.delete(name),
    names: () => [...stores.keys()],
    urls: (name) => [...(stores.get(name)?.keys() ?? [])],
  };
}
