use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::Contact;

/// Chatwoot's page size.
pub const DEFAULT_PER_PAGE: u32 = 15;
/// [ext] The largest `per_page` the server accepts.
pub const MAX_PER_PAGE: u32 = 100;

/// `{"meta":{"count","current_page"},"payload":[contact…]}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ContactList {
    pub meta: ListMeta,
    pub payload: Vec<Contact>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ListMeta {
    pub count: i64,
    /// A number. (Chatwoot sends a string when `page` was given; we read both.)
    #[serde(deserialize_with = "number_or_string")]
    pub current_page: i64,
}

fn number_or_string<'de, D: serde::Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum NumOrStr {
        Num(i64),
        Str(String),
    }
    match NumOrStr::deserialize(d)? {
        NumOrStr::Num(n) => Ok(n),
        NumOrStr::Str(s) => s.trim().parse().map_err(serde::de::Error::custom),
    }
}

/// A column the contact list can be sorted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SortField {
    Name,
    Email,
    PhoneNumber,
    LastActivityAt,
    CreatedAt,
    Company,
    City,
    Country,
}

impl SortField {
    pub const ALL: [SortField; 8] = [
        SortField::Name,
        SortField::Email,
        SortField::PhoneNumber,
        SortField::LastActivityAt,
        SortField::CreatedAt,
        SortField::Company,
        SortField::City,
        SortField::Country,
    ];

    /// The key used in `?sort=`.
    pub fn key(self) -> &'static str {
        match self {
            SortField::Name => "name",
            SortField::Email => "email",
            SortField::PhoneNumber => "phone_number",
            SortField::LastActivityAt => "last_activity_at",
            SortField::CreatedAt => "created_at",
            SortField::Company => "company",
            SortField::City => "city",
            SortField::Country => "country",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SortDirection {
    Asc,
    Desc,
}

/// `sort=name` or `sort=-last_activity_at`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SortKey {
    pub field: SortField,
    pub direction: SortDirection,
}

impl Default for SortKey {
    /// Most recently active first, as Chatwoot.
    fn default() -> Self {
        SortKey {
            field: SortField::LastActivityAt,
            direction: SortDirection::Desc,
        }
    }
}

impl SortKey {
    pub fn new(field: SortField, direction: SortDirection) -> Self {
        SortKey { field, direction }
    }

    /// The same column in the other direction.
    pub fn toggled(self) -> Self {
        let direction = match self.direction {
            SortDirection::Asc => SortDirection::Desc,
            SortDirection::Desc => SortDirection::Asc,
        };
        SortKey { direction, ..self }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownSortKey(pub String);

impl fmt::Display for UnknownSortKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let keys: Vec<&str> = SortField::ALL.iter().map(|f| f.key()).collect();
        write!(
            f,
            "Cannot sort by '{}': use one of {}, with a leading '-' for descending",
            self.0,
            keys.join(", ")
        )
    }
}

impl FromStr for SortKey {
    type Err = UnknownSortKey;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (direction, key) = match s.strip_prefix('-') {
            Some(rest) => (SortDirection::Desc, rest),
            None => (SortDirection::Asc, s),
        };
        SortField::ALL
            .into_iter()
            .find(|f| f.key() == key)
            .map(|field| SortKey { field, direction })
            .ok_or_else(|| UnknownSortKey(s.to_owned()))
    }
}

impl fmt::Display for SortKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.direction == SortDirection::Desc {
            f.write_str("-")?;
        }
        f.write_str(self.field.key())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sort_keys_round_trip_through_the_query_string_form() {
        for field in SortField::ALL {
            for direction in [SortDirection::Asc, SortDirection::Desc] {
                let key = SortKey::new(field, direction);
                assert_eq!(key.to_string().parse::<SortKey>(), Ok(key));
            }
        }
    }

    #[test]
    fn unknown_sort_key_is_refused_with_the_allowed_keys() {
        let err = "-password".parse::<SortKey>().unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains("'-password'"), "{msg}");
        assert!(msg.contains("last_activity_at"), "{msg}");
        assert!("".parse::<SortKey>().is_err());
        assert!("--name".parse::<SortKey>().is_err());
    }

    #[test]
    fn default_sort_is_most_recent_activity_first() {
        assert_eq!(SortKey::default().to_string(), "-last_activity_at");
        assert_eq!(SortKey::default().toggled().to_string(), "last_activity_at");
    }

    #[test]
    fn current_page_is_read_as_number_or_string() {
        let a: ListMeta = serde_json::from_str(r#"{"count":3,"current_page":2}"#).unwrap();
        let b: ListMeta = serde_json::from_str(r#"{"count":3,"current_page":"2"}"#).unwrap();
        assert_eq!(a, b);
    }
}
