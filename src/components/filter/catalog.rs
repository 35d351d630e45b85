//! What a filter can be built from: the built-in attributes and the account's custom
//! attribute definitions, with the names the agent reads.

use novatalks_model::filter::{is_custom_key, Attribute, CustomAttributeDef};
use novatalks_model::CustomAttributeDefinition;

use crate::i18n::t;

/// The account's contact custom attribute definitions, as filters see them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Catalog {
    pub definitions: Vec<CustomAttributeDefinition>,
}

/// One attribute the builder offers: its key and its name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttributeChoice {
    pub key: String,
    pub name: String,
}

impl Catalog {
    pub fn new(definitions: Vec<CustomAttributeDefinition>) -> Self {
        Catalog { definitions }
    }

    /// The definitions `validate` takes: those of a type filters know, with a usable key.
    pub fn defs(&self) -> Vec<CustomAttributeDef> {
        self.definitions
            .iter()
            .filter(|d| is_custom_key(&d.attribute_key))
            .filter_map(|d| {
                CustomAttributeDef::from_definition(
                    &d.attribute_key,
                    &d.attribute_display_type,
                    d.attribute_values.clone(),
                )
            })
            .collect()
    }

    /// The attribute a key names, if the builder knows it.
    pub fn attribute(&self, key: &str) -> Option<Attribute> {
        Attribute::parse(key, &self.defs())
    }

    /// What the agent reads for a key: the built-in name, the definition's display name,
    /// else the key itself.
    pub fn attribute_name(&self, key: &str) -> String {
        if let Some(name) = t().filter.standard_attribute(key) {
            return name.to_owned();
        }
        self.definitions
            .iter()
            .find(|d| d.attribute_key == key)
            .map(|d| d.attribute_display_name.trim())
            .filter(|name| !name.is_empty())
            .unwrap_or(key)
            .to_owned()
    }

    /// The options of a list attribute (none for other keys).
    pub fn list_values(&self, key: &str) -> Vec<String> {
        self.definitions
            .iter()
            .find(|d| d.attribute_key == key)
            .map(|d| d.attribute_values.clone())
            .unwrap_or_default()
    }

    /// The built-in attributes, in the contract's order.
    pub fn standard_choices(&self) -> Vec<AttributeChoice> {
        Attribute::STANDARD
            .iter()
            .map(|a| AttributeChoice {
                key: a.key().to_owned(),
                name: self.attribute_name(a.key()),
            })
            .collect()
    }

    /// The custom attributes a filter can use, by name. A key that a built-in attribute
    /// already has is left out: the built-in one wins, as on the server.
    pub fn custom_choices(&self) -> Vec<AttributeChoice> {
        let mut choices: Vec<AttributeChoice> = self
            .defs()
            .into_iter()
            .filter(|d| !Attribute::STANDARD.iter().any(|a| a.key() == d.key))
            .map(|d| AttributeChoice {
                name: self.attribute_name(&d.key),
                key: d.key,
            })
            .collect();
        choices.sort_by_key(|c| c.name.to_lowercase());
        choices
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn definition(
        key: &str,
        name: &str,
        kind: &str,
        values: &[&str],
    ) -> CustomAttributeDefinition {
        CustomAttributeDefinition {
            id: 1,
            attribute_key: key.into(),
            attribute_display_name: name.into(),
            attribute_display_type: kind.into(),
            attribute_values: values.iter().map(|v| v.to_string()).collect(),
            attribute_model: "contact_attribute".into(),
            regex_pattern: None,
            regex_cue: None,
            attribute_description: None,
            created_at: None,
        }
    }

    pub(crate) fn demo() -> Catalog {
        Catalog::new(vec![
            definition("plan", "Plan", "list", &["free", "gold"]),
            definition("order_count", "Orders", "number", &[]),
            definition("renewal_date", "Renewal date", "date", &[]),
            definition("newsletter", "Newsletter", "checkbox", &[]),
            definition("Bad Key", "Bad", "text", &[]),
            definition("hologram", "Hologram", "hologram", &[]),
            definition("city", "Town", "text", &[]),
        ])
    }

    #[test]
    fn every_contract_attribute_is_offered_and_custom_ones_by_name() {
        let catalog = demo();
        let standard: Vec<String> = catalog
            .standard_choices()
            .into_iter()
            .map(|c| c.name)
            .collect();
        assert_eq!(
            standard,
            [
                "Name",
                "Email",
                "Phone number",
                "Contact ID",
                "Identifier",
                "Created",
                "Last activity",
                "Labels",
                "Blocked",
                "City",
                "Country",
                "Company"
            ]
        );
        let custom: Vec<String> = catalog
            .custom_choices()
            .into_iter()
            .map(|c| c.key)
            .collect();
        assert_eq!(
            custom,
            ["newsletter", "order_count", "plan", "renewal_date"]
        );
        assert_eq!(catalog.attribute_name("plan"), "Plan");
        assert_eq!(catalog.attribute_name("city"), "City", "built-in names win");
        assert_eq!(catalog.attribute_name("unknown_key"), "unknown_key");
        assert_eq!(catalog.list_values("plan"), ["free", "gold"]);
        assert_eq!(
            catalog.defs().len(),
            5,
            "unknown types and bad keys are left out"
        );
    }
}
