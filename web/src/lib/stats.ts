// Turns an application's container samples into the lines its charts draw. An application
// has several containers over time (one per deployment, two at once during a cut-over), so
// each figure is the sum over the containers sampled recently. Network and block I/O are
// counters since a container started: their charts show rates, from two consecutive samples
// of the same container (a counter that went down means a restart, and gives no rate).

export interface ContainerSample {
	containerId: string;
	cpuPercent: number;
	memoryUsedBytes: number;
	memoryLimitBytes: number;
	networkRxBytes: number;
	networkTxBytes: number;
	blockReadBytes: number;
	blockWriteBytes: number;
	sampledAt: string;
}

/** What the charts draw: one x (Unix seconds) and one value per point, null for a gap. */
export interface AppSeries {
	x: number[];
	cpu: (number | null)[];
	memory: (number | null)[];
	memoryLimit: (number | null)[];
	rx: (number | null)[];
	tx: (number | null)[];
	read: (number | null)[];
	write: (number | null)[];
	/** Seconds between two samples of one container, as the data shows it. */
	interval: number;
}

/** A sample as the series needs it: times as numbers, and its rates once known. */
interface Reading {
	container: string;
	t: number;
	/** When its counters were read: the end of a five-minute average, else `t`. */
	countedAt: number;
	cpu: number;
	memory: number;
	limit: number;
	counters: [number, number, number, number];
	rates: [number, number, number, number] | null;
	/** The same sample twice (from the history and live): left out. */
	repeated: boolean;
}

export function seconds(iso: string): number {
	return Date.parse(iso) / 1000;
}

function median(values: number[]): number | null {
	if (values.length === 0) return null;
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.floor(sorted.length / 2)];
}

/**
 * The application's lines from its samples (any order). `countedAt` says when a sample's
 * counters were read (Unix seconds), for rates: a raw sample's own time (the default), the
 * end of its five minutes for an average, which is stamped with their start — so live raw
 * samples can follow a series of averages.
 */
export function appSeries(samples: ContainerSample[], countedAt: (s: ContainerSample, t: number) => number = (_s, t) => t): AppSeries {
	const readings: Reading[] = samples
		.map((s) => {
			const t = seconds(s.sampledAt);
			return {
				container: s.containerId,
				t,
				countedAt: countedAt(s, t),
				cpu: s.cpuPercent,
				memory: s.memoryUsedBytes,
				limit: s.memoryLimitBytes,
				counters: [s.networkRxBytes, s.networkTxBytes, s.blockReadBytes, s.blockWriteBytes] as Reading['counters'],
				rates: null,
				repeated: false
			};
		})
		.sort((a, b) => a.t - b.t);

	// Rates and the sampling interval, per container.
	const previous = new Map<string, Reading>();
	const gaps: number[] = [];
	for (const r of readings) {
		const before = previous.get(r.container);
		if (before && Math.abs(r.t - before.t) < 0.001) {
			r.repeated = true;
			continue;
		}
		if (before) {
			gaps.push(r.t - before.t);
			const dt = r.countedAt - before.countedAt;
			if (dt > 0 && r.counters.every((c, i) => c >= before.counters[i])) {
				r.rates = r.counters.map((c, i) => (c - before.counters[i]) / dt) as Reading['rates'];
			}
		}
		previous.set(r.container, r);
	}
	const interval = Math.max(1, median(gaps) ?? 15);
	// A container missing from the last pass has stopped (a second's slack for a slow
	// read); a longer silence with none at all is a gap in the lines.
	const stale = interval * 1.5 + 1;
	// Samples of one collector pass land within a moment of each other: one point.
	const together = interval * 0.4;

	const out: AppSeries = { x: [], cpu: [], memory: [], memoryLimit: [], rx: [], tx: [], read: [], write: [], interval };
	const latest = new Map<string, Reading>();
	const push = (t: number, values: (number | null)[], replace: boolean) => {
		const lists = [out.cpu, out.memory, out.memoryLimit, out.rx, out.tx, out.read, out.write];
		if (replace) {
			out.x[out.x.length - 1] = t;
			lists.forEach((list, i) => (list[list.length - 1] = values[i]));
		} else {
			out.x.push(t);
			lists.forEach((list, i) => list.push(values[i]));
		}
	};
	for (const r of readings) {
		if (r.repeated) continue;
		latest.set(r.container, r);
		for (const [id, seen] of latest) if (seen.t < r.t - stale) latest.delete(id);
		let cpu = 0;
		let memory = 0;
		let limit = 0;
		const rates: (number | null)[] = [null, null, null, null];
		for (const seen of latest.values()) {
			cpu += seen.cpu;
			memory += seen.memory;
			limit += seen.limit;
			seen.rates?.forEach((rate, i) => (rates[i] = (rates[i] ?? 0) + rate));
		}
		const last = out.x.at(-1);
		if (last !== undefined && r.t - last > stale) {
			// Nothing ran in between: break the lines rather than join across the silence.
			push(last + interval, [null, null, null, null, null, null, null], false);
		}
		push(r.t, [cpu, memory, limit, ...rates], last !== undefined && r.t - last < together);
	}
	return out;
}

/** The last value of a line that is not a gap. */
export function latestValue(values: (number | null)[]): number | null {
	for (let i = values.length - 1; i >= 0; i--) {
		const v = values[i];
		if (v !== null && v !== undefined) return v;
	}
	return null;
}
