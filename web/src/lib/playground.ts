// GraphiQL, mounted into an element. Imported dynamically by the playground page only, so
// React and GraphiQL are a chunk of their own that no other page loads.
import 'graphiql/style.css';
import { createGraphiQLFetcher, type Fetcher } from '@graphiql/toolkit';
import { GraphiQL } from 'graphiql';
import { getIntrospectionQuery, parse, type OperationDefinitionNode } from 'graphql';
import { createClient } from 'graphql-ws';
import { createElement } from 'react';
import { createRoot } from 'react-dom/client';

const DEFAULT_QUERY = `# Ployer's GraphQL API. You are signed in with your session.
# Ctrl-Enter runs the operation; the book icon opens the schema's docs.

{
  me {
    email
    role
  }
  applications(first: 10) {
    nodes {
      name
      status
      url
    }
  }
}
`;

export function mountPlayground(element: HTMLElement): () => void {
	const wsProtocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
	// The session cookie authenticates both: HTTP requests and the websocket's upgrade.
	const http = createGraphiQLFetcher({
		url: '/graphql',
		fetch: (input, init) => fetch(input, { ...init, credentials: 'same-origin' })
	});
	const ws = createClient({ url: `${wsProtocol}//${location.host}/graphql/ws`, lazy: true });
	const fetcher: Fetcher = (params, options) => {
		if (params.operationName === 'IntrospectionQuery') {
			return http({ ...params, query: SHALLOW_INTROSPECTION }, options);
		}
		if (!isSubscription(params.query, params.operationName)) return http(params, options);
		// GraphiQL renders results as JSON: formatted errors are what it shows.
		return ws.iterate({
			query: params.query,
			operationName: params.operationName ?? undefined,
			variables: params.variables
		}) as ReturnType<Fetcher>;
	};
	const root = createRoot(element);
	// Ployer's own theme choice wins; without one GraphiQL follows the system, as Ployer does.
	const chosen = document.documentElement.dataset.theme;
	const forcedTheme = chosen === 'light' || chosen === 'dark' ? chosen : undefined;
	root.render(
		createElement(GraphiQL, { fetcher, defaultQuery: DEFAULT_QUERY, shouldPersistHeaders: false, forcedTheme })
	);
	return () => {
		root.unmount();
		void ws.dispose();
	};
}

/**
 * GraphiQL's introspection query with type references five wrappers deep instead of nine:
 * the standard one nests deeper than Ployer's depth limit (12) allows, and no type in the
 * schema wraps more than three times (`[String!]!`).
 */
const SHALLOW_INTROSPECTION = (() => {
	let typeRef = 'kind name';
	for (let i = 0; i < 5; i++) typeRef = `kind name ofType { ${typeRef} }`;
	return getIntrospectionQuery({ inputValueDeprecation: true }).replace(
		/fragment TypeRef on __Type \{[\s\S]*$/,
		`fragment TypeRef on __Type { ${typeRef} }`
	);
})();

/** Whether the operation GraphiQL runs (named, or the document's only one) is a subscription. */
function isSubscription(query: string, operationName?: string | null): boolean {
	try {
		const operations = parse(query).definitions.filter(
			(d): d is OperationDefinitionNode => d.kind === 'OperationDefinition'
		);
		const chosen = operationName ? operations.find((o) => o.name?.value === operationName) : operations[0];
		return chosen?.operation === 'subscription';
	} catch {
		return false;
	}
}
