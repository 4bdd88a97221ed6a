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

// The time of library and runtime frames charged to the nearest project function (src/) that called them: where
// drizzle, pg or the garbage collector's work comes from. Idle and program time are left out.
const parent = new Map();
for (const n of p.nodes) for (const c of n.children || []) parent.set(c, n.id);
const byId = new Map(p.nodes.map((n) => [n.id, n]));
const charged = new Map();
for (const n of p.nodes) {
  const t = (dt.get(n.id) || 0) / 1000;
  const name = n.callFrame.functionName;
  if (!t || name === '(idle)' || name === '(program)') continue;
  let id = n.id;
  let owner = null;
  while (id !== undefined) {
    const cf = byId.get(id).callFrame;
    if (cf.url.includes('/src/') && !cf.url.includes('node_modules')) {
      owner = `${cf.functionName || '(anon)'} ${cf.url.replace(/.*\/src\//, 'src/')}:${cf.lineNumber}`;
      break;
    }
    id = parent.get(id);
  }
  const key = owner ?? '(no project frame)';
  charged.set(key, (charged.get(key) || 0) + t);
}
console.log('--- inclusive time below the nearest project function');
for (const [k, v] of [...charged].sort((a, b) => b[1] - a[1]).slice(0, N))
  console.log(`${((v / total) * 100).toFixed(1).padStart(5)}% ${v.toFixed(0).padStart(7)} ${k}`);
