// Bundles the extension and its runtime dependency (vscode-languageclient) into dist/extension.js,
// so the .vsix needs no node_modules. `vscode` is provided by the editor at run time.
import * as esbuild from 'esbuild';

const production = !process.argv.includes('--dev');

await esbuild.build({
  entryPoints: ['src/extension.ts'],
  bundle: true,
  outfile: 'dist/extension.js',
  external: ['vscode'],
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  minify: production,
  sourcemap: !production,
  logLevel: 'warning',
});
