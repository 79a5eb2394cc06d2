// The UI is a client-side app: nothing renders on a server, nothing is prerendered.
export const ssr = false;
export const prerender = false;
export const trailingSlash = 'never';
