// The form's values as `createApplication` / `updateApplication` take them.
import type { ApplicationValues } from './components/ApplicationForm.svelte';
import type { CreateApplicationInput } from './graphql/generated/graphql';

const MIB = 1024 * 1024;

function blankToNull(value: string): string | null {
	const trimmed = value.trim();
	return trimmed === '' ? null : trimmed;
}

function numberOrNull(value: number | null | string): number | null {
	return value === null || value === '' || Number.isNaN(Number(value)) ? null : Number(value);
}

/** Non-empty lines, trimmed: a textarea's one-per-line values. */
function lines(value: string): string[] {
	return value
		.split('\n')
		.map((line) => line.trim())
		.filter((line) => line !== '');
}

/**
 * On a server, `clusterId` is null (for an update: off its cluster) and the cluster's settings
 * are left as they are; on a cluster, they are sent as typed, for the API to judge.
 */
export function toApplicationInput(values: ApplicationValues): CreateApplicationInput {
	const image = values.buildStrategy === 'IMAGE';
	const site = values.buildStrategy === 'STATIC';
	const compose = values.buildStrategy === 'COMPOSE';
	const clustered = values.runOn === 'CLUSTER';
	const memory = numberOrNull(values.memoryLimitMib);
	return {
		name: values.name.trim(),
		description: blankToNull(values.description),
		serverId: blankToNull(values.serverId),
		clusterId: clustered ? blankToNull(values.clusterId) : null,
		...(clustered
			? {
					replicas: Number(values.replicas),
					placementConstraints: lines(values.placementConstraints),
					maxReplicasPerNode: numberOrNull(values.maxReplicasPerNode)
				}
			: {}),
		buildStrategy: values.buildStrategy,
		gitUrl: image ? null : blankToNull(values.gitUrl),
		branch: image ? null : blankToNull(values.branch),
		dockerfilePath: image || compose ? null : blankToNull(values.dockerfilePath),
		buildContext: image || compose ? null : blankToNull(values.buildContext),
		image: image ? blankToNull(values.image) : null,
		port: Number(values.port),
		autoDeploy: values.autoDeploy,
		memoryLimitBytes: memory === null ? null : Math.round(memory * MIB),
		cpuLimit: numberOrNull(values.cpuLimit),
		restartPolicy: values.restartPolicy,
		cutoverOrder: values.cutoverOrder,
		...(site
			? {
					staticBuildImage: blankToNull(values.staticBuildImage),
					staticBuildCommand: blankToNull(values.staticBuildCommand),
					staticOutputDir: values.staticOutputDir.trim() || '.',
					spaFallback: values.spaFallback
				}
			: {}),
		...(compose
			? {
					// Sent as typed: the server refuses a path outside the repository at this field.
					composePath: values.composePath.trim() || 'docker-compose.yml',
					composeService: blankToNull(values.composeService)
				}
			: {})
	};
}

export function fromApplication(app: {
	name: string;
	description?: string | null;
	server: { id: string };
	cluster?: { id: string } | null;
	replicas?: number;
	placementConstraints?: string[];
	maxReplicasPerNode?: number | null;
	gitUrl?: string | null;
	branch?: string | null;
	image?: string | null;
	buildStrategy: ApplicationValues['buildStrategy'];
	dockerfilePath: string;
	buildContext: string;
	port: number;
	autoDeploy: boolean;
	memoryLimitBytes?: number | null;
	cpuLimit?: number | null;
	restartPolicy: ApplicationValues['restartPolicy'];
	cutoverOrder: ApplicationValues['cutoverOrder'];
	staticBuildImage?: string | null;
	staticBuildCommand?: string | null;
	staticOutputDir?: string;
	spaFallback?: boolean;
	composePath?: string;
	composeService?: string | null;
}, localServerId: string | null): ApplicationValues {
	return {
		name: app.name,
		description: app.description ?? '',
		runOn: app.cluster ? 'CLUSTER' : 'SERVER',
		serverId: app.server.id === localServerId ? '' : app.server.id,
		clusterId: app.cluster?.id ?? '',
		replicas: app.replicas ?? 1,
		placementConstraints: (app.placementConstraints ?? []).join('\n'),
		maxReplicasPerNode: app.maxReplicasPerNode ?? null,
		gitUrl: app.gitUrl ?? '',
		branch: app.branch ?? 'main',
		image: app.image ?? '',
		buildStrategy: app.buildStrategy,
		dockerfilePath: app.dockerfilePath,
		buildContext: app.buildContext,
		port: app.port,
		autoDeploy: app.autoDeploy,
		memoryLimitMib: app.memoryLimitBytes ? app.memoryLimitBytes / MIB : null,
		cpuLimit: app.cpuLimit ?? null,
		restartPolicy: app.restartPolicy,
		cutoverOrder: app.cutoverOrder,
		staticBuildImage: app.staticBuildImage ?? '',
		staticBuildCommand: app.staticBuildCommand ?? '',
		staticOutputDir: app.staticOutputDir ?? '.',
		spaFallback: app.spaFallback ?? false,
		composePath: app.composePath ?? 'docker-compose.yml',
		composeService: app.composeService ?? ''
	};
}
