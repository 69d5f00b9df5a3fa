// The extension's settings and what the language server receives from them. The server reads
// `{shiftlint: {configFile, enable}}` from initializationOptions, from
// workspace/didChangeConfiguration and from workspace/configuration answers; this module builds
// all three from the same function, so they cannot disagree. No VS Code API here.
import { expandUserPath } from './binary';

export type TraceLevel = 'off' | 'messages' | 'verbose';

export interface ExtensionSettings {
  enable: boolean;
  path: string;        // '' = default lookup (binary.ts)
  configFile: string;  // '' = each file's nearest .shiftlint.yaml
  trace: TraceLevel;
}

export const defaultSettings: ExtensionSettings = { enable: true, path: '', configFile: '', trace: 'off' };

// What the server understands (analyzer/lsp/server.cpp, apply_settings).
export interface ServerSettings {
  enable: boolean;
  configFile: string | null;  // null: clear a configured file, use .shiftlint.yaml discovery
}

export interface PathContext {
  homeDirectory: string;
  workspaceFolder?: string;
}

// `get` reads one key of the `shiftlint` section (WorkspaceConfiguration.get in the extension, a
// plain object in tests). Values of the wrong type fall back to the default rather than throw:
// settings.json is hand-edited.
export function readSettings(get: (key: string) => unknown): ExtensionSettings {
  const text = (key: string, fallback: string): string => {
    const value = get(key);
    return typeof value === 'string' ? value.trim() : fallback;
  };
  const enable = get('enable');
  const trace = get('trace.server');
  return {
    enable: typeof enable === 'boolean' ? enable : defaultSettings.enable,
    path: text('path', defaultSettings.path),
    configFile: text('configFile', defaultSettings.configFile),
    trace: trace === 'messages' || trace === 'verbose' ? trace : 'off',
  };
}

// The section object VS Code hands back for workspace/configuration ({enable, path, configFile,
// trace: {server}}), read with the same rules as readSettings.
export function settingsFromSection(section: unknown): ExtensionSettings {
  const record = typeof section === 'object' && section !== null ? section as Record<string, unknown> : {};
  return readSettings((key) => {
    if (key === 'trace.server') {
      const trace = record['trace'];
      return typeof trace === 'object' && trace !== null ? (trace as Record<string, unknown>)['server'] : record['trace.server'];
    }
    return record[key];
  });
}

export function serverSettings(settings: ExtensionSettings, context: PathContext): ServerSettings {
  if (settings.configFile === '') return { enable: settings.enable, configFile: null };
  // The server resolves a relative path against the first workspace folder itself; `~` and
  // ${workspaceFolder} are editor conventions it does not know.
  const expanded = expandUserPath(settings.configFile, context.homeDirectory, context.workspaceFolder);
  return { enable: settings.enable, configFile: expanded ?? settings.configFile };
}

export function initializationOptions(settings: ExtensionSettings, context: PathContext): { shiftlint: ServerSettings } {
  return { shiftlint: serverSettings(settings, context) };
}

export function configurationChange(settings: ExtensionSettings, context: PathContext): { settings: { shiftlint: ServerSettings } } {
  return { settings: { shiftlint: serverSettings(settings, context) } };
}

// How to start the server: `shiftlint lsp` over stdio (the client's default transport for an
// executable without a `transport`).
export interface ServerCommand {
  command: string;
  args: string[];
  options: { cwd?: string };
}

export function serverCommand(binaryPath: string, workspaceFolder?: string): ServerCommand {
  // The workspace folder as working directory: relative paths in the server's messages and in a
  // configFile setting then mean what they mean in a terminal at the project root.
  return { command: binaryPath, args: ['lsp'], options: workspaceFolder ? { cwd: workspaceFolder } : {} };
}

export type SettingsReaction = 'none' | 'notify' | 'start' | 'stop' | 'restart';

// What a settings change requires of a running (or stopped) client.
export function reactionToChange(before: ExtensionSettings, after: ExtensionSettings): SettingsReaction {
  if (before.enable !== after.enable) return after.enable ? 'start' : 'stop';
  if (!after.enable) return 'none';
  if (before.path !== after.path) return 'restart';
  if (before.configFile !== after.configFile) return 'notify';
  // The language client follows shiftlint.trace.server on its own.
  return 'none';
}
