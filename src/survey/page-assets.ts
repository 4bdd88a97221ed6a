/** @module The inline stylesheet and script of the survey pages, and the CSP that admits exactly them. */
import { createHash } from 'node:crypto';

/**
 * Mobile-first: at 360 px the eleven scores sit in two staggered rows of ≥ 48 px buttons; from
 * 520 px in one row. The segment hint (0–6 / 7–8 / 9–10) is a stripe under each score that differs
 * in colour and in pattern (solid, dashed, double line), and the meaning is always in the digits and the
 * two end labels, so colour is never the only carrier (WCAG 2.2, 1.4.1 Use of Color). The chosen
 * score is shown by a dark fill, not by hue.
 */
export const surveyStyle = `*{box-sizing:border-box}
[hidden]{display:none!important}
html{-webkit-text-size-adjust:100%;text-size-adjust:100%}
body{margin:0;background:#f3f4f6;color:#1d2330;font:17px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif}
main{max-width:40rem;margin:0 auto;padding:16px 12px 40px}
.card{background:#fff;border-radius:14px;padding:20px 16px 24px;box-shadow:0 1px 3px #0002}
.org{margin:0 0 12px;color:#5a6271;font-size:15px;font-weight:600}
h1,legend{margin:0 0 16px;padding:0;font-size:21px;line-height:1.3;font-weight:700}
p{margin:0 0 16px}
.note{padding:10px 12px;border-radius:8px;background:#eef2ff;font-size:15px}
.alert{padding:10px 12px;border:2px solid #b42318;border-radius:8px;background:#fef3f2;color:#912018;font-weight:600}
fieldset{margin:0 0 24px;padding:0;border:0;min-width:0}
.scale{display:grid;grid-template-columns:repeat(12,1fr);gap:8px 6px}
.scale label{position:relative;grid-column:span 2;cursor:pointer}
.scale label:nth-child(7){grid-column:2/span 2}
.scale input{position:absolute;inset:0;width:100%;height:100%;margin:0;opacity:0;cursor:pointer}
.scale span{position:relative;display:flex;align-items:center;justify-content:center;min-height:50px;padding-bottom:6px;border:2px solid #c5cbd3;border-radius:8px;background:#fff;font-size:18px;font-weight:600;pointer-events:none}
.scale span::after{content:"";position:absolute;left:7px;right:7px;bottom:5px;height:5px;border-radius:3px;background:var(--c)}
.detractor{--c:#d64545}
.passive{--c:repeating-linear-gradient(90deg,#d99a00 0 5px,#0000 5px 8px)}
.promoter{--c:linear-gradient(#23955a 0 0) top/100% 2px no-repeat,linear-gradient(#23955a 0 0) bottom/100% 2px no-repeat}
.scale label:hover span{border-color:#6b7380}
.scale input:checked+span{border-color:#1d2330;background:#1d2330;color:#fff;font-weight:800}
.scale input:focus-visible+span{outline:3px solid #1d4ed8;outline-offset:2px}
.ends{display:flex;justify-content:space-between;gap:16px;margin-top:10px;color:#5a6271;font-size:14px;line-height:1.3}
.ends span:last-child{text-align:right}
.why label{display:block;margin-bottom:8px;font-weight:600}
.why small{color:#5a6271;font-size:14px;font-weight:400}
textarea{display:block;width:100%;min-height:112px;padding:10px 12px;border:2px solid #c5cbd3;border-radius:8px;font:inherit;resize:vertical}
textarea:focus,button:focus-visible{outline:3px solid #1d4ed8;outline-offset:1px}
button{display:block;width:100%;min-height:52px;margin-top:20px;border:0;border-radius:10px;background:#1d4ed8;color:#fff;font:inherit;font-weight:700;cursor:pointer}
button:disabled{background:#a3abb8;cursor:default}
a{display:inline-block;padding:6px 0;color:#1d4ed8;font-weight:600}
.card>:last-child{margin-bottom:0}
.mark{display:grid;place-items:center;width:56px;height:56px;margin-bottom:16px;border-radius:50%;background:#e3f4ea;color:#1b7a48;font-size:30px}
@media(min-width:520px){main{padding-top:40px}.card{padding:28px}.scale{grid-template-columns:repeat(11,1fr)}.scale label,.scale label:nth-child(7){grid-column:auto}}`;

/**
 * Progressive enhancement only: until a score is picked the reason is hidden and the button
 * disabled; picking one reveals and focuses the reason. Nothing is ever submitted by script, and
 * when a score is already checked (from the e-mail link or an earlier answer) the page is left as is.
 */
export const surveyScript =
  "(()=>{const f=document.getElementById('survey'),w=document.getElementById('why'),b=f.querySelector('button');" +
  'if(f.querySelector(":checked"))return;w.hidden=b.disabled=true;' +
  "f.addEventListener('change',e=>{if(e.target.name==='score'&&w.hidden){w.hidden=b.disabled=false;f.reason.focus()}})})()";

const sha256 = (text: string) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

/**
 * A Content-Security-Policy header value for every page here: nothing external, only our own inline
 * style and script by hash (CSP Level 3, hash-source: only these exact bytes run, so no injected script or style
 * can), forms post only to the same origin, and no one may frame the page.
 */
export const surveyPageContentSecurityPolicy = [
  "default-src 'none'",
  `style-src ${sha256(surveyStyle)}`,
  `script-src ${sha256(surveyScript)}`,
  "form-action 'self'",
  "base-uri 'none'",
  // Nobody frames a survey page (clickjacking a score); the widget draws itself in the host page, no frame.
  "frame-ancestors 'none'",
].join('; ');
