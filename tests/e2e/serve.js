import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';

const TYPES = {
	'.html': 'text/html; charset=utf-8',
	'.js': 'text/javascript; charset=utf-8',
	'.css': 'text/css; charset=utf-8',
	'.json': 'application/json; charset=utf-8',
	'.svg': 'image/svg+xml',
	'.png': 'image/png',
	'.ico': 'image/x-icon',
	'.woff2': 'font/woff2',
	'.wasm': 'application/wasm',
	'.txt': 'text/plain; charset=utf-8',
	'.md': 'text/markdown; charset=utf-8'
};

// The same isolation headers as `vite dev` / `vite preview`, so the built site is tested as it is served.
const ISOLATION = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };

/** @param {string} path */
async function isFile(path) {
	return (await stat(path).catch(() => null))?.isFile() ?? false;
}

/**
 * The file a URL path names in a prerendered site: `/a` may be `a`, `a.html` or `a/index.html`.
 * @param {string} root
 * @param {string} pathname
 */
async function locate(root, pathname) {
	const base = resolve(root, '.' + decodeURIComponent(pathname));
	if (base !== root && !base.startsWith(root + sep)) return null;
	for (const candidate of [base, base + '.html', join(base, 'index.html')]) if (await isFile(candidate)) return candidate;
	return null;
}

/**
 * Serve the static directory `root` on a free port of 127.0.0.1.
 * @param {string} root
 * @returns {Promise<{ url: string, close: () => Promise<void> }>}
 */
export function serve(root) {
	const dir = resolve(root);
	const server = createServer(async (req, res) => {
		const file = await locate(dir, new URL(req.url ?? '/', 'http://localhost').pathname).catch(() => null);
		if (file === null) {
			res.writeHead(404, { 'Content-Type': TYPES['.txt'], ...ISOLATION }).end('Not found');
			return;
		}
		const type = TYPES[/** @type {keyof TYPES} */ (extname(file))] ?? 'application/octet-stream';
		res.writeHead(200, { 'Content-Type': type, ...ISOLATION });
		createReadStream(file).pipe(res);
	});
	return new Promise((done, fail) => {
		server.once('error', fail);
		server.listen(0, '127.0.0.1', () => {
			const address = /** @type {import('node:net').AddressInfo} */ (server.address());
			done({
				url: `http://127.0.0.1:${address.port}`,
				close: () => new Promise((closed) => server.close(() => closed()))
			});
		});
	});
}
