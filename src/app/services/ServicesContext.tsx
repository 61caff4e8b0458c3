import { createContext, useContext, type ReactNode } from 'react';
import type { TutorServices } from './types';

const ServicesContext = createContext<TutorServices | null>(null);

export function ServicesProvider({ services, children }: { services: TutorServices; children: ReactNode }) {
  return <ServicesContext.Provider value={services}>{children}</ServicesContext.Provider>;
}

/** The services of the signed-in student. Only rendered below ServicesProvider, so missing is a bug. */
export function useServices(): TutorServices {
  const services = useContext(ServicesContext);
  if (!services) throw new Error('useServices() needs a <ServicesProvider> above it');
  return services;
}
