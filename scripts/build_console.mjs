// Builds the agent console for serving: its ES modules bundled into one script and its stylesheets into
// one stylesheet, each named by a hash of its content (so browsers may keep them for a year: see
// cache_control in api/routes/console.py), and index.html naming them. The built files are committed, so
// installing omnihub needs no Node.js; CI rebuilds and fails when they differ from the sources.
//
//   npm ci && npm run build
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { build } from 'esbuild';

const CONSOLE = 'src/omnihub/web/console';
const ASSETS = `${CONSOLE}/assets`;
const BANNER =
  '/*! omnihub console (Apache-2.0). Bundles Preact (MIT) and htm (Apache-2.0): licences and versions ' +
  'in vendor/ next to this folder. */';

async function bundle(entry, extension) {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    format: 'esm',
    target: ['es2022'], // top-level await in main.js
    minify: true,
    legalComments: 'eof', // licence comments of the sources stay in the bundle
    banner: { js: BANNER, css: BANNER },
    charset: 'utf8',
    write: false,
    outdir: ASSETS,
    logLevel: 'warning',
  });
  const [output] = result.outputFiles.filter((file) => file.path.endsWith(extension));
  const hash = createHash('sha256').update(output.contents).digest('hex').slice(0, 12);
  const name = `console.${hash}${extension}`;
  writeFileSync(`${ASSETS}/${name}`, output.contents);
  return `assets/${name}`;
}

rmSync(ASSETS, { recursive: true, force: true });
mkdirSync(ASSETS);
const script = await bundle(`${CONSOLE}/js/main.js`, '.js');
const style = await bundle(`${CONSOLE}/styles/index.css`, '.css');

writeFileSync(
  `${CONSOLE}/index.html`,
  `<!doctype html>
<html lang="en" dir="ltr">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>omnihub</title>
  <link rel="icon" href="icon.svg" type="image/svg+xml">
  <!-- Built by scripts/build_console.mjs from js/ and styles/: edit those, then run npm run build. -->
  <!-- No inline script or style anywhere: the page is served with script-src 'self'; style-src 'self'. -->
  <link rel="stylesheet" href="${style}">
  <script type="module" src="${script}"></script>
</head>
<body>
  <div id="app"></div>
</body>
</html>
`,
);
console.log(`built ${readdirSync(ASSETS).join(', ')}`);
