import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { minimatch } from 'minimatch';

import { DocumentFilter, documentSelector } from '../src/documentSelector';

interface Document {
  scheme: string;
  fsPath: string;
  languageId: string;  // what VS Code assigns with no language extension installed, unless noted
}

// A document matches a filter as in VS Code's languages.match: every field the filter sets must
// agree; a pattern is a glob over the document's file system path (`*` matches dot files too).
function matches(filter: DocumentFilter, document: Document): boolean {
  if (filter.scheme !== document.scheme) return false;
  if (filter.language !== undefined && filter.language !== document.languageId) return false;
  if (filter.pattern !== undefined && !minimatch(document.fsPath, filter.pattern, { dot: true })) return false;
  return true;
}

function selected(document: Document): boolean {
  return documentSelector.some((filter) => matches(filter, document));
}

const file = (fsPath: string, languageId: string): Document => ({ scheme: 'file', fsPath, languageId });

describe('the document selector', () => {
  const linted: Document[] = [
    file('/w/Dockerfile', 'dockerfile'),
    file('/w/docker/Dockerfile.prod', 'dockerfile'),
    file('/w/docker/api.Dockerfile', 'dockerfile'),
    file('/w/Containerfile', 'dockerfile'),
    // Without the Docker language (a user association to plain text, another editor profile):
    file('/w/docker/Dockerfile.prod', 'plaintext'),
    file('/w/docker/worker.dockerfile', 'plaintext'),
    file('/w/Containerfile.build', 'plaintext'),
    file('/w/dockerfile', 'plaintext'),
    file('/w/test/Dockerfile-nginx-proxy-tester', 'plaintext'),
    file('/w/Dockerfile_dev', 'plaintext'),
    file('/w/ecs/task-definition.json', 'json'),
    file('/w/Dockerrun.aws.json', 'json'),
    file('/w/cfn/stack.yaml', 'yaml'),
    file('/w/cfn/stack.yml', 'yaml'),
    file('/w/cfn/stack.template', 'plaintext'),
    file('/w/k8s/deployment.yaml.template', 'plaintext'),
    file('/w/k8s/deployment.yml.tmpl', 'plaintext'),
    file('/w/k8s/service.yaml.tpl', 'plaintext'),
    // Terraform: plain text without the HashiCorp extension, `terraform` with it.
    file('/w/infra/main.tf', 'plaintext'),
    file('/w/infra/main.tf', 'terraform'),
    file('/w/infra/prod.tfvars', 'plaintext'),
    file('/w/infra/prod.tfvars', 'terraform-vars'),
    file('/w/infra/prod.tfvars.json', 'json'),
    file('/w/infra/main.tf', 'hcl'),
    // Helm: `helm` with the Kubernetes extension, yaml / plain text without it.
    file('/w/charts/web/templates/deployment.yaml', 'helm'),
    file('/w/charts/web/templates/deployment.yaml', 'plaintext'),
    file('/w/charts/web/templates/jobs/cron.yml', 'plaintext'),
    file('/w/charts/web/templates/_helpers.tpl', 'plaintext'),
    file('/w/charts/web/values.yaml', 'yaml'),
    // Elastic Beanstalk
    file('/w/.ebextensions/01-ulimits.config', 'plaintext'),
    file('/w/.platform/hooks/prebuild/01-setup.sh', 'shellscript'),
    file('/w/.platform/confighooks/postdeploy/restart.sh', 'shellscript'),
    file('/w/Procfile', 'plaintext'),
    file('/w/cron.yaml', 'yaml'),
    // Build-context files a Dockerfile copies, and scripts that may start ECS tasks
    file('/w/docker/web/docker-entrypoint.sh', 'shellscript'),
    file('/w/docker/web/crontab', 'plaintext'),
    file('/w/docker/web/supervisord.conf', 'properties'),
    file('/w/docker/php/php.ini', 'ini'),
    file('/w/docker/entrypoint', 'plaintext'),
    file('/w/scripts/deploy.sh', 'shellscript'),
  ];
  for (const document of linted) {
    it(`sends ${document.fsPath} (${document.languageId})`, () => assert.equal(selected(document), true));
  }

  const ignored: Document[] = [
    file('/w/README.md', 'markdown'),
    file('/w/src/main.go', 'go'),
    file('/w/docs/templates.md', 'markdown'),
    file('/w/src/app.py', 'python'),
    { scheme: 'untitled', fsPath: 'Untitled-1', languageId: 'dockerfile' },
    { scheme: 'git', fsPath: '/w/Dockerfile', languageId: 'dockerfile' },
    { scheme: 'vscode-notebook-cell', fsPath: '/w/notebook.ipynb', languageId: 'json' },
  ];
  for (const document of ignored) {
    it(`leaves ${document.scheme}:${document.fsPath} (${document.languageId}) alone`, () =>
      assert.equal(selected(document), false));
  }

  // The names the pre-commit hooks and the server take as build-context files (a list shared with
  // their tests): staged beside the tests in the build tree, or in the repository's tests/ folder.
  it('sends exactly the build-context files the hooks pass and the server judges', () => {
    const packageRoot = path.resolve(__dirname, '..', '..');
    const list = [path.join(packageRoot, 'test', 'build_context_names.txt'),
                  path.join(packageRoot, '..', 'tests', 'build_context_names.txt')].find((candidate) => fs.existsSync(candidate));
    assert.ok(list, 'tests/build_context_names.txt not found');
    const entries = fs.readFileSync(list, 'utf8').split('\n').filter((line) => /^[+-] /.test(line));
    assert.ok(entries.length >= 10);
    for (const entry of entries) {
      const document = file(`/w/${entry.slice(2)}`, 'plaintext');
      assert.equal(selected(document), entry.startsWith('+'), entry);
    }
  });

  it('only selects documents on disk (the server needs a path for kind, config and project)', () => {
    for (const filter of documentSelector) assert.equal(filter.scheme, 'file');
  });
});
