use std::future::Future;

use leptos::prelude::*;
use send_wrapper::SendWrapper;

use crate::components::common::LoadError;
use crate::i18n::t;
use crate::split::PartMissing;

/// A view whose code may come in a later download: `load` calls one of the split points
/// of [`crate::split`], which fetches its part of the wasm the first time (in the release
/// build) and then builds the view. Nothing is shown while the part comes (inside a
/// `Transition`, that one is pending meanwhile); one that could not be downloaded says so,
/// with a retry.
#[component]
pub fn Later<F, Fut>(load: F) -> impl IntoView
where
    F: Fn() -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<AnyView, PartMissing>> + 'static,
{
    let attempt = RwSignal::new(0u32);
    let part = move || {
        attempt.track();
        // One thread: the split loader's future is not Send, and need not be.
        let view = SendWrapper::new(load());
        Suspend::new(async move {
            match view.await {
                Ok(view) => view,
                Err(PartMissing) => view! {
                    <LoadError
                        message=t().part_load_failed.to_owned()
                        pending=false
                        on_retry=Callback::new(move |()| attempt.update(|n| *n += 1))
                        test_id="part-load-error"
                    />
                }
                .into_any(),
            }
        })
    };
    // No Suspense of its own: one would fall back to nothing, and take the view's inputs
    // and their focus away, each time a resource read inside the view reloads.
    part
}
