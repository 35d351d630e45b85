//! The Dashboard App mode: the app framed in the NovaTalks dashboard's conversation
//! panel, configured by its URL or a config file instead of a sign-in, showing the
//! compact card of the contact the dashboard names by `appContext` messages.

mod dashboard_app;
mod embed_notice;
mod embed_session;
mod embedded_card;
pub mod messages;

pub use dashboard_app::DashboardAppPage;
pub use embed_notice::EmbedNotice;
pub use embed_session::EmbedSession;
pub use embedded_card::EmbeddedCard;
