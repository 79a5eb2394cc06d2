//! The `dashboard` query: the figures of the front page in one request. Each part is
//! computed only when asked for.

use async_graphql::Object;

use super::types::dashboard::Dashboard;

#[derive(Default)]
pub struct DashboardQuery;

#[Object]
impl DashboardQuery {
    /// Figures for the front page.
    async fn dashboard(&self) -> Dashboard {
        Dashboard
    }
}
