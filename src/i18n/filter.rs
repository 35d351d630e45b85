//! The words of the filter builder, its chips and saved segments (`Strings::filter`). The
//! English ones are in `en.rs`, with the rest.

use novatalks_model::filter::{Attribute, AttributeKind, Operator};

pub struct FilterStrings {
    // Attributes, as the builder lists them and chips begin.
    pub attr_name: &'static str,
    pub attr_email: &'static str,
    pub attr_phone: &'static str,
    pub attr_id: &'static str,
    pub attr_identifier: &'static str,
    pub attr_created_at: &'static str,
    pub attr_last_activity: &'static str,
    pub attr_labels: &'static str,
    /// How a chip about labels begins: "Label is vip or billing".
    pub attr_labels_chip: &'static str,
    pub attr_blocked: &'static str,
    pub attr_city: &'static str,
    pub attr_country: &'static str,
    pub attr_company: &'static str,
    /// The group of the built-in attributes in the attribute list.
    pub standard_attributes: &'static str,
    /// The group of the account's custom attributes.
    pub custom_attributes: &'static str,

    // Operators. Dates read "before", "after", "on"; the rest "is", "is greater than"…
    pub op_equal_to: &'static str,
    pub op_not_equal_to: &'static str,
    pub op_contains: &'static str,
    pub op_does_not_contain: &'static str,
    pub op_starts_with: &'static str,
    pub op_is_present: &'static str,
    pub op_is_not_present: &'static str,
    pub op_greater_than: &'static str,
    pub op_less_than: &'static str,
    pub op_date_after: &'static str,
    pub op_date_before: &'static str,
    pub op_date_on: &'static str,
    pub op_days_before: &'static str,
    pub op_labels_present: &'static str,
    pub op_labels_not_present: &'static str,
    /// The chips of `labels is_present` / `is_not_present`.
    pub chip_has_labels: &'static str,
    pub chip_has_no_labels: &'static str,
    /// "Last activity more than 30 days ago".
    pub days_ago_chip: fn(&str, &str) -> String,
    /// Between two values of one condition: "vip or billing".
    pub values_or: &'static str,
    pub value_true: &'static str,
    pub value_false: &'static str,
    /// A day in a chip of this year: chrono format.
    pub chip_day_format: &'static str,
    pub chip_day_format_other_year: &'static str,
    /// A day condition read in a zone other than the agent's: "Created on 26 Oct
    /// (Europe/Kyiv)" (the sentence, the zone).
    pub chip_in_zone: fn(&str, &str) -> String,
    /// A fixed UTC offset, in minutes east, as a zone: "UTC+03:00", "UTC" for none.
    pub utc_offset_zone: fn(i32) -> String,

    // The builder.
    pub open_filter: &'static str,
    /// "Filter (2)": the button while conditions are in force.
    pub open_filter_count: fn(usize) -> String,
    pub builder_title: &'static str,
    pub builder_intro: &'static str,
    pub no_conditions: &'static str,
    /// "Condition 2".
    pub condition_label: fn(usize) -> String,
    pub attribute_label: &'static str,
    pub operator_label: &'static str,
    pub value_label: &'static str,
    pub days_label: &'static str,
    pub days_ago_suffix: &'static str,
    pub choose_labels: &'static str,
    pub no_account_labels: &'static str,
    pub choose_values: &'static str,
    pub join_and: &'static str,
    pub join_or: &'static str,
    /// "How condition 1 joins condition 2".
    pub join_label: fn(usize, usize) -> String,
    pub add_condition: &'static str,
    /// "Remove condition 2".
    pub remove_condition: fn(usize) -> String,
    pub move_up: fn(usize) -> String,
    pub move_down: fn(usize) -> String,
    pub apply: &'static str,
    pub clear_all: &'static str,
    pub close: &'static str,
    /// "Custom attributes could not be loaded: <why>".
    pub definitions_failed: fn(&str) -> String,

    // Chips.
    pub active_filters: &'static str,
    /// "Edit condition: Label is vip".
    pub edit_chip: fn(&str) -> String,
    /// "Remove condition: Label is vip".
    pub remove_chip: fn(&str) -> String,
    pub clear_filters: &'static str,

    // The empty list.
    pub no_filter_matches: &'static str,
    /// "Search: “ole”".
    pub search_in_force: fn(&str) -> String,
    /// "Labels: vip, billing".
    pub labels_in_force: fn(&str) -> String,
    pub clear_everything: &'static str,

    // Saved segments.
    pub segments_heading: &'static str,
    pub loading_segments: &'static str,
    pub segments_load_failed: fn(&str) -> String,
    pub no_segments: &'static str,
    pub save_segment: &'static str,
    pub segment_name: &'static str,
    pub save: &'static str,
    pub saving: &'static str,
    pub cancel: &'static str,
    pub segment_save_failed: fn(&str) -> String,
    /// "Saved segment “VIP in Kyiv”".
    pub segment_saved: fn(&str) -> String,
    /// "Rename segment VIP".
    pub rename_segment: fn(&str) -> String,
    pub rename: &'static str,
    pub segment_rename_failed: fn(&str) -> String,
    /// "Delete segment VIP".
    pub delete_segment: fn(&str) -> String,
    /// "Delete segment “VIP”?"
    pub delete_segment_question: fn(&str) -> String,
    pub delete: &'static str,
    pub segment_delete_failed: fn(&str) -> String,
}

impl FilterStrings {
    /// A built-in attribute's name; `None` for a custom key (its definition names it).
    pub fn standard_attribute(&self, key: &str) -> Option<&'static str> {
        Some(match key {
            "name" => self.attr_name,
            "email" => self.attr_email,
            "phone_number" => self.attr_phone,
            "id" => self.attr_id,
            "identifier" => self.attr_identifier,
            "created_at" => self.attr_created_at,
            "last_activity_at" => self.attr_last_activity,
            "labels" => self.attr_labels,
            "blocked" => self.attr_blocked,
            "city" => self.attr_city,
            "country_code" => self.attr_country,
            "company" => self.attr_company,
            _ => return None,
        })
    }

    /// What `operator` reads as for `attribute`: dates are "before"/"after"/"on", labels
    /// "has a label"/"has no label", everything else "is", "contains", "is greater than"…
    pub fn operator(&self, attribute: &Attribute, operator: Operator) -> &'static str {
        let dated = matches!(
            attribute,
            Attribute::CreatedAt
                | Attribute::LastActivityAt
                | Attribute::Custom {
                    kind: AttributeKind::Date,
                    ..
                }
        );
        match (operator, dated, attribute) {
            (Operator::IsGreaterThan, true, _) => self.op_date_after,
            (Operator::IsLessThan, true, _) => self.op_date_before,
            (Operator::EqualTo, true, _) => self.op_date_on,
            (Operator::IsPresent, _, Attribute::Labels) => self.op_labels_present,
            (Operator::IsNotPresent, _, Attribute::Labels) => self.op_labels_not_present,
            (Operator::EqualTo, ..) => self.op_equal_to,
            (Operator::NotEqualTo, ..) => self.op_not_equal_to,
            (Operator::Contains, ..) => self.op_contains,
            (Operator::DoesNotContain, ..) => self.op_does_not_contain,
            (Operator::StartsWith, ..) => self.op_starts_with,
            (Operator::IsPresent, ..) => self.op_is_present,
            (Operator::IsNotPresent, ..) => self.op_is_not_present,
            (Operator::IsGreaterThan, ..) => self.op_greater_than,
            (Operator::IsLessThan, ..) => self.op_less_than,
            (Operator::DaysBefore, ..) => self.op_days_before,
        }
    }
}
