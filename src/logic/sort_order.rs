//! What a click on a column header does to the list's order.

use novatalks_model::{SortDirection, SortField, SortKey};

/// The order a column starts in when first clicked: A to Z for text, newest first for
/// moments (what an agent looking at dates wants first).
pub fn first_direction(field: SortField) -> SortDirection {
    match field {
        SortField::LastActivityAt | SortField::CreatedAt => SortDirection::Desc,
        _ => SortDirection::Asc,
    }
}

/// The order after clicking the header of `field` while the list is in `current` order:
/// the other direction of the same column, or the column's first direction.
pub fn next_sort(current: SortKey, field: SortField) -> SortKey {
    if current.field == field {
        current.toggled()
    } else {
        SortKey::new(field, first_direction(field))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_column_starts_a_to_z_or_newest_first_and_a_second_click_reverses() {
        let default = SortKey::default();
        assert_eq!(next_sort(default, SortField::Name).to_string(), "name");
        assert_eq!(
            next_sort(default, SortField::CreatedAt).to_string(),
            "-created_at"
        );
        let by_name: SortKey = "name".parse().unwrap();
        assert_eq!(next_sort(by_name, SortField::Name).to_string(), "-name");
        assert_eq!(
            next_sort(default, SortField::LastActivityAt).to_string(),
            "last_activity_at",
            "the default order is newest activity first; a click reverses it"
        );
    }
}
