import { useEffect, useRef, type ReactNode } from 'react';

/**
 * The page's h1, focused when it appears: after a hash navigation the browser keeps focus on the
 * link that was clicked (now gone), so keyboard and screen-reader users would otherwise start from
 * nowhere on the new page.
 */
export function PageHeading({ children }: { children: ReactNode }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    ref.current?.focus();
  }, []);
  return (
    <h1 ref={ref} tabIndex={-1} className="page-heading">
      {children}
    </h1>
  );
}
