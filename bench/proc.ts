// CPU and memory of processes from /proc (proc(5)): times are in clock ticks of 1/100 s (USER_HZ,
// `getconf CLK_TCK` on Linux is 100), memory in kB.
import {readFileSync} from 'node:fs';

const TICKS = 100;

export type CpuTimes = {utime: number; stime: number; cutime: number; cstime: number};

/** Fields 14–17 of /proc/PID/stat, in seconds. `cutime`/`cstime` count only children that ended
 * and were waited for. */
export function cpuTimes(pid: number | 'self' = 'self'): CpuTimes {
	const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
	// The command name (field 2) may hold spaces and parentheses: the fields start after the last ')'.
	const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
	const at = (field: number): number => Number(fields[field - 3]) / TICKS;
	return {utime: at(14), stime: at(15), cutime: at(16), cstime: at(17)};
}

/** CPU seconds of this process's ended children (iptables, ip netns exec, …). */
export const childrenCpu = (): number => {
	const times = cpuTimes();
	return times.cutime + times.cstime;
};

/** CPU seconds of this process itself, all threads (getrusage), with microsecond resolution. */
export const ownCpu = (): number => {
	const usage = process.cpuUsage();
	return (usage.user + usage.system) / 1e6;
};

/** A memory field of /proc/PID/status (VmRSS: resident now, VmHWM: the highest it was, RssFile:
 * the resident pages backed by files) in bytes, or undefined when the process is gone. */
export function statusBytes(pid: number, field: 'VmRSS' | 'VmHWM' | 'RssFile'): number | undefined {
	try {
		const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
		return match ? Number(match[1]) * 1024 : undefined;
	} catch {
		return undefined;
	}
}

/** VmRSS of a process in bytes, or undefined when it is gone. */
export const residentBytes = (pid: number): number | undefined => statusBytes(pid, 'VmRSS');

/** The pids of a process's children (its main thread's), in the order the kernel lists them;
 * throws when the process is gone. */
export const childPids = (pid: number): number[] =>
	readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(' ').filter(word => word !== '').map(Number);

export function median(values: readonly number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	const middle = sorted.length >> 1;
	return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
