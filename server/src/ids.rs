//! Ids that cross modules, typed so that an application's id cannot be passed where a
//! deployment's is meant. Each derefs to `str` (the stored UUID) and compares with strings,
//! so code that reads rows (whose ids are `String`s) uses them as it would the text.

use std::{fmt, ops::Deref};

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(String);

        impl $name {
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl From<&str> for $name {
            fn from(id: &str) -> Self {
                Self(id.to_string())
            }
        }

        impl From<&String> for $name {
            fn from(id: &String) -> Self {
                Self(id.clone())
            }
        }

        impl From<String> for $name {
            fn from(id: String) -> Self {
                Self(id)
            }
        }

        impl From<&async_graphql::ID> for $name {
            fn from(id: &async_graphql::ID) -> Self {
                Self(id.to_string())
            }
        }

        impl From<&$name> for sea_orm::Value {
            fn from(id: &$name) -> Self {
                id.0.clone().into()
            }
        }

        impl From<$name> for String {
            fn from(id: $name) -> Self {
                id.0
            }
        }

        impl std::borrow::Borrow<str> for $name {
            fn borrow(&self) -> &str {
                &self.0
            }
        }

        impl Deref for $name {
            type Target = str;

            fn deref(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.0 == other
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.0 == *other
            }
        }

        impl PartialEq<String> for $name {
            fn eq(&self, other: &String) -> bool {
                &self.0 == other
            }
        }

        impl PartialEq<$name> for String {
            fn eq(&self, other: &$name) -> bool {
                *self == other.0
            }
        }

        impl PartialEq<$name> for &str {
            fn eq(&self, other: &$name) -> bool {
                *self == other.0
            }
        }
    };
}

id_type!(
    /// An application's id (`applications.id`).
    AppId
);
id_type!(
    /// A deployment's id (`deployments.id`).
    DeploymentId
);
id_type!(
    /// A webhook delivery's id (`webhook_deliveries.id`).
    DeliveryId
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_id_reads_and_compares_as_its_text() {
        let id = AppId::from("3f2a");
        assert_eq!(id, "3f2a");
        assert_eq!(id, "3f2a".to_string());
        assert_eq!("3f2a", id);
        assert_eq!(&*id, "3f2a");
        assert_eq!(id.to_string(), "3f2a");
        assert_ne!(id, "other");
    }
}
