use leptos::prelude::*;
use novatalks_model::custom_attribute::CustomAttributeDefinition;

use super::TargetSelect;
use crate::i18n::t;
use crate::logic::import_plan::samples;
use crate::state::Imports;

/// One row per column of the file: its header, its first values, and what it fills.
#[component]
pub fn MappingTable(
    imports: Imports,
    definitions: Signal<Vec<CustomAttributeDefinition>>,
) -> impl IntoView {
    let strings = t().import;
    let rows = move || {
        imports.file.with(|file| {
            file.as_ref()
                .map(|f| {
                    f.preview
                        .headers
                        .iter()
                        .enumerate()
                        .map(|(i, h)| (i, h.clone(), samples(&f.preview, i).join(" · ")))
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    };
    view! {
        <table class="import-mapping" data-testid="import-mapping">
            <thead>
                <tr>
                    <th scope="col">{strings.column_header}</th>
                    <th scope="col">{strings.column_samples}</th>
                    <th scope="col">{strings.column_target}</th>
                </tr>
            </thead>
            <tbody>
                {move || {
                    rows()
                        .into_iter()
                        .map(|(index, header, sample)| {
                            view! {
                                <tr data-testid="import-column">
                                    <th scope="row" class="import-mapping__header">{header.clone()}</th>
                                    <td class="import-mapping__samples">{sample}</td>
                                    <td>
                                        <TargetSelect imports index header definitions />
                                    </td>
                                </tr>
                            }
                        })
                        .collect_view()
                }}
            </tbody>
        </table>
    }
}
