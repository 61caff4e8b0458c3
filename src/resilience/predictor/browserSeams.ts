import type { PressureState } from './predictorTypes';

/** The browser APIs the collector reads, as seams: tests pass fakes, or leave a member out for "absent". */
export interface BrowserSignalSeams {
  readonly PerformanceObserver?: PerformanceObserverLike;
  readonly performance?: {
    /** Chromium only, non-standard. */
    readonly memory?: { readonly usedJSHeapSize: number; readonly jsHeapSizeLimit: number };
    /** Only usable when the page is cross-origin isolated. */
    readonly measureUserAgentSpecificMemory?: () => Promise<{ readonly bytes: number }>;
  };
  readonly crossOriginIsolated?: boolean;
  readonly PressureObserver?: PressureObserverConstructor;
  readonly navigator?: {
    readonly connection?: { readonly effectiveType?: string; readonly rtt?: number; readonly saveData?: boolean };
    readonly deviceMemory?: number;
  };
}

export interface PerformanceObserverLike {
  new (callback: (list: { getEntries(): readonly { readonly duration: number }[] }) => void): {
    observe(options: { type: string; buffered?: boolean }): void;
    disconnect(): void;
  };
  readonly supportedEntryTypes?: readonly string[];
}

export type PressureObserverConstructor = new (callback: (records: readonly { readonly state: PressureState }[]) => void) => {
  observe(source: 'cpu', options?: { sampleInterval?: number }): Promise<void>;
  disconnect(): void;
};

/** The page's own APIs, each only where it exists. */
export function pageSignalSeams(): BrowserSignalSeams {
  const scope = globalThis as unknown as {
    PerformanceObserver?: PerformanceObserverLike;
    performance?: BrowserSignalSeams['performance'];
    crossOriginIsolated?: boolean;
    PressureObserver?: PressureObserverConstructor;
    navigator?: BrowserSignalSeams['navigator'];
    document?: unknown;
  };
  // Outside a document (Node, workers without these APIs) the collector uses the bus only.
  if (scope.document === undefined) return {};
  return {
    ...(scope.PerformanceObserver ? { PerformanceObserver: scope.PerformanceObserver } : {}),
    ...(scope.performance ? { performance: scope.performance } : {}),
    ...(scope.crossOriginIsolated === undefined ? {} : { crossOriginIsolated: scope.crossOriginIsolated }),
    ...(scope.PressureObserver ? { PressureObserver: scope.PressureObserver } : {}),
    ...(scope.navigator ? { navigator: scope.navigator } : {}),
  };
}
