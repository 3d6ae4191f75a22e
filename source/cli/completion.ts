import {FLAG_DOCS, type FlagDoc} from './help-text.ts';

// `fwtop --completion bash|zsh|fish`: completion scripts from the same flag data as --help and the
// man page (help-text.ts): every flag, the choices of --backend/--strategy/--table/--completion,
// file names after --input/--record/--replay/--iptables.

export const SHELLS = ['bash', 'zsh', 'fish'] as const;
export type Shell = typeof SHELLS[number];

const names = (doc: FlagDoc): string[] => [doc.long, ...(doc.short === undefined ? [] : [`-${doc.short}`])];

/** Single-quoted for sh-like shells. */
const quote = (text: string): string => `'${text.replaceAll("'", "'\\''")}'`;

function bash(): string {
	const words = FLAG_DOCS.flatMap(doc => names(doc)).join(' ');
	const cases = FLAG_DOCS.filter(doc => doc.value !== undefined).map(doc => {
		const reply = doc.choices !== undefined ? `COMPREPLY=($(compgen -W ${quote(doc.choices.join(' '))} -- "$cur"))`
			: doc.file === true ? 'COMPREPLY=($(compgen -f -- "$cur"))' : 'COMPREPLY=()';
		return `\t\t${doc.long}) ${reply}; return ;;`;
	});
	return [
		'# bash completion for fwtop (fwtop --completion bash)',
		'_fwtop() {',
		'\tlocal cur="${COMP_WORDS[COMP_CWORD]}" prev="${COMP_WORDS[COMP_CWORD-1]}"',
		'\tcase "$prev" in',
		...cases,
		'\tesac',
		`\tCOMPREPLY=($(compgen -W ${quote(`probe ${words}`)} -- "$cur"))`,
		'}',
		'complete -F _fwtop fwtop',
		'',
	].join('\n');
}

function zshSpec(doc: FlagDoc): string {
	const description = doc.description.replaceAll('[', '(').replaceAll(']', ')').replaceAll("'", '').replaceAll(':', '\\:');
	const action = doc.value === undefined ? '' : doc.choices !== undefined ? `:${doc.value}:(${doc.choices.join(' ')})` : doc.file === true ? `:${doc.value}:_files` : `:${doc.value}: `;
	const spec = (name: string) => quote(`${name}[${description}]${action}`);
	return names(doc).map(name => `\t\t${spec(name)} \\`).join('\n');
}

function zsh(): string {
	return ['#compdef fwtop', '# zsh completion for fwtop (fwtop --completion zsh)', '_fwtop() {', '\t_arguments -s \\', ...FLAG_DOCS.map(doc => zshSpec(doc)), "\t\t'1:mode:(probe)'", '}', 'compdef _fwtop fwtop', ''].join('\n');
}

/** fish shows descriptions in a column: the first clause, at most 60 characters. */
function short(description: string): string {
	const first = description.split('; ')[0]!;
	return first.length <= 60 ? first : `${first.slice(0, 59).trimEnd()}…`;
}

function fish(): string {
	const lines = FLAG_DOCS.map(doc => {
		const parts = ['complete -c fwtop', `-l ${doc.long.slice(2)}`];
		if (doc.short !== undefined) parts.push(`-s ${doc.short}`);
		if (doc.value !== undefined) parts.push(doc.file === true ? '-r -F' : '-x');
		if (doc.choices !== undefined) parts.push(`-a ${quote(doc.choices.join(' '))}`);
		parts.push(`-d ${quote(short(doc.description))}`);
		return parts.join(' ');
	});
	return ['# fish completion for fwtop (fwtop --completion fish)', 'complete -c fwtop -f', "complete -c fwtop -n '__fish_use_subcommand' -a probe -d 'list the rules a command\\'s packets moved'", ...lines, ''].join('\n');
}

export function completionScript(shell: Shell): string {
	switch (shell) {
		case 'bash': {
			return bash();
		}

		case 'zsh': {
			return zsh();
		}

		case 'fish': {
			return fish();
		}
	}
}
