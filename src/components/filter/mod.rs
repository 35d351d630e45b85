//! The advanced filter: the builder of conditions (attribute, operator, value, joined by
//! AND / OR), the chips of the conditions in force, the empty list that names them, and
//! saved segments.

mod boolean_value;
mod catalog;
mod choice_values;
mod day_value;
mod days_ago_value;
mod filter_builder;
mod filter_button;
mod filter_chip;
mod filter_chips;
mod filter_empty;
mod filter_row;
mod number_value;
mod segment_delete_confirm;
mod segment_item;
mod segment_list;
mod segment_rename;
mod segment_save;
mod segment_save_form;
mod text_value;
mod value_editor;
pub mod value_kind;
pub mod wording;
mod zone_note;

pub use boolean_value::BooleanValue;
pub use catalog::{AttributeChoice, Catalog};
pub use choice_values::ChoiceValues;
pub use day_value::DayValue;
pub use days_ago_value::DaysAgoValue;
pub use filter_builder::FilterBuilder;
pub use filter_button::FilterButton;
pub use filter_chip::FilterChip;
pub use filter_chips::FilterChips;
pub use filter_empty::FilterEmpty;
pub use filter_row::FilterRow;
pub use number_value::NumberValue;
pub use segment_delete_confirm::SegmentDeleteConfirm;
pub use segment_item::SegmentItem;
pub use segment_list::SegmentList;
pub use segment_rename::SegmentRename;
pub use segment_save::SegmentSave;
pub use segment_save_form::SegmentSaveForm;
pub use text_value::TextValue;
pub use value_editor::ValueEditor;
pub use zone_note::ZoneNote;

/// The agent's UTC offset in minutes east of UTC, now (what day conditions are sent with).
pub fn utc_offset_minutes() -> i32 {
    -(js_sys::Date::new_0().get_timezone_offset() as i32)
}

/// The agent's time zone, as day conditions are sent with it: the browser's IANA name
/// (`Europe/Kyiv`), or its UTC offset now where the browser names none.
pub fn agent_time_zone() -> serde_json::Value {
    let options = js_sys::Intl::DateTimeFormat::new(&js_sys::Array::new(), &js_sys::Object::new())
        .resolved_options();
    let name = js_sys::Reflect::get(&options, &wasm_bindgen::JsValue::from_str("timeZone"))
        .ok()
        .and_then(|name| name.as_string());
    value_kind::zone_value(name.as_deref(), utc_offset_minutes())
}

/// The agent's year and time zone now, for days in chips.
pub fn agent_clock() -> wording::AgentClock {
    wording::AgentClock {
        year: js_sys::Date::new_0().get_full_year() as i32,
        zone: agent_time_zone(),
        utc_offset_minutes: utc_offset_minutes(),
    }
}
