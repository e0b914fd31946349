// Fails the build when the candidate's page would load too much: the
// JavaScript that /take/<token> fetches before its first question can be
// answered (the entry chunk of index.html, every chunk it imports
// statically, the Take page's chunk with its static imports should the
// page ever be loaded with import(), and the larger of the two chunks of
// the page's texts, one a language; all found from Vite's manifest)
// must stay within 80 KB gzipped (an error with --enforce-size, a warning
// otherwise), and none of it may come from the staff side: not the staff
// shell (App.tsx), not a staff page, not the staff texts (messages.ts).
// Prints one JSON line {candidate_js_gzip_bytes, chunks} for make bench.
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

const LIMIT = 80 * 1024;
const dist = new URL('../dist/', import.meta.url).pathname;
const manifest = JSON.parse(readFileSync(dist + '.vite/manifest.json', 'utf8'));
// Modules that belong to staff pages only; the candidate's page is
// src/pages/Take.tsx (with take.css) and what it shares with the shell.
const staff = /^src\/pages\/(?!Take\.tsx|take\.css)|^src\/components\/InvitationTable|echarts|messages-(editor|import|invites|recruit|review)/;

const entry = Object.entries(manifest).find(([, c]) => c.isEntry);
if (!entry) throw new Error('no entry chunk in the manifest');
const seen = new Map();
const walk = (key) => {
  if (seen.has(key)) return;
  const c = manifest[key];
  seen.set(key, c);
  for (const k of c.imports ?? []) walk(k);
};
walk(entry[0]);
if (manifest['src/pages/Take.tsx']) walk('src/pages/Take.tsx');

const gz = (c) => gzipSync(readFileSync(dist + c.file), { level: 9 }).length;
let total = 0;
const problems = [];
for (const [key, c] of seen) {
  if (staff.test(key)) problems.push(`staff module ${key} is in the candidate's chunks (${c.file})`);
  total += gz(c);
}
// The page's texts come in one chunk a language, loaded with import()
// before the first render (src/lib/i18n.ts): the larger of them counts.
const langKeys = Object.keys(manifest).filter((k) => /^src\/lib\/messages-candidate(-zh)?\.ts$/.test(k));
if (langKeys.length !== 2) problems.push(`expected the candidate's texts as two chunks (one a language), found ${langKeys.length}`);
let langChunk = null;
for (const k of langKeys) {
  const size = gz(manifest[k]);
  if (!langChunk || size > langChunk.size) langChunk = { key: k, size };
}
if (langChunk) {
  walk(langChunk.key);
  total += langChunk.size;
}
// Vite lists no modules inside a chunk, so check it from the other side:
// every page the shell (App.tsx) loads with import() must be a chunk of its
// own (a page also imported statically would be folded into a shared chunk
// and lose its entry), and none of those chunks may be among the
// candidate's. Parts of a staff page (ResultsStats inside Results) travel
// in that page's chunk. Chart code is looked for by name in the candidate's
// chunks as well.
const app = readFileSync(new URL('../src/App.tsx', import.meta.url), 'utf8');
const lazyPages = [...app.matchAll(/import\('\.\/pages\/(\w+)'\)/g)].map((m) => m[1] + '.tsx');
if (lazyPages.length === 0) problems.push('App.tsx loads no staff page with import()');
for (const file of new Set(lazyPages)) {
  const key = 'src/pages/' + file;
  if (!manifest[key]) problems.push(`staff page ${key} is not a chunk of its own (imported statically?)`);
  else if (seen.has(key)) problems.push(`staff page ${key} is loaded by the candidate's page`);
}
// The staff shell's chunk may hold the modules the staff pages share with
// it, and so be keyed by its file name; its name is App all the same.
const shell = Object.keys(manifest).filter((k) => k === 'src/App.tsx' || manifest[k].name === 'App');
if (shell.length === 0) problems.push('the staff shell src/App.tsx is not a chunk of its own (imported statically?)');
for (const k of shell) if (seen.has(k)) problems.push(`the staff shell (${manifest[k].file}) is loaded by the candidate's page`);
// The staff texts are found by their longer English strings, which the
// minifier leaves as they are (those the candidate's texts say too aside).
const longTexts = (file) =>
  [...readFileSync(new URL('../src/lib/' + file, import.meta.url), 'utf8').matchAll(/^  '[\w.]+': '([^'\\{]{24,})',$/gm)].map((m) => m[1]);
const candidateTexts = new Set([...longTexts('messages-candidate.ts'), ...longTexts('messages-candidate-zh.ts')]);
const staffTexts = longTexts('messages.ts').filter((x) => !candidateTexts.has(x));
if (staffTexts.length < 10) problems.push('found too few staff texts in src/lib/messages.ts to check for them');
for (const [, c] of seen) {
  const code = readFileSync(dist + c.file, 'utf8');
  if (/echarts|zrender/i.test(code)) problems.push(`chart code in ${c.file}`);
  const text = staffTexts.find((x) => code.includes(x));
  if (text) problems.push(`staff text "${text}" in ${c.file}`);
}
// Over budget is an error with --enforce-size (make bench reports it
// either way); staff code in the candidate's chunks always is.
if (total > LIMIT) {
  const msg = `candidate JavaScript is ${total} B gzipped, over the ${LIMIT} B budget`;
  if (process.argv.includes('--enforce-size')) problems.push(msg);
  else console.error('warning: ' + msg);
}
console.log(JSON.stringify({ candidate_js_gzip_bytes: total, chunks: [...seen.values()].map((c) => c.file) }));
if (problems.length) {
  for (const p of problems) console.error(p);
  process.exit(1);
}
