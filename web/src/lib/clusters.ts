// Clusters as the UI words them: which servers may join one, and a node's availability. The
// server decides every rule again (validated, in no cluster, its engine in no swarm); this
// only says beside each server what it would answer.
import type { NodeAvailability } from './graphql/generated/graphql';

export interface Candidate {
	id: string;
	name: string;
	host: string;
	isLocal: boolean;
	hostKeyFingerprint?: string | null;
}

/** The cluster each member server belongs to, by server id. */
export function memberships(clusters: { name: string; members: { id: string }[] }[]): Map<string, string> {
	const found = new Map<string, string>();
	for (const cluster of clusters) for (const member of cluster.members) found.set(member.id, cluster.name);
	return found;
}

/** A server as a choice: its name and host, and why it may not join (in words), if so. */
export function candidateLabel(server: Candidate, memberOf: string | undefined): string {
	const note = memberOf ? ` · in the cluster ${memberOf}` : !server.isLocal && !server.hostKeyFingerprint ? ' · not validated yet' : '';
	return `${server.name} (${server.host})${note}`;
}

/** A node's availability in a word, as the nodes table shows it. */
export const AVAILABILITY_WORDS: Record<NodeAvailability, string> = {
	ACTIVE: 'active',
	PAUSE: 'paused',
	DRAIN: 'drained'
};
