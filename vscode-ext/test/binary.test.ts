import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';

import { BinaryLookup, FileStatus, nodeFileProbe, resolveBinary } from '../src/binary';

// A file system of a few paths; everything else is absent.
function probeOf(files: Record<string, FileStatus>) {
  return (file: string): FileStatus => files[file] ?? 'absent';
}

const base: BinaryLookup = {
  configuredPath: '',
  workspaceFolder: '/work/project',
  extensionPath: '/ext/shiftlint-0.1.0',
  environmentPath: '/usr/local/bin:/usr/bin',
  platform: 'linux',
  homeDirectory: '/home/dev',
};

describe('binary resolution without a setting', () => {
  it('takes shiftlint from the first PATH folder that has it', () => {
    const probe = probeOf({ '/usr/bin/shiftlint': 'executable', '/ext/shiftlint-0.1.0/bin/shiftlint': 'executable' });
    assert.deepEqual(resolveBinary(base, probe), { kind: 'found', path: '/usr/bin/shiftlint', source: 'path' });
  });

  it('skips a non-executable match on PATH, as a shell does', () => {
    const probe = probeOf({ '/usr/local/bin/shiftlint': 'not-executable', '/usr/bin/shiftlint': 'executable' });
    assert.deepEqual(resolveBinary(base, probe), { kind: 'found', path: '/usr/bin/shiftlint', source: 'path' });
  });

  it('ignores empty PATH entries (the editor\'s working folder is not the user\'s)', () => {
    const probe = probeOf({ 'shiftlint': 'executable', '/ext/shiftlint-0.1.0/bin/shiftlint': 'executable' });
    const resolved = resolveBinary({ ...base, environmentPath: ':/usr/bin:' }, probe);
    assert.deepEqual(resolved, { kind: 'found', path: '/ext/shiftlint-0.1.0/bin/shiftlint', source: 'bundled' });
  });

  it('falls back to the binary bundled in bin/', () => {
    const probe = probeOf({ '/ext/shiftlint-0.1.0/bin/shiftlint': 'executable' });
    assert.deepEqual(resolveBinary(base, probe),
                     { kind: 'found', path: '/ext/shiftlint-0.1.0/bin/shiftlint', source: 'bundled' });
  });

  it('reports a bundled binary that lost its executable bit, with the chmod to run', () => {
    const probe = probeOf({ '/ext/shiftlint-0.1.0/bin/shiftlint': 'not-executable' });
    const resolved = resolveBinary(base, probe);
    assert.equal(resolved.kind, 'problem');
    assert.ok(resolved.kind === 'problem');
    assert.equal(resolved.problem, 'not-executable');
    assert.equal(resolved.path, '/ext/shiftlint-0.1.0/bin/shiftlint');
    assert.match(resolved.message, /not executable/);
    assert.match(resolved.message, /chmod \+x "\/ext\/shiftlint-0\.1\.0\/bin\/shiftlint"/);
  });

  it('reports a non-executable shiftlint on PATH when nothing else is usable', () => {
    const resolved = resolveBinary(base, probeOf({ '/usr/bin/shiftlint': 'not-executable' }));
    assert.ok(resolved.kind === 'problem');
    assert.equal(resolved.problem, 'not-executable');
    assert.equal(resolved.path, '/usr/bin/shiftlint');
  });

  it('says where it looked and how to fix it when there is no binary at all', () => {
    const resolved = resolveBinary(base, probeOf({}));
    assert.ok(resolved.kind === 'problem');
    assert.equal(resolved.problem, 'missing');
    assert.equal(resolved.path, undefined);
    assert.deepEqual(resolved.looked,
                     ['/usr/local/bin/shiftlint', '/usr/bin/shiftlint', '/ext/shiftlint-0.1.0/bin/shiftlint']);
    assert.equal(resolved.message,
                 'The shiftlint binary was not found on PATH nor bundled with the extension ' +
                 '(/ext/shiftlint-0.1.0/bin/shiftlint). Build it (scripts/build in the shiftlint repository) ' +
                 'and put it on PATH, or set shiftlint.path.');
  });

  it('copes with no PATH at all', () => {
    const resolved = resolveBinary({ ...base, environmentPath: undefined }, probeOf({}));
    assert.ok(resolved.kind === 'problem');
    assert.deepEqual(resolved.looked, ['/ext/shiftlint-0.1.0/bin/shiftlint']);
  });

  it('looks for shiftlint.exe on Windows, in ;-separated PATH folders', () => {
    const lookup: BinaryLookup = { ...base, platform: 'win32', environmentPath: 'C:\\tools;C:\\bin' };
    const expected = path.join('C:\\bin', 'shiftlint.exe');
    const resolved = resolveBinary(lookup, probeOf({ [expected]: 'executable' }));
    assert.deepEqual(resolved, { kind: 'found', path: expected, source: 'path' });
  });
});

