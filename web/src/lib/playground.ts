// GraphiQL, mounted into an element. Imported dynamically by the playground page only, so
// React and GraphiQL are a chunk of their own that no other page loads.
import 'graphiql/style.css';
import { createGraphiQLFetcher } from '@graphiql/toolkit';
import { GraphiQL } from 'graphiql';
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
	const fetcher = createGraphiQLFetcher({
		url: '/graphql',
		// The session cookie authenticates both, over HTTP and on the websocket's upgrade.
		subscriptionUrl: `${wsProtocol}//${location.host}/graphql/ws`,
		fetch: (input, init) => fetch(input, { ...init, credentials: 'same-origin' })
	});
	const root = createRoot(element);
	root.render(createElement(GraphiQL, { fetcher, defaultQuery: DEFAULT_QUERY, shouldPersistHeaders: false }));
	return () => root.unmount();
}
