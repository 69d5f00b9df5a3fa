// package.json is code too: VS Code reads activation events, settings and commands from it, vsce
// checks engines against @types/vscode, and `npm ci` must install offline from the lockfile.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';

import { languageIds } from '../src/documentSelector';
import { defaultSettings } from '../src/settings';
import { lintWorkspaceCommand } from '../src/workspaceLint';

// Compiled to out/test/: the package root is two levels up.
const root = path.resolve(__dirname, '..', '..');
const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const lock = fs.readFileSync(path.join(root, 'package-lock.json'), 'utf8');

describe('package.json', () => {
  it('activates for every language the selector sends to the server', () => {
    for (const language of languageIds)
      assert.ok(manifest.activationEvents.includes(`onLanguage:${language}`), `onLanguage:${language}`);
  });

  it('contributes the settings with the defaults the code assumes', () => {
    const properties = manifest.contributes.configuration.properties;
    assert.deepEqual(Object.keys(properties).sort(),
                     ['shiftlint.configFile', 'shiftlint.enable', 'shiftlint.path', 'shiftlint.trace.server']);
    assert.equal(properties['shiftlint.enable'].default, defaultSettings.enable);
    assert.equal(properties['shiftlint.path'].default, defaultSettings.path);
    assert.equal(properties['shiftlint.configFile'].default, defaultSettings.configFile);
    assert.equal(properties['shiftlint.trace.server'].default, defaultSettings.trace);
    assert.deepEqual(properties['shiftlint.trace.server'].enum, ['off', 'messages', 'verbose']);
  });

  it('contributes "shiftlint: Lint workspace", the command the server runs', () => {
    const command = manifest.contributes.commands.find((entry: { command: string }) => entry.command === lintWorkspaceCommand);
    assert.ok(command);
    assert.equal(`${command.category}: ${command.title}`, 'shiftlint: Lint workspace');
  });

  it('declares an engine no newer than @types/vscode (vsce refuses the opposite)', () => {
    assert.equal(manifest.engines.vscode, '^1.91.0');
    assert.equal(manifest.devDependencies['@types/vscode'], '1.91.0');
    assert.equal(manifest.main, './dist/extension.js');
  });

  it('pins exact versions and keeps registry URLs out of the lockfile', () => {
    for (const [name, version] of Object.entries({ ...manifest.dependencies, ...manifest.devDependencies }))
      assert.match(String(version), /^\d+\.\d+\.\d+$/, `${name} is pinned`);
    assert.equal(lock.includes('"resolved"'), false);
    assert.equal(JSON.parse(lock).packages[''].name, manifest.name);
  });
});
