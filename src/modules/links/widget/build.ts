/**
 * @module Builds the widget once per process with esbuild (already installed with tsx): bundled, minified,
 * cached. Simpler and sturdier than a separate build step: the script cannot go stale against the server that
 * serves it, and a fresh checkout needs no build for it.
 */
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { WidgetConfig } from './config.js';

const entry = fileURLToPath(new URL('./widget.ts', import.meta.url));

let compiled: Promise<string> | null = null;

/** The minified widget, a statement list that reads the free variable `SARAFAN_CONFIG`. */
export function widgetBundle(): Promise<string> {
  compiled ??= build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    minify: true,
    format: 'iife',
    target: 'es2020',
    legalComments: 'none',
    logLevel: 'silent',
  }).then((result) => result.outputFiles[0]!.text.trim());
  compiled.catch(() => {
    compiled = null;
  });
  return compiled;
}

/** The script served at /w/{slug}.js: the bundle with this link's configuration bound to `SARAFAN_CONFIG`. */
export async function widgetScript(config: WidgetConfig): Promise<string> {
  const json = JSON.stringify(config).replace(/</g, '\\u003c');
  return `(function(SARAFAN_CONFIG){${await widgetBundle()}})(${json});\n`;
}
