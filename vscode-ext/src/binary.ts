// Finds the shiftlint binary before the language client starts: a missing or unusable binary
// becomes one clear message with a way to fix it, not a client that dies on spawn and retries.
//
// Order: the `shiftlint.path` setting when set; else `shiftlint` on PATH; else the binary bundled
// with the extension in `bin/`. No VS Code API here: the file system is reached through a probe,
// so every case is unit-testable.
import * as fs from 'node:fs';
import * as path from 'node:path';

export type BinarySource = 'setting' | 'path' | 'bundled';

export interface FoundBinary {
  kind: 'found';
  path: string;
  source: BinarySource;
}

export type BinaryProblemKind = 'missing' | 'not-executable' | 'not-a-file';

export interface BinaryProblem {
  kind: 'problem';
  problem: BinaryProblemKind;
  // The file that is unusable ('not-executable', 'not-a-file'), or the configured path that
  // does not exist; absent when nothing was configured and nothing was found.
  path?: string;
  // Where the binary was looked for, in order (shown to the user).
  looked: string[];
  message: string;
}

export type BinaryResolution = FoundBinary | BinaryProblem;

export type FileStatus = 'executable' | 'not-executable' | 'directory' | 'absent';

// What the resolution needs to know about a path; the real one is nodeFileProbe.
export type FileProbe = (file: string) => FileStatus;

export interface BinaryLookup {
  configuredPath: string;          // shiftlint.path ('' when unset)
  workspaceFolder?: string;        // first workspace folder: base of relative paths, ${workspaceFolder}
  extensionPath: string;           // the extension's folder, which may hold bin/shiftlint
  environmentPath: string | undefined;  // PATH
  platform: NodeJS.Platform;
  homeDirectory: string;
}

export const settingName = 'shiftlint.path';

export function binaryFileName(platform: NodeJS.Platform): string {
  return platform === 'win32' ? 'shiftlint.exe' : 'shiftlint';
}

export function bundledBinaryPath(extensionPath: string, platform: NodeJS.Platform): string {
  return path.join(extensionPath, 'bin', binaryFileName(platform));
}

export const nodeFileProbe: FileProbe = (file) => {
  let stats: fs.Stats;
  try {
    stats = fs.statSync(file);
  } catch {
    return 'absent';
  }
  if (stats.isDirectory()) return 'directory';
  if (!stats.isFile()) return 'absent';
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return 'executable';
  } catch {
    return 'not-executable';
  }
};

// Expands a leading `~` and `${workspaceFolder}`; undefined when the text needs a folder and
// none is open.
export function expandUserPath(text: string, homeDirectory: string, workspaceFolder?: string): string | undefined {
  let expanded = text.trim();
  if (expanded === '~') expanded = homeDirectory;
  else if (expanded.startsWith('~/') || expanded.startsWith('~\\')) expanded = path.join(homeDirectory, expanded.slice(2));
  if (expanded.includes('${workspaceFolder}')) {
    if (!workspaceFolder) return undefined;
    expanded = expanded.split('${workspaceFolder}').join(workspaceFolder);
  }
  return expanded;
}

function isBareName(text: string): boolean {
  return !text.includes('/') && !text.includes('\\');
}

function pathDirectories(environmentPath: string | undefined, platform: NodeJS.Platform): string[] {
  if (!environmentPath) return [];
  const separator = platform === 'win32' ? ';' : ':';
  // An empty PATH entry means the current folder, which is the editor's, not the user's: skip it.
  return environmentPath.split(separator).filter((entry) => entry.length > 0);
}

interface PathSearch {
  found?: string;
  unusable?: { file: string; status: FileStatus };
  looked: string[];
}

function searchPath(name: string, lookup: BinaryLookup, probe: FileProbe): PathSearch {
  const search: PathSearch = { looked: [] };
  for (const directory of pathDirectories(lookup.environmentPath, lookup.platform)) {
    const candidate = path.join(directory, name);
    search.looked.push(candidate);
    const status = probe(candidate);
    if (status === 'executable') {
      search.found = candidate;
      return search;
    }
    // Like a shell, skip a non-executable match and keep looking; remember it for the message.
    if (status !== 'absent' && !search.unusable) search.unusable = { file: candidate, status };
  }
  return search;
}

function problem(kind: BinaryProblemKind, looked: string[], message: string, file?: string): BinaryProblem {
  return file === undefined ? { kind: 'problem', problem: kind, looked, message }
                            : { kind: 'problem', problem: kind, path: file, looked, message };
}

function unusableFile(file: string, status: FileStatus, looked: string[], origin: string): BinaryProblem {
  if (status === 'directory')
    return problem('not-a-file', looked, `${origin} ${file} is a folder, not the shiftlint binary.`, file);
  return problem('not-executable', looked,
                 `${origin} ${file} is not executable. Make it executable (chmod +x "${file}") or point ` +
                 `${settingName} at another binary.`, file);
}

function resolveConfigured(lookup: BinaryLookup, probe: FileProbe): BinaryResolution {
  const configured = lookup.configuredPath.trim();
  const expanded = expandUserPath(configured, lookup.homeDirectory, lookup.workspaceFolder);
  if (expanded === undefined)
    return problem('missing', [], `${settingName} is "${configured}", which uses \${workspaceFolder}, but no folder is open.`);

  if (isBareName(expanded)) {
    const search = searchPath(expanded, lookup, probe);
    if (search.found) return { kind: 'found', path: search.found, source: 'setting' };
    if (search.unusable) return unusableFile(search.unusable.file, search.unusable.status, search.looked,
                                             `${settingName} names "${expanded}", but`);
    return problem('missing', search.looked, `${settingName} names "${expanded}", but no such program is on PATH.`);
  }

  let file = expanded;
  if (!path.isAbsolute(file)) {
    if (!lookup.workspaceFolder)
      return problem('missing', [], `${settingName} is the relative path "${configured}", but no folder is open to resolve it against.`, file);
    file = path.join(lookup.workspaceFolder, file);
  }
  const status = probe(file);
  if (status === 'executable') return { kind: 'found', path: file, source: 'setting' };
  if (status === 'absent')
    return problem('missing', [file], `${settingName} is "${configured}", but ${file} does not exist.`, file);
  return unusableFile(file, status, [file], `${settingName} is "${configured}", but`);
}

export function resolveBinary(lookup: BinaryLookup, probe: FileProbe = nodeFileProbe): BinaryResolution {
  if (lookup.configuredPath.trim() !== '') return resolveConfigured(lookup, probe);

  const name = binaryFileName(lookup.platform);
  const search = searchPath(name, lookup, probe);
  if (search.found) return { kind: 'found', path: search.found, source: 'path' };

  const bundled = bundledBinaryPath(lookup.extensionPath, lookup.platform);
  const looked = [...search.looked, bundled];
  const bundledStatus = probe(bundled);
  if (bundledStatus === 'executable') return { kind: 'found', path: bundled, source: 'bundled' };
  if (bundledStatus !== 'absent') return unusableFile(bundled, bundledStatus, looked, 'The bundled binary');
  if (search.unusable) return unusableFile(search.unusable.file, search.unusable.status, looked, 'The binary on PATH');
  return problem('missing', looked,
                 `The shiftlint binary was not found on PATH nor bundled with the extension (${bundled}). ` +
                 `Build it (scripts/build in the shiftlint repository) and put it on PATH, or set ${settingName}.`);
}
