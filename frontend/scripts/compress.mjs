// Writes a gzip (.gz) and a brotli (.br) copy beside every text asset of
// the build, so examd sends the candidate's phone a fraction of the bytes
// without compressing on each request (api/web.go picks the copy by
// Accept-Encoding). Node's own zlib does both; no dependency needed.
import { readdirSync, readFileSync, writeFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const dir = new URL('../dist/assets/', import.meta.url).pathname;
const text = /\.(js|css|svg|json|txt|map)$/;
let plain = 0;
let gz = 0;
let br = 0;
for (const name of readdirSync(dir)) {
  const file = join(dir, name);
  if (!text.test(name) || !statSync(file).isFile()) continue;
  const data = readFileSync(file);
  const g = gzipSync(data, { level: 9 });
  const b = brotliCompressSync(data, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: 11,
      [constants.BROTLI_PARAM_SIZE_HINT]: data.length,
    },
  });
  // A copy no smaller than the file is not worth a Content-Encoding.
  if (g.length < data.length) writeFileSync(file + '.gz', g);
  if (b.length < data.length) writeFileSync(file + '.br', b);
  plain += data.length;
  gz += g.length;
  br += b.length;
}
console.log(`compressed assets: ${plain} B plain, ${gz} B gzip, ${br} B brotli`);
