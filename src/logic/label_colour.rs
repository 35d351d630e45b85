//! Label colours as the server sends them, made safe for a style attribute and paired
//! with a text colour that stays readable on them.

use std::collections::HashMap;

use novatalks_model::Label;

/// A colour from the server, accepted only as `#rgb` or `#rrggbb` so that it can go into
/// a style attribute without carrying anything else along.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HexColour {
    rgb: [u8; 3],
}

impl HexColour {
    pub fn parse(text: &str) -> Option<HexColour> {
        let hex = text.trim().strip_prefix('#')?;
        if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        let channel = |s: &str| u8::from_str_radix(s, 16).ok();
        let rgb = match hex.len() {
            3 => {
                let mut rgb = [0; 3];
                for (i, c) in hex.chars().enumerate() {
                    rgb[i] = channel(&c.to_string())? * 17;
                }
                rgb
            }
            6 => [
                channel(&hex[0..2])?,
                channel(&hex[2..4])?,
                channel(&hex[4..6])?,
            ],
            _ => return None,
        };
        Some(HexColour { rgb })
    }

    pub fn css(&self) -> String {
        let [r, g, b] = self.rgb;
        format!("#{r:02x}{g:02x}{b:02x}")
    }

    /// Dark text on light colours, white on dark ones (WCAG relative luminance).
    pub fn readable_text(&self) -> &'static str {
        let linear = |c: u8| {
            let c = f64::from(c) / 255.0;
            if c <= 0.039_28 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        let [r, g, b] = self.rgb;
        let luminance = 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
        // The luminance where black and white text contrast equally.
        if luminance > 0.179 {
            "#111827"
        } else {
            "#ffffff"
        }
    }
}

/// Label title -> its colour in this account.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LabelColours(HashMap<String, HexColour>);

impl LabelColours {
    pub fn of(&self, title: &str) -> Option<HexColour> {
        self.0.get(title).copied()
    }
}

impl FromIterator<Label> for LabelColours {
    fn from_iter<I: IntoIterator<Item = Label>>(labels: I) -> Self {
        LabelColours(
            labels
                .into_iter()
                .filter_map(|l| Some((l.title, HexColour::parse(l.color.as_deref()?)?)))
                .collect(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_hex_colours_are_accepted() {
        assert_eq!(
            HexColour::parse("#1F93FF").map(|c| c.css()).as_deref(),
            Some("#1f93ff")
        );
        assert_eq!(
            HexColour::parse("#fa0").map(|c| c.css()).as_deref(),
            Some("#ffaa00")
        );
        for bad in [
            "",
            "#",
            "1f93ff",
            "#12345",
            "#ggg",
            "red",
            "#fff;background:url(x)",
            "#ffé",
        ] {
            assert_eq!(HexColour::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn text_stays_readable_on_the_chip() {
        assert_eq!(
            HexColour::parse("#ffffff").unwrap().readable_text(),
            "#111827"
        );
        assert_eq!(
            HexColour::parse("#ffe066").unwrap().readable_text(),
            "#111827"
        );
        assert_eq!(
            HexColour::parse("#1f2937").unwrap().readable_text(),
            "#ffffff"
        );
        assert_eq!(
            HexColour::parse("#d0021b").unwrap().readable_text(),
            "#ffffff"
        );
    }

    #[test]
    fn colours_map_titles_and_skip_labels_without_a_valid_colour() {
        let label = |title: &str, color: Option<&str>| Label {
            id: 1,
            title: title.into(),
            description: None,
            color: color.map(Into::into),
            show_on_sidebar: None,
        };
        let colours: LabelColours = [
            label("vip", Some("#ff0000")),
            label("billing", None),
            label("spam", Some("nope")),
        ]
        .into_iter()
        .collect();
        assert_eq!(
            colours.of("vip").map(|c| c.css()).as_deref(),
            Some("#ff0000")
        );
        assert_eq!(colours.of("billing"), None);
        assert_eq!(colours.of("spam"), None);
        assert_eq!(colours.of("unknown"), None);
    }
}
