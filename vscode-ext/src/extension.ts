// The VS Code side: read settings, find the binary, start `shiftlint lsp` through the language
// client, follow settings changes. Everything that can be decided without VS Code lives in the
// modules imported below (and is unit-tested there); this file only wires them to the editor.
import * as os from 'node:os';
import * as vscode from 'vscode';
import {
  DidChangeConfigurationNotification,
  ExecuteCommandRequest,
  LanguageClient,
  LanguageClientOptions,
  ServerOptions,
  State,
} from 'vscode-languageclient/node';

import { resolveBinary, settingName } from './binary';
import { documentSelector } from './documentSelector';
import {
  configurationChange,
  ExtensionSettings,
  initializationOptions,
  PathContext,
  reactionToChange,
  readSettings,
  serverCommand,
  serverSettings,
  settingsFromSection,
} from './settings';
import { describeWorkspaceLint, describeWorkspaceLintFailure, lintWorkspaceCommand } from './workspaceLint';

const section = 'shiftlint';
// A `when`/`enablement` context key: the lint command is offered while the server runs.
const runningContextKey = 'shiftlint.serverRunning';

let client: LanguageClient | undefined;
let settings: ExtensionSettings;
let output: vscode.LogOutputChannel;
let extensionPath = '';
// Starts and stops run one after another, never interleaved, however fast settings change.
let lifecycle: Promise<void> = Promise.resolve();

function currentSettings(): ExtensionSettings {
  const configuration = vscode.workspace.getConfiguration(section);
  return readSettings((key) => configuration.get(key));
}

function firstFileFolder(): string | undefined {
  return vscode.workspace.workspaceFolders?.find((folder) => folder.uri.scheme === 'file')?.uri.fsPath;
}

function pathContext(): PathContext {
  return { homeDirectory: os.homedir(), workspaceFolder: firstFileFolder() };
}

function setRunning(running: boolean): void {
  void vscode.commands.executeCommand('setContext', runningContextKey, running);
}

async function showProblem(message: string): Promise<void> {
  output.error(message);
  const openSettings = 'Open settings';
  const choice = await vscode.window.showErrorMessage(`shiftlint: ${message}`, openSettings);
  if (choice === openSettings) await vscode.commands.executeCommand('workbench.action.openSettings', settingName);
}

function clientOptions(): LanguageClientOptions {
  return {
    documentSelector: [...documentSelector],
    diagnosticCollectionName: section,
    outputChannel: output,
    initializationOptions: initializationOptions(settings, pathContext()),
    middleware: {
      workspace: {
        // The server pulls the `shiftlint` section; hand it the same {enable, configFile} it gets
        // at initialize and on change, with ~ and ${workspaceFolder} expanded.
        configuration: async (params, token, next) => {
          const answer = await next(params, token);
          if (!Array.isArray(answer)) return answer;
          return answer.map((value, index) =>
            params.items[index]?.section === section ? serverSettings(settingsFromSection(value), pathContext()) : value);
        },
      },
      // The client registers the server's commands; tell the user what the workspace lint found.
      // It may take a while on a large workspace: the notification's Cancel button cancels the
      // request (the default handler passes no cancellation token, so the request is sent here).
      executeCommand: async (command, args, next) => {
        const running = client;
        if (command !== lintWorkspaceCommand || !running) return next(command, args);
        return vscode.window.withProgress(
          { location: vscode.ProgressLocation.Notification, title: 'shiftlint: linting the workspace', cancellable: true },
          async (_progress, token) => {
            try {
              const result = await running.sendRequest(ExecuteCommandRequest.type, { command, arguments: args }, token);
              void vscode.window.showInformationMessage(describeWorkspaceLint(result));
              return result;
            } catch (error) {
              const message = describeWorkspaceLintFailure(error);
              if (message !== undefined) void vscode.window.showErrorMessage(message);
              return undefined;
            }
          });
      },
    },
  };
}

async function startClient(): Promise<void> {
  if (client || !settings.enable) return;
  const resolution = resolveBinary({
    configuredPath: settings.path,
    workspaceFolder: firstFileFolder(),
    extensionPath,
    environmentPath: process.env['PATH'],
    platform: process.platform,
    homeDirectory: os.homedir(),
  });
  if (resolution.kind === 'problem') {
    if (resolution.looked.length > 0) output.info(`Looked for shiftlint in: ${resolution.looked.join(', ')}`);
    await showProblem(resolution.message);
    return;
  }
  output.info(`Starting ${resolution.path} lsp (found through ${resolution.source === 'setting' ? settingName : resolution.source === 'path' ? 'PATH' : 'the bundled bin/ folder'})`);
  const command = serverCommand(resolution.path, firstFileFolder());
  const serverOptions: ServerOptions = { run: command, debug: command };
  const started = new LanguageClient(section, 'shiftlint', serverOptions, clientOptions());
  started.onDidChangeState((event) => setRunning(event.newState === State.Running));
  client = started;
  try {
    await started.start();
  } catch (error) {
    client = undefined;
    setRunning(false);
    await showProblem(`the language server ${resolution.path} did not start: ${error instanceof Error ? error.message : String(error)}`);
  }
}

async function stopClient(): Promise<void> {
  const stopping = client;
  client = undefined;
  setRunning(false);
  if (stopping) await stopping.stop().catch((error: unknown) => output.error(`Stopping the server: ${String(error)}`));
}

function schedule(step: () => Promise<void>): Promise<void> {
  lifecycle = lifecycle.then(step, step);
  return lifecycle;
}

async function onSettingsChanged(): Promise<void> {
  const before = settings;
  settings = currentSettings();
  switch (reactionToChange(before, settings)) {
    case 'start': return startClient();
    case 'stop': return stopClient();
    case 'restart':
      await stopClient();
      return startClient();
    case 'notify':
      if (client?.isRunning())
        await client.sendNotification(DidChangeConfigurationNotification.type, configurationChange(settings, pathContext()));
      return;
    case 'none': return;
  }
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  extensionPath = context.extensionPath;
  output = vscode.window.createOutputChannel('shiftlint', { log: true });
  settings = currentSettings();
  setRunning(false);
  context.subscriptions.push(
    output,
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration(section)) void schedule(onSettingsChanged);
    }),
  );
  await schedule(startClient);
}

export function deactivate(): Promise<void> {
  return schedule(stopClient);
}
