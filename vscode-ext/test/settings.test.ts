import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  configurationChange,
  defaultSettings,
  ExtensionSettings,
  initializationOptions,
  reactionToChange,
  readSettings,
  serverCommand,
  serverSettings,
  settingsFromSection,
} from '../src/settings';

function reader(values: Record<string, unknown>) {
  return (key: string) => values[key];
}

const context = { homeDirectory: '/home/dev', workspaceFolder: '/work/project' };

describe('reading settings', () => {
  it('gives the documented defaults when nothing is set', () => {
    assert.deepEqual(readSettings(reader({})), { enable: true, path: '', configFile: '', trace: 'off' });
    assert.deepEqual(readSettings(reader({})), defaultSettings);
  });

  it('reads every setting', () => {
    const settings = readSettings(reader({
      'enable': false, 'path': ' /opt/shiftlint ', 'configFile': 'ci/shiftlint.yaml', 'trace.server': 'verbose',
    }));
    assert.deepEqual(settings, { enable: false, path: '/opt/shiftlint', configFile: 'ci/shiftlint.yaml', trace: 'verbose' });
  });

  it('falls back to defaults for values of the wrong type (settings.json is hand-edited)', () => {
    const settings = readSettings(reader({ 'enable': 'no', 'path': 42, 'configFile': null, 'trace.server': 'loud' }));
    assert.deepEqual(settings, defaultSettings);
  });

  it('reads the section object VS Code answers workspace/configuration with', () => {
    const section = { enable: true, path: '', configFile: '${workspaceFolder}/ci/lint.yaml', trace: { server: 'messages' } };
    assert.deepEqual(settingsFromSection(section),
                     { enable: true, path: '', configFile: '${workspaceFolder}/ci/lint.yaml', trace: 'messages' });
    assert.deepEqual(settingsFromSection(null), defaultSettings);
    assert.deepEqual(settingsFromSection('garbage'), defaultSettings);
  });
});

describe('settings sent to the server', () => {
  it('sends {enable, configFile: null} when no config file is set (each file finds its .shiftlint.yaml)', () => {
    assert.deepEqual(serverSettings(defaultSettings, context), { enable: true, configFile: null });
  });

  it('expands ~ and ${workspaceFolder}, and leaves a relative path for the server to resolve', () => {
    const of = (configFile: string) => serverSettings({ ...defaultSettings, configFile }, context).configFile;
    assert.equal(of('${workspaceFolder}/ci/lint.yaml'), '/work/project/ci/lint.yaml');
    assert.equal(of('~/lint.yaml'), '/home/dev/lint.yaml');
    assert.equal(of('ci/lint.yaml'), 'ci/lint.yaml');
    assert.equal(of('/etc/shiftlint.yaml'), '/etc/shiftlint.yaml');
  });

  it('keeps ${workspaceFolder} as written when no folder is open (the server reports the missing file)', () => {
    const settings = { ...defaultSettings, configFile: '${workspaceFolder}/lint.yaml' };
    assert.equal(serverSettings(settings, { homeDirectory: '/home/dev' }).configFile, '${workspaceFolder}/lint.yaml');
  });

  it('wraps them as the server reads them: initializationOptions.shiftlint and settings.shiftlint', () => {
    const settings: ExtensionSettings = { enable: false, path: '/opt/shiftlint', configFile: 'lint.yaml', trace: 'off' };
    assert.deepEqual(initializationOptions(settings, context), { shiftlint: { enable: false, configFile: 'lint.yaml' } });
    assert.deepEqual(configurationChange(settings, context), { settings: { shiftlint: { enable: false, configFile: 'lint.yaml' } } });
  });

  it('starts `<binary> lsp` over stdio in the workspace folder', () => {
    assert.deepEqual(serverCommand('/usr/bin/shiftlint', '/work/project'),
                     { command: '/usr/bin/shiftlint', args: ['lsp'], options: { cwd: '/work/project' } });
    assert.deepEqual(serverCommand('/usr/bin/shiftlint'), { command: '/usr/bin/shiftlint', args: ['lsp'], options: {} });
    // No `transport`: the language client then talks over the process's stdin/stdout.
    assert.equal('transport' in serverCommand('/usr/bin/shiftlint'), false);
  });
});

describe('reacting to settings changes', () => {
  const on = defaultSettings;
  const off = { ...defaultSettings, enable: false };
  it('starts and stops the server with shiftlint.enable', () => {
    assert.equal(reactionToChange(on, off), 'stop');
    assert.equal(reactionToChange(off, on), 'start');
  });
  it('restarts for a new binary, notifies for a new config file', () => {
    assert.equal(reactionToChange(on, { ...on, path: '/opt/shiftlint' }), 'restart');
    assert.equal(reactionToChange(on, { ...on, configFile: 'lint.yaml' }), 'notify');
  });
  it('does nothing while disabled, or for the trace level (the client follows it itself)', () => {
    assert.equal(reactionToChange(off, { ...off, path: '/opt/shiftlint' }), 'none');
    assert.equal(reactionToChange(on, { ...on, trace: 'verbose' }), 'none');
    assert.equal(reactionToChange(on, { ...on }), 'none');
  });
});
