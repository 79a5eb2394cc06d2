//! Applications whose active container a deployment has stopped on purpose (a `stop-first`
//! cutover): the reconciler and the health monitor leave those alone until the deployment
//! ends, instead of starting the old version again next to the new one.

use std::{
    collections::HashSet,
    sync::{Arc, Mutex},
};

/// The shared set. Cheap to clone.
#[derive(Clone, Default)]
pub struct Holds(Arc<Mutex<HashSet<String>>>);

impl Holds {
    /// Holds `app_id` until the returned guard is dropped.
    pub fn hold(&self, app_id: &str) -> Hold {
        self.lock().insert(app_id.to_string());
        Hold {
            holds: self.clone(),
            app_id: app_id.to_string(),
        }
    }

    pub fn is_held(&self, app_id: &str) -> bool {
        self.lock().contains(app_id)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashSet<String>> {
        self.0.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// One held application; released when dropped.
pub struct Hold {
    holds: Holds,
    app_id: String,
}

impl Drop for Hold {
    fn drop(&mut self) {
        self.holds.lock().remove(&self.app_id);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hold_lasts_as_long_as_its_guard() {
        let holds = Holds::default();
        let hold = holds.hold("app");
        assert!(holds.is_held("app"));
        assert!(!holds.is_held("other"));
        drop(hold);
        assert!(!holds.is_held("app"));
    }
}
