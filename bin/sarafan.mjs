#!/usr/bin/env node
// `npm run sarafan -- …`: the CLI (src/cli/main.ts) compiled to plain JavaScript in dist/ and run by Node itself.
// Run through tsx, every module passes through its loader thread, which cost ~75 MB of the ~165 MB an import held
// before its first row (bench/import). Compiling is esbuild's transform of each file (esbuild comes with tsx, and
// the widget is built with it too): ~0.5 s, and only when a source is newer than the last build.
// The command runs in a child process, so that an import gets its own Node flags (see FLAGS).
import { spawn } from 'node:child_process';
import {
  closeSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { constants } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const src = join(root, 'src');
const out = join(root, 'dist');
const stamp = join(out, '.cli-build');

/**
 * Node flags per command, for an import's memory (bench/import, 200,000 rows: 466 MB of peak RSS with only
 * --max-old-space-size=128, 277 MB with these and the CLI's batches of 5,000 read in the main thread):
 * - a small V8 heap with small young generations, and `gc` exposed so the CLI collects after each batch: with
 *   room to spare V8 lets dead batches pile up (365 MB at 1M rows with Node's default limit);
 * - --no-liftoff: PGlite's WebAssembly compiled once, by the optimising compiler, when first called, instead of by
 *   the baseline compiler and again when hot (both kept: ~30–50 MB more). It costs ~2 s of CPU at the start.
 */
const FLAGS = {
  'import contacts': ['--no-liftoff', '--expose-gc', '--max-old-space-size=96', '--max-semi-space-size=4'],
};
FLAGS['import customers'] = FLAGS['import contacts'];
FLAGS['import resume'] = FLAGS['import contacts'];

function sources(dir, found = []) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) sources(path, found);
    else if (!/\.test\.tsx?$/.test(entry.name)) found.push(path);
  }
  return found;
}

/** Whether dist/ is at least as new as every source. */
function built(files) {
  const newest = Math.max(
    ...files.map((f) => statSync(f).mtimeMs),
    statSync(join(root, 'package.json')).mtimeMs,
  );
  return existsSync(stamp) && statSync(stamp).mtimeMs >= newest;
}

/**
 * One build at a time: two commands started together (tests run side by side) would both rewrite dist/, and one could
 * load a file the other is half-way through writing. The first takes the lock and builds; the others wait for it and
 * then find dist/ current. A lock left by a build that died is taken over after a minute.
 */
async function withBuildLock(fn) {
  mkdirSync(out, { recursive: true });
  const lock = join(out, '.cli-build.lock');
  for (;;) {
    try {
      closeSync(openSync(lock, 'wx'));
      break;
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
      try {
        if (Date.now() - statSync(lock).mtimeMs > 60_000) rmSync(lock, { force: true });
      } catch {}
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  try {
    await fn();
  } finally {
    rmSync(lock, { force: true });
  }
}

async function build() {
  const files = sources(src);
  if (built(files)) return;
  await withBuildLock(async () => {
    if (!built(files)) await compile(files);
  });
}

async function compile(files) {
  const esbuild = await import('esbuild');
  await esbuild.build({
    entryPoints: files.filter((f) => /\.tsx?$/.test(f)),
    outdir: out,
    outbase: src,
    format: 'esm',
    platform: 'node',
    target: `node${process.versions.node}`,
    jsx: 'automatic',
    jsxImportSource: 'hono/jsx',
    logLevel: 'warning',
  });
  // Files read beside the code (JSON imports; the widget's source, built when the server serves it).
  for (const f of files.filter((f) => !/\.tsx?$/.test(f) || f.endsWith(join('widget', 'widget.ts')))) {
    const to = join(out, relative(src, f));
    mkdirSync(dirname(to), { recursive: true });
    copyFileSync(f, to);
  }
  await esbuild.stop();
  writeFileSync(stamp, new Date().toISOString());
}

await build();
const args = process.argv.slice(2);
const command = args
  .filter((a) => !a.startsWith('-'))
  .slice(0, 2)
  .join(' ');
const child = spawn(process.execPath, [...(FLAGS[command] ?? []), join(out, 'cli', 'main.js'), ...args], {
  stdio: 'inherit',
});
// Ctrl-C reaches the child from the terminal itself (it pauses the import after the batch in flight): here it is
// only not fatal. A SIGTERM sent to this process is passed on.
process.on('SIGINT', () => {});
process.on('SIGTERM', () => child.kill('SIGTERM'));
child.on('exit', (code, signal) => {
  process.exit(signal ? 128 + (constants.signals[signal] ?? 0) : (code ?? 1));
});
