// Runs every test file under test/ with Node's built-in runner (Node 20's --test does not expand
// globs itself, and finds no .ts files by default). Extra arguments narrow it: a folder or file.
//   node scripts/run-tests.mjs            all tests
//   node scripts/run-tests.mjs test/core  one folder
import {spawnSync} from 'node:child_process';
import {readdirSync, statSync} from 'node:fs';
import path from 'node:path';

const roots = process.argv.slice(2).length > 0 ? process.argv.slice(2) : ['test'];
const files = roots.flatMap(root => (statSync(root).isDirectory()
	? readdirSync(root, {recursive: true}).map(name => path.join(root, String(name)))
	: [root])).filter(file => /\.test\.tsx?$/.test(file)).sort();

if (files.length === 0) {
	console.error(`no test files under ${roots.join(', ')}`);
	process.exit(1);
}

// One file at a time: the lab tests build network namespaces and must not compete for the 2 cores.
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=1', ...files], {stdio: 'inherit'});
process.exit(result.status ?? 1);
