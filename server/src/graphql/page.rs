//! One page of a list, the same way for every list: `first` checked against the list's
//! bounds (`BAD_USER_INPUT` on `first` outside them), `after` a cursor this API returned
//! (`BAD_USER_INPUT` on `after` otherwise), and the connection built from the rows.

use async_graphql::{
    connection::{Connection, Edge},
    OutputType,
};

use crate::error::{AppError, AppResult};

/// The bounds of a list's page size.
#[derive(Clone, Copy)]
pub struct Bounds {
    pub default: u64,
    pub max: u64,
}

/// Most lists: 20 at a time, at most 100.
pub const LIST: Bounds = Bounds { default: 20, max: 100 };

/// `first` within `bounds` (its default when not given).
pub fn first(first: Option<i32>, bounds: Bounds) -> AppResult<u64> {
    match first {
        None => Ok(bounds.default),
        Some(n) => u64::try_from(n)
            .ok()
            .filter(|n| (1..=bounds.max).contains(n))
            .ok_or_else(|| AppError::bad_input("first", format!("must be between 1 and {}", bounds.max))),
    }
}

/// A requested page: how many rows, after which cursor.
pub struct Page {
    pub limit: u64,
    pub after: Option<String>,
}

impl Page {
    pub fn new(first: Option<i32>, after: Option<String>, bounds: Bounds) -> AppResult<Self> {
        Ok(Self {
            limit: self::first(first, bounds)?,
            after,
        })
    }

    pub fn after(&self) -> Option<&str> {
        self.after.as_deref()
    }

    /// The cursor as the number it encodes (a sequence, a row id).
    pub fn after_number(&self) -> AppResult<Option<i64>> {
        self.after
            .as_deref()
            .map(|cursor| cursor.parse::<i64>().map_err(|_| bad_cursor()))
            .transpose()
    }

    /// The connection of `rows` (each with its cursor); `more` when rows follow.
    pub fn connection<T: OutputType>(
        &self,
        more: bool,
        rows: impl IntoIterator<Item = (String, T)>,
    ) -> Connection<String, T> {
        let mut connection = Connection::new(self.after.is_some(), more);
        connection
            .edges
            .extend(rows.into_iter().map(|(cursor, node)| Edge::new(cursor, node)));
        connection
    }
}

/// `after` that this API did not return.
pub fn bad_cursor() -> AppError {
    AppError::bad_input("after", "is not a cursor this API returned")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_is_checked_against_the_bounds() {
        let bounds = Bounds { default: 20, max: 100 };
        assert_eq!(first(None, bounds).unwrap(), 20);
        assert_eq!(first(Some(1), bounds).unwrap(), 1);
        assert_eq!(first(Some(100), bounds).unwrap(), 100);
        for bad in [0, -1, 101, i32::MIN] {
            let err = first(Some(bad), bounds).unwrap_err();
            assert_eq!(err.code(), "BAD_USER_INPUT");
            assert_eq!(err.message(), "first: must be between 1 and 100", "{bad}");
        }
        let page = Page::new(None, Some("x".into()), bounds).unwrap();
        assert_eq!(page.after_number().unwrap_err().code(), "BAD_USER_INPUT");
    }
}
