import type { ReactNode } from 'react';

interface AppHeaderProps {
  studentName?: string;
  onLogOut?: () => void;
  /** Where the connection banner (role=status) is rendered; empty until the runtime provides one. */
  banner?: ReactNode;
  /** Answers waiting to sync ("N pending", "Sync now"). */
  pending?: ReactNode;
}

export function AppHeader({ studentName, onLogOut, banner, pending }: AppHeaderProps) {
  return (
    <>
      <header className="app-header">
        <p className="app-name">Tutor</p>
        {studentName !== undefined && onLogOut && (
          <div className="app-student">
            {pending}
            <span>
              Signed in as <strong>{studentName}</strong>
            </span>
            <button type="button" className="button-quiet" onClick={onLogOut}>
              Log out
            </button>
          </div>
        )}
      </header>
      <div className="banner-slot">{banner}</div>
    </>
  );
}
