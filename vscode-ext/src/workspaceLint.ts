// The `shiftlint.lintWorkspace` command runs on the server (workspace/executeCommand); the
// findings arrive as diagnostics in the Problems panel and the answer is a summary
// `{files, findings}`, told to the user in one line. The server counts only findings in files
// that are not open: an open file keeps the diagnostics of its buffer, which may differ from the
// disk. The progress notification can cancel it: the client then sends `$/cancelRequest`, and the
// server stops the walk and answers with RequestCancelled, publishing nothing. No VS Code API here.

export const lintWorkspaceCommand = 'shiftlint.lintWorkspace';

function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}

export function describeWorkspaceLint(result: unknown): string {
  const record = typeof result === 'object' && result !== null ? result as Record<string, unknown> : undefined;
  const files = record?.['files'];
  const findings = record?.['findings'];
  if (typeof files !== 'number' || typeof findings !== 'number')
    return 'shiftlint: the workspace lint did not finish (see the shiftlint output for details).';
  const linted = `shiftlint: linted ${plural(files, 'file', 'files')}`;
  if (findings === 0) return `${linted}; no findings outside the open editors (those are linted as you type).`;
  return `${linted}; ${plural(findings, 'finding', 'findings')} outside the open editors, listed in the Problems panel.`;
}

// RequestCancelled (JSON-RPC / LSP): what the server answers a cancelled workspace lint with.
const requestCancelled = -32800;

// The one line for a workspace lint that ended in an error; undefined when it was cancelled (the
// user asked for that: nothing to tell).
export function describeWorkspaceLintFailure(error: unknown): string | undefined {
  const record = typeof error === 'object' && error !== null ? error as Record<string, unknown> : undefined;
  if (record?.['code'] === requestCancelled) return undefined;
  const message = typeof record?.['message'] === 'string' ? record['message'] : String(error);
  return `shiftlint: the workspace lint failed: ${message}`;
}
