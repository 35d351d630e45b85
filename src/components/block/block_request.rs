use leptos::prelude::*;
use novatalks_model::Contact;

use crate::api::{contacts, ApiError};
use crate::i18n::t;
use crate::state::use_api;

/// What a block dialog sends: until when (`None`: until unblocked) and why.
pub type BlockAsk = (Option<i64>, Option<String>);

/// The request both block dialogs make: blocks contact `id`, hands the blocked contact to
/// `on_done`, and keeps the refusal in words until the next try.
#[derive(Clone, Copy)]
pub struct BlockRequest {
    action: Action<BlockAsk, Result<Contact, ApiError>>,
}

impl BlockRequest {
    pub fn new(id: i64, on_done: Callback<Contact>) -> Self {
        let api = use_api();
        let action = Action::new_local(move |(until, reason): &BlockAsk| {
            let (until, reason) = (*until, reason.clone());
            let client = api.client();
            let request = async move { contacts::block(&client, id, until, reason).await };
            async move {
                let result = request.await;
                if let Ok(blocked) = &result {
                    on_done.try_run(blocked.clone());
                }
                result
            }
        });
        BlockRequest { action }
    }

    /// Sends the block, unless one is under way.
    pub fn send(&self, ask: BlockAsk) {
        if !self.action.pending().get_untracked() {
            self.action.dispatch_local(ask);
        }
    }

    pub fn pending(&self) -> Memo<bool> {
        self.action.pending()
    }

    /// Why the last try failed, in words; none while a try is under way (tracked).
    pub fn error(&self) -> Option<String> {
        let strings = t();
        if self.action.pending().get() {
            return None;
        }
        self.action
            .value()
            .get()
            .and_then(Result::err)
            .map(|e| (strings.block_failed)(&strings.describe_error(&e)))
    }
}
