import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { describeWorkspaceLint, describeWorkspaceLintFailure } from '../src/workspaceLint';

describe('the workspace lint summary', () => {
  it('counts findings and files', () => {
    assert.equal(describeWorkspaceLint({ files: 12, findings: 3 }),
                 'shiftlint: linted 12 files; 3 findings outside the open editors, listed in the Problems panel.');
    assert.equal(describeWorkspaceLint({ files: 1, findings: 1 }),
                 'shiftlint: linted 1 file; 1 finding outside the open editors, listed in the Problems panel.');
  });
  it('says when there is nothing to fix', () => {
    assert.equal(describeWorkspaceLint({ files: 40, findings: 0 }),
                 'shiftlint: linted 40 files; no findings outside the open editors (those are linted as you type).');
  });
  it('does not invent numbers when the server failed', () => {
    for (const answer of [undefined, null, {}, { files: '3' }, 'done'])
      assert.equal(describeWorkspaceLint(answer),
                   'shiftlint: the workspace lint did not finish (see the shiftlint output for details).');
  });
  it('stays quiet when the user cancelled, and names any other failure', () => {
    assert.equal(describeWorkspaceLintFailure({ code: -32800, message: 'the workspace lint was cancelled' }), undefined);
    assert.equal(describeWorkspaceLintFailure({ code: -32803, message: 'no workspace folder is open' }),
                 'shiftlint: the workspace lint failed: no workspace folder is open');
    assert.equal(describeWorkspaceLintFailure(new Error('connection closed')),
                 'shiftlint: the workspace lint failed: connection closed');
  });
});
