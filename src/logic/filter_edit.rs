//! Edits of a filter's condition list that keep what the rest of it means.
//!
//! Conditions are joined AND-before-OR (`a AND b OR c` is `(a AND b) OR c`), so the
//! joins around a condition decide which group it belongs to. Removing one keeps the
//! others' groups; moving one moves the condition, while the AND/OR between positions
//! stay where they are (as the builder shows them, between its rows).

use novatalks_model::filter::{Conjunction, FilterCondition};

use super::filter_url::join_of;

/// The conditions without the one at `index` (out of range: unchanged).
///
/// The condition before it takes the weaker of the two joins around the removed one:
/// OR if either was OR. So `a AND b OR c` without `b` is `a OR c` (`b` ended `a`'s
/// group) and `a OR b AND c` without `b` is `a OR c` too, while `a AND b AND c` stays
/// `a AND c`. Removing the last condition leaves the new last one without a join.
pub fn remove_condition(conditions: &[FilterCondition], index: usize) -> Vec<FilterCondition> {
    if index >= conditions.len() {
        return conditions.to_vec();
    }
    let mut out = conditions.to_vec();
    let removed = out.remove(index);
    let last = out.len().checked_sub(1);
    if index > 0 {
        let before = &mut out[index - 1];
        before.query_operator = if Some(index - 1) == last {
            None
        } else {
            let weaker = match (join_of(before), join_of(&removed)) {
                (Conjunction::And, Conjunction::And) => Conjunction::And,
                _ => Conjunction::Or,
            };
            Some(weaker.as_str().to_owned())
        };
    }
    out
}

/// The conditions with the one at `from` and the one at `to` swapped, the joins staying
/// in their places; `None` when either position is out of range.
pub fn swap_conditions(
    conditions: &[FilterCondition],
    from: usize,
    to: usize,
) -> Option<Vec<FilterCondition>> {
    if from >= conditions.len() || to >= conditions.len() {
        return None;
    }
    let mut out = conditions.to_vec();
    out.swap(from, to);
    let (join_from, join_to) = (
        conditions[from].query_operator.clone(),
        conditions[to].query_operator.clone(),
    );
    out[from].query_operator = join_from;
    out[to].query_operator = join_to;
    Some(out)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn cond(key: &str, join: Option<&str>) -> FilterCondition {
        FilterCondition {
            attribute_key: key.into(),
            filter_operator: "is_present".into(),
            values: vec![],
            query_operator: join.map(str::to_owned),
            custom_attribute_type: None,
        }
    }

    /// `a and b or c` ⇄ conditions.
    fn parse(text: &str) -> Vec<FilterCondition> {
        let words: Vec<&str> = text.split(' ').collect();
        words
            .chunks(2)
            .map(|pair| cond(pair[0], pair.get(1).copied()))
            .collect()
    }

    fn show(conditions: &[FilterCondition]) -> String {
        conditions
            .iter()
            .map(|c| match &c.query_operator {
                Some(join) => format!("{} {join}", c.attribute_key),
                None => c.attribute_key.clone(),
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn removing_keeps_the_other_groups() {
        let cases = [
            ("a and b or c", 1, "a or c"),
            ("a or b and c", 1, "a or c"),
            ("a and b and c", 1, "a and c"),
            ("a or b or c", 1, "a or c"),
            ("a and b or c", 0, "b or c"),
            ("a and b or c", 2, "a and b"),
            ("a or b", 1, "a"),
            ("a", 0, ""),
            ("a and b", 5, "a and b"),
        ];
        for (before, index, after) in cases {
            assert_eq!(
                show(&remove_condition(&parse(before), index)),
                after,
                "{before} without {index}"
            );
        }
    }

    #[test]
    fn swapping_moves_conditions_not_joins() {
        let mut moved = swap_conditions(&parse("a and b or c"), 1, 2).unwrap();
        assert_eq!(show(&moved), "a and c or b");
        moved[0].values = vec![json!(1)];
        assert_eq!(
            swap_conditions(&moved, 0, 1).unwrap()[1].values,
            vec![json!(1)]
        );
        assert_eq!(swap_conditions(&parse("a or b"), 1, 2), None);
    }
}
