// Small helpers the Docker pages share.

interface Port {
	containerPort: number;
	hostIp?: string | null;
	hostPort?: number | null;
	protocol: string;
}

/** `127.0.0.1:49153 → 8080/tcp`, or `8080/tcp` when the port is not published. */
export function portText(port: Port): string {
	const inside = `${port.containerPort}/${port.protocol}`;
	if (!port.hostPort) return inside;
	const ip = port.hostIp ?? '';
	const host = ip.includes(':') ? `[${ip}]` : ip;
	return `${host ? `${host}:` : ''}${port.hostPort} → ${inside}`;
}

/** The first 12 characters of an id, without the `sha256:` of an image id. */
export function shortId(id: string): string {
	return id.replace(/^sha256:/, '').slice(0, 12);
}

/** Networks every engine has and that can never be removed. */
export const PREDEFINED_NETWORKS = ['bridge', 'host', 'none'];
