/**
 * @module (Type-checked with the DOM library by web/tsconfig.json.) The NPS widget a business embeds with `<script src="…/w/{slug}.js" async>`. Runs in the visitor's
 * browser: built by esbuild into one minified function body; the server wraps it as
 * `(function(SARAFAN_CONFIG){…})({…})`. Everything lives in a Shadow DOM whose top element resets every
 * inherited property (`all: initial`), so the host page's styles cannot reach in and ours cannot leak out.
 */
import type { WidgetConfig, WidgetLocale } from './config.js';

declare const SARAFAN_CONFIG: WidgetConfig;

const css = `.w{all:initial;display:block;box-sizing:border-box;width:min(360px,calc(100vw - 24px));padding:16px;border-radius:12px;background:#fff;color:#1d2330;box-shadow:0 4px 24px #0003,0 0 0 1px #0001;font:15px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;text-align:left}
*{box-sizing:border-box;margin:0}
button,textarea{font:inherit;color:inherit}
.q{padding-right:28px;font-weight:700;font-size:16px}
.s{display:grid;grid-template-columns:repeat(11,1fr);gap:3px;margin-top:12px}
button{cursor:pointer;border:2px solid #c5cbd3;border-radius:6px;background:#fff;padding:0;min-height:36px;font-weight:600;font-size:14px}
button:hover{border-color:#6b7380}
button:focus-visible,textarea:focus-visible{outline:3px solid #1d4ed8;outline-offset:1px}
button[aria-pressed=true]{background:#1d2330;border-color:#1d2330;color:#fff}
.e{display:flex;justify-content:space-between;gap:8px;margin-top:6px;color:#5a6271;font-size:12px}
label{display:block;margin-top:14px;font-weight:600}
small{color:#5a6271;font-weight:400;font-size:13px}
textarea{display:block;width:100%;min-height:72px;margin-top:6px;padding:8px;border:2px solid #c5cbd3;border-radius:6px;resize:vertical;background:#fff}
.go{display:block;width:100%;margin-top:10px;min-height:40px;border:0;background:#1d4ed8;color:#fff;font-weight:700}
.x{position:absolute;top:8px;right:8px;width:32px;min-height:32px;border:0;background:none;color:#5a6271;font-size:20px;line-height:1}
.l{font-weight:600}
.l:empty{display:none}
.l:not(:empty){margin-top:10px}
[hidden]{display:none!important}`;

interface Parts {
  host: HTMLElement;
  card: HTMLElement;
}

function storage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

/** A random device id kept in localStorage (16 bytes, hex); the server stores only an HMAC of it. */
function deviceId(): string {
  const store = storage();
  const known = store?.getItem('sarafan:device');
  if (known && /^[0-9a-f]{32}$/.test(known)) return known;
  const id = Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) =>
    b.toString(16).padStart(2, '0'),
  ).join('');
  try {
    store?.setItem('sarafan:device', id);
  } catch {
    // Storage full or blocked: this visit still works, with a device id of its own.
  }
  return id;
}

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Partial<HTMLElementTagNameMap[K]> & Record<string, unknown> = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (key.startsWith('aria-') || key === 'role') node.setAttribute(key, String(value));
    else (node as unknown as Record<string, unknown>)[key] = value;
  }
  node.append(...children);
  return node;
}

function start(cfg: WidgetConfig, script: HTMLScriptElement | null): void {
  const store = storage();
  const quietKey = `sarafan:quiet:${cfg.slug}`;
  if (Number(store?.getItem(quietKey) ?? 0) > Date.now()) return;
  const asked = script?.dataset.lang;
  const lang: WidgetLocale = asked === 'en' || asked === 'ru' ? asked : cfg.lang;
  const t = cfg.texts[lang];

  const quiet = () => {
    try {
      store?.setItem(quietKey, String(Date.now() + cfg.quietDays * 864e5));
    } catch {
      // Not remembered: the widget shows again on the next page.
    }
  };
  const parts: Parts = { host: el('div'), card: el('div') };
  const close = () => {
    quiet();
    parts.host.remove();
  };

  const root = parts.host.attachShadow({ mode: 'open' });
  parts.host.style.cssText = 'position:fixed;right:12px;bottom:12px;z-index:2147483647';
  const live = el('p', { className: 'l', 'aria-live': 'polite' });
  const reason = el('textarea', { id: 'r', maxLength: 2000, rows: 3 });
  const send = el('button', { type: 'button', className: 'go' }, t.send);
  const why = el(
    'div',
    { hidden: true },
    el('label', { htmlFor: 'r' }, `${t.reason} `, el('small', {}, `(${t.optional})`)),
    reason,
    send,
  );
  let score = -1;
  const scale = el('div', { className: 's', role: 'group', 'aria-labelledby': 'q' });
  const buttons: HTMLButtonElement[] = [];
  for (let s = 0; s <= 10; s++) {
    const b = el(
      'button',
      { type: 'button', 'aria-pressed': 'false', 'aria-label': `${s} ${t.of}` },
      String(s),
    );
    b.addEventListener('click', () => {
      score = s;
      for (const other of buttons) other.setAttribute('aria-pressed', String(other === b));
      why.hidden = false;
      reason.focus();
    });
    buttons.push(b);
    scale.append(b);
  }
  const ends = el(
    'div',
    { className: 'e', 'aria-hidden': 'true' },
    el('span', {}, t.low),
    el('span', {}, t.high),
  );
  const form = el('div', {}, el('p', { className: 'q', id: 'q' }, t.question), scale, ends, why);
  const x = el('button', { type: 'button', className: 'x', 'aria-label': t.close }, '×');
  x.addEventListener('click', close);
  parts.card = el(
    'div',
    { className: 'w', role: 'region', 'aria-label': t.region, lang },
    el('style', {}, css),
    form,
    live,
    x,
  );
  parts.card.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') close();
  });

  send.addEventListener('click', async () => {
    if (score < 0 || send.disabled) return;
    send.disabled = true;
    live.textContent = '';
    try {
      const r = await fetch(new URL(cfg.url, script?.src || location.href), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ score, reason: reason.value, device: deviceId(), lang }),
        credentials: 'omit',
      });
      if (!r.ok) throw new Error(String(r.status));
      form.remove();
      live.textContent = t.thanks;
      quiet();
      x.focus();
    } catch {
      live.textContent = t.failed;
      send.disabled = false;
    }
  });

  root.append(parts.card);
  document.body.append(parts.host);
}

{
  const script = document.currentScript as HTMLScriptElement | null;
  const run = () => start(SARAFAN_CONFIG, script);
  if (document.body) run();
  else document.addEventListener('DOMContentLoaded', run);
}
