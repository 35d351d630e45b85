//! The words the app says only against a stock Chatwoot server (`Strings::stock`), where
//! the NovaTalks extensions are missing. English only, with the table itself here.

/// What the app says when a NovaTalks extension is not there.
pub struct StockStrings {
    /// The block dialog's explanation: why there is no end and no reason to choose.
    pub block_forever_only: &'static str,
    /// The block dialog's confirm button.
    pub block_forever: &'static str,
    /// A row's labels are on their way (the accessible text of the placeholder).
    pub labels_loading: &'static str,
    /// A row's labels could not be read.
    pub labels_unavailable: &'static str,
}

pub static STOCK_EN: StockStrings = StockStrings {
    block_forever_only: "This server is a standard Chatwoot: a block lasts until someone \
        unblocks the contact, and no reason is kept. Blocking for a set time needs NovaTalks.",
    block_forever: "Block until unblocked",
    labels_loading: "Loading labels…",
    labels_unavailable: "Labels could not be loaded",
};
