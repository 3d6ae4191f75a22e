// The standalone executable's entry (a Node single executable application runs one CommonJS
// script). fwtop is an ES module with top-level await (Ink's yoga), which neither require() nor
// the SEA's own loader runs, so the bundle, stored as an asset, is written to a private temporary
// directory and imported from there by Node's ESM loader (vm's USE_MAIN_CONTEXT_DEFAULT_LOADER,
// Node ≥ 20.12): it then has a real file: URL for import.meta.url, and the demo recording beside it.
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const {pathToFileURL} = require('node:url');
const vm = require('node:vm');
const sea = require('node:sea');

// The one experimental API used here is the loader hook below; its warning is not for users.
const emitWarning = process.emitWarning;
process.emitWarning = (warning, ...rest) => {
	if (!String(warning).includes('USE_MAIN_CONTEXT_DEFAULT_LOADER')) emitWarning.call(process, warning, ...rest);
};

// mkdtemp: a new directory, mode 0700, so no other user can swap the code root is about to run.
const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'fwtop-'));
process.on('exit', () => {
	fs.rmSync(directory, {recursive: true, force: true});
});
const write = (name, mode) => {
	const file = path.join(directory, name);
	fs.writeFileSync(file, new Uint8Array(sea.getAsset(name)), {mode});
	return file;
};

// fwtop --sudo and its "Run: sudo …" hint then name this executable, not node and a script.
globalThis.fwtopStandalone = true;
const main = write('cli.mjs', 0o600);
write('demo-recording.ndjson.gz', 0o600);
// A SEA's argv is [executable, executable as typed, ...arguments], as under node: fwtop reads argv.slice(2).
const script = new vm.Script(`import(${JSON.stringify(pathToFileURL(main).href)})`, {
	filename: 'fwtop-standalone-entry',
	importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
});
script.runInThisContext().catch(error => {
	process.stderr.write(`fwtop: ${error && error.message ? error.message : String(error)}\n`);
	process.exitCode = 1;
});
