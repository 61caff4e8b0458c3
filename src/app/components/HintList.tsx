import { useEffect, useId, useRef, useState } from 'react';

/** Hints revealed one at a time, gentlest first, so a student asks only for as much help as needed. */
export function HintList({ hints, initialShown = 0, onShownChange }: { hints: string[]; initialShown?: number; onShownChange?: (shown: number) => void }) {
  const [shown, setShown] = useState(() => Math.min(initialShown, hints.length));
  const focusNewest = useRef(false);
  const newestRef = useRef<HTMLLIElement>(null);
  const listId = useId();

  // Move focus to the hint just revealed: it gets read out, and focus is not lost when the
  // button disappears after the last hint.
  useEffect(() => {
    if (shown > 0 && focusNewest.current) newestRef.current?.focus();
  }, [shown]);

  if (hints.length === 0) return null;
  return (
    <div className="hints">
      {shown > 0 && (
        <ol id={listId} className="hint-list" aria-label="Hints">
          {hints.slice(0, shown).map((hint, index) => (
            <li key={index} ref={index === shown - 1 ? newestRef : undefined} tabIndex={-1}>
              {hint}
            </li>
          ))}
        </ol>
      )}
      {shown < hints.length ? (
        <button type="button" className="button-quiet" onClick={() => {
            focusNewest.current = true;
            setShown(shown + 1);
            onShownChange?.(shown + 1);
          }} aria-controls={shown > 0 ? listId : undefined}>
          Show hint
        </button>
      ) : (
        <p className="muted">No more hints for this one.</p>
      )}
    </div>
  );
}
