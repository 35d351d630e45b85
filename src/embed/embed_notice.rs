use leptos::prelude::*;

/// What the embedded app says instead of a card: not configured, waiting for the
/// dashboard, a refused token… A title, a sentence, and how to fix it when there is a way.
#[component]
pub fn EmbedNotice(
    /// The sentence: what is the matter.
    #[prop(into)]
    message: String,
    #[prop(optional)] title: Option<&'static str>,
    /// What the person installing the app should do.
    #[prop(optional)]
    hint: Option<&'static str>,
    /// A problem (announced at once) rather than a state being waited out.
    #[prop(optional)]
    problem: bool,
    testid: &'static str,
) -> impl IntoView {
    view! {
        <section
            class="embed-notice"
            class:embed-notice--problem=problem
            role=if problem { "alert" } else { "status" }
            data-testid=testid
        >
            {title.map(|title| view! { <h1 class="embed-notice__title">{title}</h1> })}
            <p class="embed-notice__message">{message}</p>
            {hint.map(|hint| view! { <p class="embed-notice__hint">{hint}</p> })}
        </section>
    }
}
