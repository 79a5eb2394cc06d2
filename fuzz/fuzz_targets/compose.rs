//! Compose files: any input is planned or refused with a key and a message, never a panic;
//! a plan never publishes a host port, never names an undeclared volume or a relative bind
//! mount, puts the routed service last and every service after what it depends on.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ployer_input::compose::{self, MountSource};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let vars = |name: &str| (name == "SET").then(|| "value: ${SET}\n  privileged: true".to_string());
    let Ok(plan) = compose::plan(text, &vars, None) else { return };
    assert_eq!(plan.routed().name, plan.routed, "the routed service is last");
    for (i, service) in plan.services.iter().enumerate() {
        for dep in &service.depends_on {
            let at = plan.services.iter().position(|s| s.name == dep.service);
            assert!(at.is_some_and(|at| at < i), "{} starts before {}", dep.service, service.name);
        }
        for mount in &service.mounts {
            assert!(mount.target.starts_with('/') && mount.target != "/");
            match &mount.source {
                MountSource::Volume(name) => assert!(plan.volumes.contains(name)),
                MountSource::Bind(path) => assert!(path.starts_with('/')),
                MountSource::Anonymous => {}
            }
        }
        assert!(!service.labels.keys().any(|k| k.starts_with("ployer.")));
        if let compose::Source::Build { context, dockerfile, .. } = &service.source {
            assert!(!context.starts_with('/') && !context.split('/').any(|p| p == ".."));
            assert!(!dockerfile.starts_with('/') && !dockerfile.split('/').any(|p| p == ".."));
        }
    }
});
