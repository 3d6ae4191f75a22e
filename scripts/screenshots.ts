// Regenerates screenshots/*.png from the real binary: builds dist/, starts the namespace lab (Docker
// 29 rules) with a curl loop through its DNAT, runs `dist/cli.js` in tmux, drives it with
// keys, captures each view with `capture-pane -e`, turns the ANSI into HTML and lets headless
// Chromium photograph it. Needs root, tmux, chromium and fonts-dejavu-core
// (apt-get install tmux chromium fonts-dejavu-core).
//
//   node --import tsx scripts/screenshots.ts
import {spawnSync} from 'node:child_process';
import {existsSync} from 'node:fs';
import {mkdtemp, readFile, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {execa} from 'execa';
import {createLab, labAvailable, published} from '../source/lab/lab.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const cli = path.join(root, 'dist/cli.js');
const out = path.join(root, 'screenshots');
const socket = `fwtop-shots-${process.pid}`;
const [columns, rows] = [150, 40];

// xterm's default palette, slightly softened, on a near-black background.
const palette = [
	'#1d1f21', '#e0524f', '#5fb85f', '#d7ba4b', '#5d8fd6', '#b86fc6', '#4fb6c1', '#c5c8c6',
	'#666a70', '#ff6e67', '#7fe07f', '#f2d95c', '#82aaf5', '#d493e0', '#6fd6e0', '#eaeaea',
];
const background = '#111317';
const foreground = '#d5d8d6';

type Style = {fg: string | undefined; bg: string | undefined; bold: boolean; dim: boolean; italic: boolean; inverse: boolean; strike: boolean};
const plain = (): Style => ({fg: undefined, bg: undefined, bold: false, dim: false, italic: false, inverse: false, strike: false});

function colour256(n: number): string {
	if (n < 16) return palette[n]!;
	if (n >= 232) {
		const level = 8 + (n - 232) * 10;
		return `rgb(${level},${level},${level})`;
	}

	const index = n - 16;
	const step = (value: number): number => (value === 0 ? 0 : 55 + value * 40);
	return `rgb(${step(Math.floor(index / 36))},${step(Math.floor(index / 6) % 6)},${step(index % 6)})`;
}

function applySgr(style: Style, codes: number[]): void {
	for (let i = 0; i < codes.length; i++) {
		const code = codes[i]!;
		if (code === 0) Object.assign(style, plain());
		else if (code === 1) style.bold = true;
		else if (code === 2) style.dim = true;
		else if (code === 3) style.italic = true;
		else if (code === 7) style.inverse = true;
		else if (code === 9) style.strike = true;
		else if (code === 22) style.bold = style.dim = false;
		else if (code === 23) style.italic = false;
		else if (code === 27) style.inverse = false;
		else if (code === 29) style.strike = false;
		else if (code >= 30 && code <= 37) style.fg = palette[code - 30];
		else if (code >= 90 && code <= 97) style.fg = palette[code - 90 + 8];
		else if (code >= 40 && code <= 47) style.bg = palette[code - 40];
		else if (code >= 100 && code <= 107) style.bg = palette[code - 100 + 8];
		else if (code === 39) style.fg = undefined;
		else if (code === 49) style.bg = undefined;
		else if ((code === 38 || code === 48) && codes[i + 1] === 5) {
			style[code === 38 ? 'fg' : 'bg'] = colour256(codes[i + 2] ?? 0);
			i += 2;
		} else if ((code === 38 || code === 48) && codes[i + 1] === 2) {
			style[code === 38 ? 'fg' : 'bg'] = `rgb(${codes[i + 2] ?? 0},${codes[i + 3] ?? 0},${codes[i + 4] ?? 0})`;
			i += 4;
		}
	}
}

const escapeHtml = (text: string): string => text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');

function css(style: Style): string {
	const fg = style.inverse ? style.bg ?? background : style.fg ?? foreground;
	const bg = style.inverse ? style.fg ?? foreground : style.bg;
	return [
		`color:${fg}`,
		bg === undefined ? '' : `background:${bg}`,
		style.bold ? 'font-weight:bold' : '',
		style.dim ? 'opacity:0.55' : '',
		style.italic ? 'font-style:italic' : '',
		style.strike ? 'text-decoration:line-through' : '',
	].filter(Boolean).join(';');
}

/** `capture-pane -e` output (SGR only) as HTML spans. */
export function ansiToHtml(text: string): string {
	const style = plain();
	let html = '';
	for (const part of text.split(/(\u001B\[[\d;]*m)/)) {
		const sgr = /^\u001B\[([\d;]*)m$/.exec(part);
		if (sgr) applySgr(style, (sgr[1] || '0').split(';').map(Number));
		else if (part !== '') html += `<span style="${css(style)}">${escapeHtml(part)}</span>`;
	}

	return html;
}

function page(title: string, body: string): string {
	return `<!doctype html><meta charset="utf-8"><title>${title}</title><style>
html,body{margin:0;background:${background}}
pre{margin:0;padding:12px 14px;font:15px/18px 'DejaVu Sans Mono',monospace;color:${foreground};white-space:pre}
</style><pre>${body}</pre>`;
}

const tmux = async (...args: string[]): Promise<string> => (await execa('tmux', ['-L', socket, ...args])).stdout;

async function waitForScreen(what: string, predicate: (text: string) => boolean): Promise<void> {
	const deadline = Date.now() + 30_000;
	for (;;) {
		const text = await tmux('capture-pane', '-p', '-t', 'shots');
		if (predicate(text)) return;
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; the screen was:\n${text}`);
		await new Promise(resolve => setTimeout(resolve, 200));
	}
}

/** Presses keys one at a time (one `send-keys` each), then waits for the view. */
async function step(keys: string[], what: string, ready: (text: string) => boolean): Promise<void> {
	for (const key of keys) await tmux('send-keys', '-t', 'shots', key);
	await waitForScreen(what, ready);
}

/** Goes to a view and photographs it. */
async function shoot(name: string, keys: string[], what: string, ready: (text: string) => boolean, work: string): Promise<void> {
	await step(keys, what, ready);
	const capture = await tmux('capture-pane', '-e', '-p', '-t', 'shots');
	const html = path.join(work, `${name}.html`);
	await writeFile(html, page(name, ansiToHtml(capture)));
	const png = path.join(out, `${name}.png`);
	const width = Math.ceil(columns * 9.05) + 28;
	const height = rows * 18 + 24;
	await execa('chromium', ['--headless', '--no-sandbox', '--disable-gpu', '--hide-scrollbars', `--window-size=${width},${height}`, `--screenshot=${png}`, `file://${html}`]);
	console.log(`screenshots/${name}.png`);
}

/** Enough history for the sparklines to say something: a bar in `points` columns of the row. */
const hasHistory = (row: RegExp, points: number) => (text: string): boolean =>
	text.split('\n').some(line => row.test(line) && (line.match(/[▁▂▃▄▅▆▇█]/g)?.length ?? 0) >= points);

async function main(): Promise<void> {
	for (const tool of ['tmux', 'chromium']) {
		if (spawnSync('which', [tool]).status !== 0) throw new Error(`${tool} is missing: apt-get install tmux chromium fonts-dejavu-core`);
	}

	const available = await labAvailable();
	if (!available.ok) throw new Error(`the namespace lab cannot run here: ${available.reason}`);
	await execa('node', ['scripts/build.mjs'], {cwd: root, stdio: 'inherit'});
	if (!existsSync(cli)) throw new Error(`${cli} was not built`);

	const work = await mkdtemp(path.join(tmpdir(), 'fwtop-shots-'));
	const lab = await createLab({generation: 29});
	// A curl loop through the DNAT to container A, and a steady trickle to both published ports
	// and out of container A (MASQUERADE), so every part of the path has traffic.
	let curling = true;
	const curls = (async () => {
		while (curling) await lab.curl(published.a, {count: 5});
	})();
	const trickle = lab.startTrickle({intervalMs: 150, outboundIntervalMs: 700});
	try {
		const command = `TERM=xterm-256color node ${cli} --netns ${lab.host} --interval 0.5`;
		await tmux('new-session', '-d', '-s', 'shots', '-x', String(columns), '-y', String(rows), command);
		await shoot('overview', [], 'traffic history in the overview', hasHistory(/nat +DOCKER /, 20), work);
		await shoot('chain-nat-docker', ['t', 't', 'End', 'Enter'], 'the nat DOCKER chain',
			text => text.includes('nat › DOCKER') && hasHistory(/ DNAT /, 10)(text), work);
		await step(['Escape'], 'the nat overview', text => text.includes('sort: hook order'));
		await shoot('path', ['v'], 'the path view', text => text.includes('path (all)') && text.includes('FORWARD —'), work);
		await shoot('help', ['?'], 'the help', text => text.includes('Keys ('), work);
		await tmux('send-keys', '-t', 'shots', 'q');
	} finally {
		curling = false;
		await curls;
		await trickle.stop();
		await execa('tmux', ['-L', socket, 'kill-server'], {reject: false});
		await lab.teardown();
	}

	try {
		await shootNftables(work);
	} finally {
		await execa('tmux', ['-L', socket, 'kill-server'], {reject: false});
		await rm(work, {recursive: true, force: true});
	}
}

const cursorLine = (text: string): string => text.split('\n').find(line => line.startsWith('›')) ?? '';

/** Moves the cursor down (at most 20 rows) until its line matches. */
async function cursorTo(what: string, pattern: RegExp): Promise<void> {
	for (let row = 0; row < 20; row++) {
		const text = await tmux('capture-pane', '-p', '-t', 'shots');
		if (pattern.test(cursorLine(text))) return;
		await step(['j'], `the cursor moving towards ${what}`, next => cursorLine(next) !== cursorLine(text));
	}

	throw new Error(`the cursor did not reach ${what}`);
}

/** A host with Docker 29's nftables backend (the project's own docker-like.nft, nftables only):
 * `--backend nftables`, the docker-bridges table, filter-FORWARD's verdict map followed into
 * filter-forward-in__docker0 while curl crosses its published-port rule. */
async function shootNftables(work: string): Promise<void> {
	const ruleset = await readFile(path.join(root, 'test/fixtures/nft/setup/docker-like.nft'), 'utf8');
	const lab = await createLab({nftRulesetText: ruleset});
	let curling = true;
	const curls = (async () => {
		while (curling) await lab.curl(published.a, {count: 5});
	})();
	try {
		const command = `TERM=xterm-256color node ${cli} --backend nftables --netns ${lab.host} --interval 0.5`;
		await tmux('new-session', '-d', '-s', 'shots', '-x', String(columns), '-y', String(rows), command);
		await waitForScreen('the nftables overview', text => text.includes('docker-bridges'));
		for (let press = 0; press < 10 && !/^ip docker-bridges {3}sort/m.test(await tmux('capture-pane', '-p', '-t', 'shots')); press++) {
			await tmux('send-keys', '-t', 'shots', 't');
			await new Promise(resolve => setTimeout(resolve, 300));
		}

		await cursorTo('filter-FORWARD', /ip docker-bridges filter-FORWARD /);
		await step(['Enter'], 'filter-FORWARD', text => text.includes('base chain: hook forward'));
		await cursorTo('the docker0 branch', /↳ .*"docker0"/);
		await shoot('nft-docker-bridges', ['Enter'], 'filter-forward-in__docker0 with traffic',
			text => text.includes('› filter-forward-in__docker0') && hasHistory(/ip daddr 172\.17\.0\.2 tcp dport 80/, 10)(text), work);
		await tmux('send-keys', '-t', 'shots', 'q');
	} finally {
		curling = false;
		await curls;
		await lab.teardown();
	}
}

await main();
