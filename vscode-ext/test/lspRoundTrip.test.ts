// The headless round trip: the real `shiftlint lsp` binary, driven over stdio by the client
// libraries VS Code's language client is built on, through what an editor session does: open a
// hazardous task definition and a Dockerfile, get diagnostics, hover, fix by typing, suppress with
// a code action (applied as the editor applies it), lint the workspace, shut down.
//
// The binary: $SHIFTLINT_BINARY, else ../build/shiftlint (the README's build). The test is skipped
// only when SHIFTLINT_BINARY is unset and the default build does not exist; when the variable is
// set (as the ctest registration does), a missing binary is a failure.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import {
  CodeAction,
  CodeActionRequest,
  Diagnostic,
  DidChangeTextDocumentNotification,
  DidChangeWatchedFilesNotification,
  DidOpenTextDocumentNotification,
  ExecuteCommandRequest,
  ExitNotification,
  FileChangeType,
  HoverRequest,
  InitializedNotification,
  InitializeRequest,
  InitializeResult,
  MarkupContent,
  ShutdownRequest,
} from 'vscode-languageserver-protocol';

import { serverCommand, initializationOptions, defaultSettings } from '../src/settings';
import { documentSelector } from '../src/documentSelector';
import { lintWorkspaceCommand } from '../src/workspaceLint';
import { ServerSession, startServer } from './support/languageServer';
import { applyWorkspaceEdit } from './support/textEdits';

const packageRoot = path.resolve(__dirname, '..', '..');
const configuredBinary = process.env['SHIFTLINT_BINARY'];
const binary = path.resolve(packageRoot, configuredBinary ?? '../build/shiftlint');
const skip = configuredBinary === undefined && !fs.existsSync(binary)
  ? `no shiftlint binary at ${binary}: build it, or set SHIFTLINT_BINARY` : false;

const hazardousTaskDefinition = `{
  "family": "storefront-web",
  "networkMode": "awsvpc",
  "requiresCompatibilities": ["FARGATE"],
  "cpu": "512",
  "memory": "1024",
  "containerDefinitions": [
    {
      "name": "web",
      "image": "registry.example.com/storefront/web:2024.06.3",
      "essential": true,
      "portMappings": [{"containerPort": 8080, "protocol": "tcp"}]
    }
  ]
}
`;

const fixedTaskDefinition = hazardousTaskDefinition.replace(
  '"essential": true,',
  '"essential": true,\n      "ulimits": [{"name": "nofile", "softLimit": 65535, "hardLimit": 65535}],');

const hazardousDockerfile = 'FROM debian:12-slim\nCOPPY app /srv/app\nCMD ["/srv/app/run"]\n';

