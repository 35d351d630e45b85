//! Blocking a contact: the dialog that chooses for how long and why (or, on a stock
//! Chatwoot, only confirms), and the request both forms of it make. What the choices
//! mean is `logic::block_choice`.

mod block_dialog;
mod block_fields;
mod block_request;
mod stock_block_dialog;

pub use block_dialog::BlockDialog;
pub use block_fields::{BlockFields, BlockForm};
use block_request::BlockRequest;
pub use stock_block_dialog::StockBlockDialog;
