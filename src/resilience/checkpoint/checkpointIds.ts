/** The student a runtime's checkpoints belong to: any string but U+0000 (the key separator). Throws TypeError. */
export function assertCheckpointUser(user: string): void {
  if (user.includes('\u0000')) throw new TypeError(`checkpoints: userId must not contain U+0000 (got ${JSON.stringify(user)})`);
}

/** A workflow's id: non-empty, without U+0000. Throws TypeError. */
export function assertWorkflowId(id: string): void {
  if (id === '' || id.includes('\u0000')) throw new TypeError(`checkpoints: workflow id must be non-empty without U+0000 (got ${JSON.stringify(id)})`);
}