describe('binary resolution with shiftlint.path', () => {
  it('uses an absolute path as it is, ahead of PATH', () => {
    const probe = probeOf({ '/opt/shiftlint/bin/shiftlint': 'executable', '/usr/bin/shiftlint': 'executable' });
    assert.deepEqual(resolveBinary({ ...base, configuredPath: '/opt/shiftlint/bin/shiftlint' }, probe),
                     { kind: 'found', path: '/opt/shiftlint/bin/shiftlint', source: 'setting' });
  });

  it('reports a configured path that does not exist, without falling back to PATH', () => {
    const probe = probeOf({ '/usr/bin/shiftlint': 'executable' });
    const resolved = resolveBinary({ ...base, configuredPath: '/opt/nowhere/shiftlint' }, probe);
    assert.deepEqual(resolved, {
      kind: 'problem', problem: 'missing', path: '/opt/nowhere/shiftlint', looked: ['/opt/nowhere/shiftlint'],
      message: 'shiftlint.path is "/opt/nowhere/shiftlint", but /opt/nowhere/shiftlint does not exist.',
    });
  });

  it('reports a configured file that is not executable', () => {
    const resolved = resolveBinary({ ...base, configuredPath: '/opt/shiftlint' }, probeOf({ '/opt/shiftlint': 'not-executable' }));
    assert.ok(resolved.kind === 'problem');
    assert.equal(resolved.problem, 'not-executable');
    assert.equal(resolved.message,
                 'shiftlint.path is "/opt/shiftlint", but /opt/shiftlint is not executable. Make it executable ' +
                 '(chmod +x "/opt/shiftlint") or point shiftlint.path at another binary.');
  });

  it('reports a configured folder', () => {
    const resolved = resolveBinary({ ...base, configuredPath: '/opt/shiftlint' }, probeOf({ '/opt/shiftlint': 'directory' }));
    assert.ok(resolved.kind === 'problem');
    assert.equal(resolved.problem, 'not-a-file');
    assert.match(resolved.message, /\/opt\/shiftlint is a folder, not the shiftlint binary/);
  });

  it('resolves a relative path against the first workspace folder', () => {
    const probe = probeOf({ '/work/project/build/shiftlint': 'executable' });
    assert.deepEqual(resolveBinary({ ...base, configuredPath: 'build/shiftlint' }, probe),
                     { kind: 'found', path: '/work/project/build/shiftlint', source: 'setting' });
  });

  it('cannot resolve a relative path with no folder open', () => {
    const { workspaceFolder: _unused, ...noFolder } = base;
    const resolved = resolveBinary({ ...noFolder, configuredPath: 'build/shiftlint' }, probeOf({}));
    assert.ok(resolved.kind === 'problem');
    assert.equal(resolved.problem, 'missing');
    assert.match(resolved.message, /relative path "build\/shiftlint", but no folder is open/);
  });

  it('expands ${workspaceFolder} and ~', () => {
    const probe = probeOf({ '/work/project/build-release/shiftlint': 'executable', '/home/dev/bin/shiftlint': 'executable' });
    assert.deepEqual(resolveBinary({ ...base, configuredPath: '${workspaceFolder}/build-release/shiftlint' }, probe),
                     { kind: 'found', path: '/work/project/build-release/shiftlint', source: 'setting' });
    assert.deepEqual(resolveBinary({ ...base, configuredPath: '~/bin/shiftlint' }, probe),
                     { kind: 'found', path: '/home/dev/bin/shiftlint', source: 'setting' });
  });

  it('looks a bare name up on PATH', () => {
    const probe = probeOf({ '/usr/bin/shiftlint-nightly': 'executable' });
    assert.deepEqual(resolveBinary({ ...base, configuredPath: 'shiftlint-nightly' }, probe),
                     { kind: 'found', path: '/usr/bin/shiftlint-nightly', source: 'setting' });
    const missing = resolveBinary({ ...base, configuredPath: 'shiftlint-beta' }, probe);
    assert.ok(missing.kind === 'problem');
    assert.equal(missing.message, 'shiftlint.path names "shiftlint-beta", but no such program is on PATH.');
    assert.deepEqual(missing.looked, ['/usr/local/bin/shiftlint-beta', '/usr/bin/shiftlint-beta']);
  });

  it('treats a blank setting as unset', () => {
    const probe = probeOf({ '/usr/bin/shiftlint': 'executable' });
    assert.deepEqual(resolveBinary({ ...base, configuredPath: '   ' }, probe),
                     { kind: 'found', path: '/usr/bin/shiftlint', source: 'path' });
  });
});

describe('the file probe on a real file system', () => {
  it('tells executables, plain files, folders and missing paths apart', (context) => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'shiftlint-probe-'));
    context.after(() => fs.rmSync(folder, { recursive: true, force: true }));
    const executable = path.join(folder, 'shiftlint');
    const plain = path.join(folder, 'shiftlint.txt');
    fs.writeFileSync(executable, '#!/bin/sh\n', { mode: 0o755 });
    fs.writeFileSync(plain, 'not a program\n', { mode: 0o644 });
    fs.symlinkSync(executable, path.join(folder, 'link'));
    assert.equal(nodeFileProbe(executable), 'executable');
    assert.equal(nodeFileProbe(path.join(folder, 'link')), 'executable');
    assert.equal(nodeFileProbe(plain), 'not-executable');
    assert.equal(nodeFileProbe(folder), 'directory');
    assert.equal(nodeFileProbe(path.join(folder, 'absent')), 'absent');
    fs.symlinkSync(path.join(folder, 'absent'), path.join(folder, 'dangling'));
    assert.equal(nodeFileProbe(path.join(folder, 'dangling')), 'absent');
  });

  it('resolves through PATH and bin/ on disk, and refuses a non-executable bundled binary', (context) => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'shiftlint-resolve-'));
    context.after(() => fs.rmSync(folder, { recursive: true, force: true }));
    const extension = path.join(folder, 'extension');
    fs.mkdirSync(path.join(extension, 'bin'), { recursive: true });
    const bundled = path.join(extension, 'bin', 'shiftlint');
    fs.writeFileSync(bundled, '#!/bin/sh\n', { mode: 0o644 });
    const lookup: BinaryLookup = { ...base, extensionPath: extension, environmentPath: path.join(folder, 'empty-path') };
    const refused = resolveBinary(lookup);
    assert.ok(refused.kind === 'problem');
    assert.equal(refused.problem, 'not-executable');
    fs.chmodSync(bundled, 0o755);
    assert.deepEqual(resolveBinary(lookup), { kind: 'found', path: bundled, source: 'bundled' });
  });
});
