// Drives a real `shiftlint lsp` process over stdio with the client libraries VS Code's language
// client is built on (vscode-jsonrpc for the wire, vscode-languageserver-protocol for the typed
// messages), and records what the server publishes.
import { ChildProcess, spawn } from 'node:child_process';
import { createMessageConnection, MessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import {
  ConfigurationRequest,
  Diagnostic,
  PublishDiagnosticsNotification,
  PublishDiagnosticsParams,
  RegistrationRequest,
  ShowMessageNotification,
} from 'vscode-languageserver-protocol';

export interface ServerSession {
  connection: MessageConnection;
  process: ChildProcess;
  stderr: () => string;
  shownMessages: string[];
  registrations: string[];
  // The latest diagnostics of a URI, once one arrives that satisfies `accept`.
  diagnostics(uri: string, accept: (params: PublishDiagnosticsParams) => boolean, timeoutMs?: number): Promise<Diagnostic[]>;
  // Resolves with the exit code when the process ends.
  exited: Promise<number | null>;
}

export function startServer(binary: string, args: string[], cwd: string,
                            configuration: () => unknown): ServerSession {
  const child = spawn(binary, args, { cwd, stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => { stderr += chunk; });
  const exited = new Promise<number | null>((resolve) => {
    child.on('exit', (code) => resolve(code));
    // A binary that cannot be started: recorded like stderr, and the session ends.
    child.on('error', (error) => {
      stderr += `cannot start ${binary}: ${error.message}\n`;
      resolve(null);
    });
  });

  const connection = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  const published = new Map<string, PublishDiagnosticsParams>();
  const waiters: Array<{ uri: string; accept: (params: PublishDiagnosticsParams) => boolean; resolve: (d: Diagnostic[]) => void }> = [];
  const shownMessages: string[] = [];
  const registrations: string[] = [];

  connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
    published.set(params.uri, params);
    for (let i = waiters.length - 1; i >= 0; --i) {
      const waiter = waiters[i]!;
      if (waiter.uri === params.uri && waiter.accept(params)) {
        waiters.splice(i, 1);
        waiter.resolve(params.diagnostics);
      }
    }
  });
  connection.onNotification(ShowMessageNotification.type, (params) => { shownMessages.push(params.message); });
  connection.onRequest(ConfigurationRequest.type, (params) => params.items.map(() => configuration()));
  connection.onRequest(RegistrationRequest.type, (params) => {
    for (const registration of params.registrations) registrations.push(registration.method);
  });
  connection.listen();

  return {
    connection,
    process: child,
    stderr: () => stderr,
    shownMessages,
    registrations,
    exited,
    diagnostics(uri, accept, timeoutMs = 10_000) {
      const latest = published.get(uri);
      if (latest && accept(latest)) return Promise.resolve(latest.diagnostics);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          reject(new Error(`no matching diagnostics for ${uri} within ${timeoutMs} ms; last: ` +
                           JSON.stringify(published.get(uri) ?? null) + `; server stderr: ${stderr}`));
        }, timeoutMs);
        waiters.push({ uri, accept, resolve: (diagnostics) => { clearTimeout(timer); resolve(diagnostics); } });
      });
    },
  };
}
