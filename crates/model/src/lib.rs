//! Wire types and pure logic shared by the SPA and the server.
//!
//! Nothing in this crate performs I/O, so everything here is tested natively and fast,
//! and the SPA can validate input with exactly the code the server uses.

pub mod around;
pub mod auth;
pub mod block;
pub mod bulk;
pub mod contact;
pub mod custom_attribute;
pub mod day_zone;
pub mod extension;
pub mod filter;
pub mod import;
pub mod list;
pub mod merge;
pub mod rules;
pub mod time;

pub use auth::{AccountMembership, Profile, SignInRequest, SignInResponse, SignedInUser};
pub use block::{block_ends_at, BlockDuration, BlockTimeError};
pub use contact::{Contact, ContactInbox, Label};
pub use custom_attribute::CustomAttributeDefinition;
pub use day_zone::{DayZone, ZoneName};
pub use filter::{
    operators_for, Attribute, AttributeKind, Conjunction, CustomAttributeDef, CustomFilter,
    CustomFilterInput, CustomFilterRequest, FilterCondition, FilterError, FilterRequest,
    FilterValue, Operator, ValidCondition,
};
pub use list::{
    ContactList, ListMeta, SortDirection, SortField, SortKey, DEFAULT_PER_PAGE, MAX_PER_PAGE,
};
pub use rules::FieldProblem;
pub use time::RelativeAge;
