//! `schema.graphql` is printed from the code; this test fails when the file drifts.
//! `UPDATE_SCHEMA=1 cargo test -p ployer-tests schema` rewrites it.

#[test]
fn schema_graphql_matches_the_code() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../schema.graphql");
    let printed = ployer_server::graphql::sdl();
    if std::env::var_os("UPDATE_SCHEMA").is_some() {
        std::fs::write(&path, &printed).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == printed,
        "schema.graphql is out of date: run `UPDATE_SCHEMA=1 cargo test -p ployer-tests schema` (or `ployer schema > schema.graphql`)"
    );
}
