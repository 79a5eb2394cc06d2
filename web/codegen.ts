import type { CodegenConfig } from '@graphql-codegen/cli';

// Typed documents for every operation under src/lib/graphql/operations, generated from the
// schema the server prints (`ployer schema` → ../schema.graphql). The output is committed;
// the test command regenerates it and fails when anything changed.
const config: CodegenConfig = {
	schema: '../schema.graphql',
	documents: ['src/lib/graphql/operations/**/*.ts'],
	ignoreNoDocuments: false,
	generates: {
		'src/lib/graphql/generated/': {
			preset: 'client',
			presetConfig: { fragmentMasking: false },
			config: {
				useTypeImports: true,
				enumsAsTypes: true,
				scalars: { DateTime: 'string', UUID: 'string' }
			}
		}
	}
};

export default config;
