// Summarises a V8 CPU profile (bench/answers with PROFILE=dir): self time by category and by function.
// node bench/profile-summary.cjs FILE.cpuprofile [TOP] [AFTER_US] — AFTER_US (the dir's ready-us-* file) leaves out the setup.
const fs = require('fs');
const p = JSON.parse(fs.readFileSync(process.argv[2]));
const N = +process.argv[3] || 40;
const after = +process.argv[4] || 0;
const dt = new Map();
let t = p.startTime;
for (let i = 0; i < p.samples.length; i++) {
  t += p.timeDeltas[i];
  if (t < after) continue;
  dt.set(p.samples[i], (dt.get(p.samples[i]) || 0) + (p.timeDeltas[i] || 0));
}
const self = new Map(),
  cat = new Map();
let total = 0;
for (const n of p.nodes) {
  const t = (dt.get(n.id) || 0) / 1000;
  total += t;
  const cf = n.callFrame;
  const key = `${cf.functionName || '(anon)'} ${cf.url.replace(/.*node_modules\//, 'nm/').replace(/.*\/work\/main\//, '')}:${cf.lineNumber}`;
  self.set(key, (self.get(key) || 0) + t);
  let c = cf.url;
  if (!c) c = cf.functionName;
  else if (c.includes('node_modules/')) {
    c =
      'nm/' +
      c
        .split('node_modules/')
        .pop()
        .split('/')
        .slice(0, c.includes('node_modules/@') ? 2 : 1)
        .join('/');
  } else if (c.startsWith('node:')) c = c.split('/').slice(0, 1).join('/');
  else
    c = c
      .replace(/.*\/work\/main\//, '')
      .split('/')
      .slice(0, 3)
      .join('/');
  cat.set(c, (cat.get(c) || 0) + t);
}
console.log('total ms', total.toFixed(0));
console.log('--- categories');
for (const [k, v] of [...cat].sort((a, b) => b[1] - a[1]).slice(0, 30))
  console.log(((v / total) * 100).toFixed(1).padStart(5) + '% ' + v.toFixed(0).padStart(7) + ' ' + k);
console.log('--- self');
for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, N))
  console.log(((v / total) * 100).toFixed(1).padStart(5) + '% ' + v.toFixed(0).padStart(7) + ' ' + k);
