// Writes the man page, fwtop(1), and the shell completions from the same data as --help
// (source/cli/help-text.ts).
//   node --import tsx scripts/man.ts dist      (npm run build does this)
//   → dist/fwtop.1, dist/completions/fwtop.bash, dist/completions/_fwtop, dist/completions/fwtop.fish
import {mkdir, readFile, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {completionScript} from '../source/cli/completion.ts';
import {manPage} from '../source/cli/man.ts';

const out = process.argv[2] ?? 'dist';
const {version} = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8')) as {version: string};
// The date of the release, not of the build: the CHANGELOG's newest dated heading, else today's.
const changelog = await readFile(new URL('../CHANGELOG.md', import.meta.url), 'utf8').catch(() => '');
const date = /^## \[[^\]]+\] - (\d{4}-\d{2}-\d{2})/m.exec(changelog)?.[1] ?? new Date().toISOString().slice(0, 10);
await writeFile(path.join(out, 'fwtop.1'), manPage({version, date}));
await mkdir(path.join(out, 'completions'), {recursive: true});
await writeFile(path.join(out, 'completions', 'fwtop.bash'), completionScript('bash'));
await writeFile(path.join(out, 'completions', '_fwtop'), completionScript('zsh'));
await writeFile(path.join(out, 'completions', 'fwtop.fish'), completionScript('fish'));
