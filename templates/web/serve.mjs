// `npm start`: serves this folder at http://localhost:8080/ (or $PORT). mesibo's SDK needs a secure
// context, which localhost is and a file:// page is not. No dependencies; nothing outside this folder is
// ever served, whatever the request path or a symlink says.
import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = await realpath(path.dirname(fileURLToPath(import.meta.url)));
const port = Number(process.env.PORT ?? 8080);

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

/** The file a request URL names, or undefined when that is not an existing file inside `root`. */
async function fileFor(requestUrl) {
  try {
    let file = path.join(root, decodeURIComponent(new URL(requestUrl, 'http://localhost').pathname));
    if ((await stat(file)).isDirectory()) file = path.join(file, 'index.html');
    file = await realpath(file);
    return file.startsWith(root + path.sep) ? file : undefined;
  } catch {
    return undefined; // missing file, bad percent-encoding, NUL byte...
  }
}

const server = createServer(async (req, res) => {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { Allow: 'GET, HEAD' }).end();
    return;
  }
  const file = await fileFor(req.url);
  if (!file) {
    res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Not found\n');
    return;
  }
  // no-store: a refreshed config.js takes effect on the next reload.
  res.writeHead(200, { 'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream', 'Cache-Control': 'no-store' });
  if (req.method === 'HEAD') res.end();
  else createReadStream(file).pipe(res);
});

server.on('error', (error) => {
  console.error(error.code === 'EADDRINUSE' ? `Port ${port} is in use; try: PORT=8081 npm start` : error.message);
  process.exit(1);
});

server.listen(port, '127.0.0.1', () => {
  console.log(`Serving ${root} at http://localhost:${server.address().port}/ (Ctrl-C stops)`);
});