describe('shiftlint lsp through vscode-jsonrpc', { skip }, () => {
  let workspace: string;
  let session: ServerSession;
  let started: number;
  const versions = new Map<string, number>();
  const texts = new Map<string, string>();
  let taskUri: string;
  let dockerfileUri: string;
  let configUri: string;

  const uriOf = (relative: string) => pathToFileURL(path.join(workspace, relative)).href;
  const isVersion = (uri: string) => (params: { version?: number }) => params.version === versions.get(uri);

  async function open(uri: string, languageId: string, text: string): Promise<void> {
    versions.set(uri, 1);
    texts.set(uri, text);
    await session.connection.sendNotification(DidOpenTextDocumentNotification.type,
                                              { textDocument: { uri, languageId, version: 1, text } });
  }

  async function change(uri: string, text: string): Promise<void> {
    const version = (versions.get(uri) ?? 0) + 1;
    versions.set(uri, version);
    texts.set(uri, text);
    await session.connection.sendNotification(DidChangeTextDocumentNotification.type,
                                              { textDocument: { uri, version }, contentChanges: [{ text }] });
  }

  function codes(diagnostics: Diagnostic[]): string[] {
    return diagnostics.map((diagnostic) => String(diagnostic.code));
  }

  before(async () => {
    assert.ok(fs.existsSync(binary), `SHIFTLINT_BINARY is ${configuredBinary}, but ${binary} does not exist`);
    workspace = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'shiftlint-lsp-')));
    fs.mkdirSync(path.join(workspace, 'ecs'));
    fs.writeFileSync(path.join(workspace, 'ecs', 'web.json'), hazardousTaskDefinition);
    fs.writeFileSync(path.join(workspace, 'Dockerfile'), hazardousDockerfile);
    // Never opened: only the workspace lint reports on it.
    fs.writeFileSync(path.join(workspace, 'ecs', 'worker.json'),
                     hazardousTaskDefinition.replace('storefront-web', 'storefront-worker').replace('"web"', '"worker"'));
    taskUri = uriOf('ecs/web.json');
    dockerfileUri = uriOf('Dockerfile');
    configUri = uriOf('.shiftlint.yaml');

    started = performance.now();
    // Started the way the extension starts it.
    const command = serverCommand(binary, workspace);
    session = startServer(command.command, command.args, workspace,
                          () => initializationOptions(defaultSettings, { homeDirectory: os.homedir() }).shiftlint);
  });

  after(() => {
    if (session && session.process.exitCode === null) session.process.kill();
    if (workspace) fs.rmSync(workspace, { recursive: true, force: true });
  });

  it('initializes with the capabilities the extension relies on', async () => {
    const result: InitializeResult = await session.connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: pathToFileURL(workspace).href,
      workspaceFolders: [{ uri: pathToFileURL(workspace).href, name: 'storefront' }],
      initializationOptions: initializationOptions(defaultSettings, { homeDirectory: os.homedir() }),
      capabilities: {
        workspace: {
          configuration: true,
          didChangeWatchedFiles: { dynamicRegistration: true },
          workspaceEdit: { documentChanges: true, resourceOperations: ['create'] },
        },
        textDocument: { hover: { contentFormat: ['markdown', 'plaintext'] } },
      },
    });
    assert.equal(result.serverInfo?.name, 'shiftlint');
    assert.deepEqual(result.capabilities.executeCommandProvider?.commands, [lintWorkspaceCommand]);
    assert.equal(result.capabilities.hoverProvider, true);
    assert.ok(result.capabilities.codeActionProvider);
    assert.deepEqual(result.capabilities.textDocumentSync,
                     { openClose: true, change: 1, save: { includeText: true } });
    await session.connection.sendNotification(InitializedNotification.type, {});
    // The extension's selector sends these documents: check before opening them as the editor would.
    assert.ok(documentSelector.some((filter) => filter.language === 'json'));
    assert.ok(documentSelector.some((filter) => filter.language === 'dockerfile'));
  });

  it('publishes the task definition hazard with the rule id, range and documentation link', async () => {
    await open(taskUri, 'json', hazardousTaskDefinition);
    const diagnostics = await session.diagnostics(taskUri, isVersion(taskUri));
    assert.deepEqual(codes(diagnostics), ['ECS001']);
    const [nofile] = diagnostics;
    assert.deepEqual(nofile!.range, { start: { line: 7, character: 4 }, end: { line: 12, character: 5 } });
    assert.equal(nofile!.severity, 2);
    assert.equal(nofile!.source, 'shiftlint');
    assert.equal(typeof nofile!.message, 'string');
    assert.match(nofile!.message as string, /^container "web" has no "nofile" ulimit/);
    assert.equal(nofile!.codeDescription?.href,
                 'https://github.com/shiftlint/shiftlint/blob/main/rules/ecs/nofile_ulimit_missing.md');
  });

  it('publishes the Dockerfile hazard', async () => {
    await open(dockerfileUri, 'dockerfile', hazardousDockerfile);
    const diagnostics = await session.diagnostics(dockerfileUri, isVersion(dockerfileUri));
    assert.deepEqual(codes(diagnostics), ['DKR019']);
    assert.deepEqual(diagnostics[0]!.range, { start: { line: 1, character: 0 }, end: { line: 1, character: 5 } });
    assert.equal(diagnostics[0]!.severity, 1);
    assert.equal(diagnostics[0]!.message, 'unknown instruction "COPPY": docker build fails on it; did you mean COPY?');
  });

  it('shows the rule documentation on hover', async () => {
    const hover = await session.connection.sendRequest(HoverRequest.type, {
      textDocument: { uri: taskUri }, position: { line: 7, character: 4 },
    });
    assert.ok(hover);
    const contents = hover.contents as MarkupContent;
    assert.equal(contents.kind, 'markdown');
    assert.match(contents.value, /^# ECS001 — nofile-ulimit-missing/);
    assert.deepEqual(hover.range, { start: { line: 7, character: 4 }, end: { line: 12, character: 5 } });
    const nothing = await session.connection.sendRequest(HoverRequest.type, {
      textDocument: { uri: taskUri }, position: { line: 1, character: 4 },
    });
    assert.equal(nothing, null);
  });

  it('clears the diagnostics once an edit in the buffer fixes the hazard (the file on disk is untouched)', async () => {
    await change(taskUri, fixedTaskDefinition);
    assert.deepEqual(await session.diagnostics(taskUri, isVersion(taskUri)), []);
    assert.equal(fs.readFileSync(path.join(workspace, 'ecs', 'web.json'), 'utf8'), hazardousTaskDefinition);
  });

  it('offers a suppression in the Dockerfile whose edit silences the finding on re-lint', async () => {
    const [diagnostic] = await session.diagnostics(dockerfileUri, isVersion(dockerfileUri));
    const actions = await session.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri: dockerfileUri }, range: diagnostic!.range, context: { diagnostics: [diagnostic!] },
    }) as CodeAction[];
    const suppress = actions.find((action) => action.title === 'Suppress DKR019 on this line');
    assert.ok(suppress, `actions offered: ${JSON.stringify(actions.map((action) => action.title))}`);
    assert.equal(suppress.kind, 'quickfix');
    const [edited] = applyWorkspaceEdit(suppress.edit!, (uri) => texts.get(uri));
    assert.equal(edited!.uri, dockerfileUri);
    assert.equal(edited!.text, 'FROM debian:12-slim\n# shiftlint-ignore: DKR019 -- TODO: why this is safe here\n' +
                               'COPPY app /srv/app\nCMD ["/srv/app/run"]\n');
    await change(dockerfileUri, edited!.text);
    // Silenced, and not reported as an unused suppression (SL003) either.
    assert.deepEqual(await session.diagnostics(dockerfileUri, isVersion(dockerfileUri)), []);
  });

  it('suppresses a JSON finding in a new .shiftlint.yaml, which the server reloads', async () => {
    await change(taskUri, hazardousTaskDefinition);
    const [diagnostic] = await session.diagnostics(taskUri, (params) => isVersion(taskUri)(params) && params.diagnostics.length > 0);
    const actions = await session.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri: taskUri }, range: diagnostic!.range, context: { diagnostics: [diagnostic!] },
    }) as CodeAction[];
    const suppress = actions.find((action) => action.title === 'Suppress ECS001 for this file in .shiftlint.yaml');
    assert.ok(suppress, `actions offered: ${JSON.stringify(actions.map((action) => action.title))}`);
    const edited = applyWorkspaceEdit(suppress.edit!, (uri) => {
      const file = new URL(uri).pathname;
      return texts.get(uri) ?? (fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined);
    });
    assert.deepEqual(edited.map((document) => [document.uri, document.created]), [[configUri, true]]);
    assert.match(edited[0]!.text, /rule: ECS001/);
    assert.match(edited[0]!.text, /path: "?ecs\/web\.json"?/);
    // The editor writes the file; its watcher tells the server (registered at `initialized`).
    assert.ok(session.registrations.includes('workspace/didChangeWatchedFiles'));
    fs.writeFileSync(path.join(workspace, '.shiftlint.yaml'), edited[0]!.text);
    await session.connection.sendNotification(DidChangeWatchedFilesNotification.type,
                                              { changes: [{ uri: configUri, type: FileChangeType.Created }] });
    assert.deepEqual(await session.diagnostics(taskUri, (params) => params.diagnostics.length === 0), []);
    assert.deepEqual(session.shownMessages, [], 'the edited configuration loads without errors');
  });

  it('lints the workspace on the shiftlint.lintWorkspace command', async () => {
    // On disk: ecs/web.json (suppressed by the new config), the Dockerfile (open: its buffer's
    // diagnostics stand) and ecs/worker.json, never opened, whose finding is published now.
    const workerUri = uriOf('ecs/worker.json');
    const published = session.diagnostics(workerUri, () => true);
    const result = await session.connection.sendRequest(ExecuteCommandRequest.type,
                                                        { command: lintWorkspaceCommand, arguments: [] });
    assert.deepEqual(result, { files: 3, findings: 1 });
    const diagnostics = await published;
    assert.deepEqual(codes(diagnostics), ['ECS001']);
    assert.deepEqual(diagnostics[0]!.range, { start: { line: 7, character: 4 }, end: { line: 12, character: 5 } });
    assert.match(diagnostics[0]!.message as string, /^container "worker" has no "nofile" ulimit/);
  });

  it('shuts down and exits with code 0', async () => {
    await session.connection.sendRequest(ShutdownRequest.type);
    await session.connection.sendNotification(ExitNotification.type);
    const code = await session.exited;
    session.connection.dispose();
    assert.equal(code, 0, `server stderr: ${session.stderr()}`);
    const elapsed = performance.now() - started;
    // The figure the README quotes; the bound only catches a server that hangs between messages.
    process.stdout.write(`# round trip: ${elapsed.toFixed(0)} ms from spawn to exit\n`);
    assert.ok(elapsed < 20_000, `the round trip took ${elapsed.toFixed(0)} ms`);
  });
});
