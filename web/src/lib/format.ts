// Small formatting helpers shared by pages.

export function bytes(value: number | null | undefined): string {
	if (value === null || value === undefined) return '—';
	const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
	let n = value;
	let i = 0;
	while (n >= 1024 && i < units.length - 1) {
		n /= 1024;
		i++;
	}
	return `${n >= 100 || i === 0 ? n.toFixed(0) : n.toFixed(1)} ${units[i]}`;
}

export function percent(part: number, whole: number): number {
	return whole > 0 ? Math.min(100, Math.max(0, (part / whole) * 100)) : 0;
}

export function ago(iso: string | null | undefined): string {
	if (!iso) return '—';
	const seconds = Math.round((Date.now() - new Date(iso).getTime()) / 1000);
	if (seconds < 5) return 'just now';
	if (seconds < 60) return `${seconds}s ago`;
	if (seconds < 3600) return `${Math.floor(seconds / 60)}m ago`;
	if (seconds < 86400) return `${Math.floor(seconds / 3600)}h ago`;
	return `${Math.floor(seconds / 86400)}d ago`;
}

export function dateTime(iso: string | null | undefined): string {
	if (!iso) return '—';
	return new Date(iso).toLocaleString();
}

export function duration(from: string | null | undefined, to: string | null | undefined): string {
	if (!from) return '—';
	const end = to ? new Date(to).getTime() : Date.now();
	const seconds = Math.max(0, Math.round((end - new Date(from).getTime()) / 1000));
	if (seconds < 60) return `${seconds}s`;
	return `${Math.floor(seconds / 60)}m ${seconds % 60}s`;
}

export function shortSha(sha: string | null | undefined): string {
	return sha ? sha.slice(0, 7) : '—';
}

/** Turns SCREAMING_CASE into words: HEALTH_CHECKING → health checking. */
export function words(value: string): string {
	return value.toLowerCase().replaceAll('_', ' ');
}

/** What went wrong, as text: an Error's message, anything else as it prints. */
export function errorText(e: unknown): string {
	return e instanceof Error ? e.message : String(e);
}
