//! Generated people: names, emails and phones of a few cultures, written as real contact
//! bases have them.

use super::rng::Rng;

/// A people group: first names, last names, language, country, phone plan, cities.
pub(super) struct Culture {
    first: &'static [&'static str],
    last: &'static [&'static str],
    language: &'static str,
    country: &'static str,
    /// E.164 prefix of mobile numbers and how many subscriber digits follow.
    phone_prefixes: &'static [&'static str],
    subscriber_digits: u32,
    cities: &'static [&'static str],
    email_domains: &'static [&'static str],
}

pub(super) const CULTURES: &[Culture] = &[
    Culture {
        first: &[
            "Olena", "Andrii", "Iryna", "Oksana", "Taras", "Dmytro", "Nataliia", "Yurii", "Sofiia",
            "Bohdan",
        ],
        last: &[
            "Kovalenko",
            "Shevchenko",
            "Bondarenko",
            "Tkachenko",
            "Kravchenko",
            "Melnyk",
            "Boiko",
            "Lysenko",
        ],
        language: "uk",
        country: "UA",
        phone_prefixes: &["+38050", "+38067", "+38093", "+38097"],
        subscriber_digits: 7,
        cities: &["Kyiv", "Lviv", "Odesa", "Kharkiv", "Dnipro"],
        email_domains: &["ukr.net", "gmail.com", "i.ua"],
    },
    Culture {
        first: &[
            "Олена",
            "Андрій",
            "Ірина",
            "Тарас",
            "Марія",
            "Богдана",
            "Євген",
            "Юлія",
        ],
        last: &[
            "Коваленко",
            "Шевченко",
            "Мельник",
            "Ткачук",
            "Гончаренко",
            "Савчук",
            "Поліщук",
        ],
        language: "uk",
        country: "UA",
        phone_prefixes: &["+38063", "+38066", "+38068"],
        subscriber_digits: 7,
        cities: &["Київ", "Львів", "Вінниця", "Полтава"],
        email_domains: &["ukr.net", "meta.ua"],
    },
    Culture {
        first: &[
            "Алексей",
            "Наталья",
            "Сергей",
            "Екатерина",
            "Дмитрий",
            "Анна",
            "Игорь",
            "Ольга",
        ],
        last: &[
            "Иванов",
            "Смирнова",
            "Кузнецов",
            "Попова",
            "Соколов",
            "Лебедева",
            "Новиков",
        ],
        language: "ru",
        country: "KZ",
        phone_prefixes: &["+7701", "+7702", "+7705", "+7777"],
        subscriber_digits: 7,
        cities: &["Алматы", "Астана", "Шымкент"],
        email_domains: &["mail.kz", "gmail.com"],
    },
    Culture {
        first: &[
            "Jürgen",
            "Günter",
            "Anna",
            "Lukas",
            "Sophie",
            "Jörg",
            "Käthe",
            "Maximilian",
            "Lea",
            "Björn",
        ],
        last: &[
            "Müller",
            "Schröder",
            "Weiß",
            "Groß",
            "Köhler",
            "Schäfer",
            "Becker",
            "Hoffmann",
        ],
        language: "de",
        country: "DE",
        phone_prefixes: &["+49151", "+49160", "+49170", "+49176"],
        subscriber_digits: 8,
        cities: &["Berlin", "München", "Köln", "Düsseldorf"],
        email_domains: &["web.de", "gmx.de", "t-online.de"],
    },
    Culture {
        first: &[
            "Zoë",
            "François",
            "Hélène",
            "Amélie",
            "Jérôme",
            "Noël",
            "Léa",
            "Gaël",
        ],
        last: &[
            "Dubois", "Lefèvre", "Girard", "Moreau", "Bénard", "Fontaine", "Rousseau",
        ],
        language: "fr",
        country: "FR",
        phone_prefixes: &["+336", "+337"],
        subscriber_digits: 8,
        cities: &["Paris", "Lyon", "Marseille", "Nantes"],
        email_domains: &["orange.fr", "free.fr", "laposte.net"],
    },
    Culture {
        first: &[
            "José",
            "María",
            "Lucía",
            "Sebastián",
            "Inés",
            "Andrés",
            "Martín",
            "Sofía",
        ],
        last: &[
            "García",
            "Martínez",
            "López",
            "Fernández",
            "Pérez",
            "Sánchez",
            "Gómez",
            "Muñoz",
        ],
        language: "es",
        country: "ES",
        phone_prefixes: &["+346"],
        subscriber_digits: 8,
        cities: &["Madrid", "Barcelona", "Valencia", "Sevilla"],
        email_domains: &["gmail.com", "telefonica.net"],
    },
    Culture {
        first: &[
            "Łukasz",
            "Agnieszka",
            "Paweł",
            "Zofia",
            "Michał",
            "Małgorzata",
            "Wojciech",
            "Ewa",
        ],
        last: &[
            "Nowak",
            "Kowalski",
            "Wiśniewski",
            "Wójcik",
            "Kamiński",
            "Lewandowska",
            "Zieliński",
        ],
        language: "pl",
        country: "PL",
        phone_prefixes: &["+4850", "+4851", "+4860", "+4869"],
        subscriber_digits: 7,
        cities: &["Warszawa", "Kraków", "Łódź", "Gdańsk"],
        email_domains: &["wp.pl", "onet.pl", "o2.pl"],
    },
    Culture {
        first: &[
            "Emily", "James", "Olivia", "Noah", "Amelia", "Harry", "Grace", "Jack", "Chloe",
            "Oliver",
        ],
        last: &[
            "Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Davies", "Evans", "O'Brien",
        ],
        language: "en",
        country: "GB",
        phone_prefixes: &["+4477", "+4479", "+4474"],
        subscriber_digits: 8,
        cities: &["London", "Manchester", "Leeds", "Bristol"],
        email_domains: &["gmail.com", "outlook.com", "btinternet.com"],
    },
    Culture {
        first: &[
            "Michael", "Jennifer", "David", "Jessica", "Chris", "Ashley", "Daniel", "Megan",
        ],
        last: &[
            "Johnson",
            "Miller",
            "Davis",
            "Rodriguez",
            "Martinez",
            "Anderson",
            "Thomas",
            "Moore",
        ],
        language: "en",
        country: "US",
        phone_prefixes: &["+1201", "+1212", "+1415", "+1646", "+1917"],
        subscriber_digits: 7,
        cities: &["New York", "San Francisco", "Austin", "Chicago"],
        email_domains: &["gmail.com", "yahoo.com", "icloud.com"],
    },
    Culture {
        first: &[
            "Tomáš",
            "Veronika",
            "Jiří",
            "Lucie",
            "Petr",
            "Kateřina",
            "Ondřej",
        ],
        last: &[
            "Novák",
            "Svoboda",
            "Dvořák",
            "Černý",
            "Procházka",
            "Kučera",
            "Veselý",
        ],
        language: "cs",
        country: "CZ",
        phone_prefixes: &["+42060", "+42077"],
        subscriber_digits: 7,
        cities: &["Praha", "Brno", "Ostrava"],
        email_domains: &["seznam.cz", "email.cz"],
    },
];

pub(super) const COMPANIES: &[&str] = &[
    "Nova Retail",
    "Acme Logistics",
    "Zelena Energiia",
    "Blue Fjord AB",
    "Müller & Söhne",
    "Café Lumière",
    "Kraków Digital",
    "Northwind Traders",
    "Sunrise Travel",
    "Pixel Forge",
];

/// A generated person.
pub(super) struct Person {
    pub(super) name: Option<String>,
    pub(super) email: Option<String>,
    pub(super) phone: Option<String>,
    pub(super) language: &'static str,
    pub(super) country: &'static str,
    pub(super) city: &'static str,
}

/// Latin letters for an email local part: diacritics and Cyrillic transliterated.
fn ascii_slug(s: &str) -> String {
    const CYR: &[(char, &str)] = &[
        ('а', "a"),
        ('б', "b"),
        ('в', "v"),
        ('г', "h"),
        ('ґ', "g"),
        ('д', "d"),
        ('е', "e"),
        ('є', "ie"),
        ('ё', "e"),
        ('ж', "zh"),
        ('з', "z"),
        ('и', "y"),
        ('і', "i"),
        ('ї', "i"),
        ('й', "i"),
        ('к', "k"),
        ('л', "l"),
        ('м', "m"),
        ('н', "n"),
        ('о', "o"),
        ('п', "p"),
        ('р', "r"),
        ('с', "s"),
        ('т', "t"),
        ('у', "u"),
        ('ф', "f"),
        ('х', "kh"),
        ('ц', "ts"),
        ('ч', "ch"),
        ('ш', "sh"),
        ('щ', "shch"),
        ('ь', ""),
        ('ъ', ""),
        ('ы', "y"),
        ('э', "e"),
        ('ю', "iu"),
        ('я', "ia"),
    ];
    const LATIN: &[(char, &str)] = &[
        ('ä', "ae"),
        ('ö', "oe"),
        ('ü', "ue"),
        ('ß', "ss"),
        ('é', "e"),
        ('è', "e"),
        ('ê', "e"),
        ('ë', "e"),
        ('à', "a"),
        ('á', "a"),
        ('â', "a"),
        ('ç', "c"),
        ('í', "i"),
        ('ï', "i"),
        ('ó', "o"),
        ('ô', "o"),
        ('ú', "u"),
        ('ñ', "n"),
        ('ł', "l"),
        ('ś', "s"),
        ('ć', "c"),
        ('ń', "n"),
        ('ó', "o"),
        ('ź', "z"),
        ('ż', "z"),
        ('ą', "a"),
        ('ę', "e"),
        ('š', "s"),
        ('č', "c"),
        ('ř', "r"),
        ('ž', "z"),
        ('ý', "y"),
        ('ě', "e"),
        ('ů', "u"),
        ('ë', "e"),
    ];
    let mut out = String::new();
    for ch in s.to_lowercase().chars() {
        if ch.is_ascii_alphanumeric() {
            out.push(ch);
        } else if let Some((_, t)) = CYR.iter().chain(LATIN).find(|(c, _)| *c == ch) {
            out.push_str(t);
        }
    }
    out
}

/// A unique mobile number for the `n`-th generated contact of a culture's prefix: the
/// subscriber part is `n` scrambled by a bijection, so no two contacts share a number.
fn phone_for(culture: &Culture, prefix: &str, n: u64) -> String {
    let modulus = 10u64.pow(culture.subscriber_digits);
    let lowest = modulus / 10; // no leading zero after the prefix
    let subscriber = lowest + (n.wrapping_mul(7_919).wrapping_add(1_234_567)) % (modulus - lowest);
    format!(
        "{prefix}{subscriber:0width$}",
        width = culture.subscriber_digits as usize
    )
}

pub(super) fn person(rng: &mut Rng, serial: u64) -> Person {
    let culture = rng.pick(CULTURES);
    let first = *rng.pick(culture.first);
    let last = *rng.pick(culture.last);
    let city = *rng.pick(culture.cities);
    let roll = rng.below(100);
    // 8% only a name (a web visitor or a messenger user), 7% only a phone (a caller),
    // 5% a name and an email; the rest have all three.
    let (name, email, phone) = match roll {
        0..=7 => (true, false, false),
        8..=14 => (false, false, true),
        15..=19 => (true, true, false),
        _ => (true, true, true),
    };
    let name = name.then(|| format!("{first} {last}"));
    let email = email.then(|| {
        format!(
            "{}.{}{}@{}",
            ascii_slug(first),
            ascii_slug(last),
            serial,
            rng.pick(culture.email_domains)
        )
    });
    let phone = phone.then(|| {
        let prefix = rng.pick(culture.phone_prefixes);
        phone_for(culture, prefix, serial)
    });
    Person {
        name,
        email,
        phone,
        language: culture.language,
        country: culture.country,
        city,
    }
}

/// Real contact bases have tens of thousands of surnames; the demo cultures have a few
/// each. Synthetic contacts get a surname built from syllables most of the time, so that
/// searching a million of them behaves like searching a real base.
pub(super) fn diversify_surname(rng: &mut Rng, p: &mut Person) {
    const STEMS: &[&str] = &[
        "Bar", "Bel", "Bor", "Dan", "Dor", "Fal", "Gar", "Hal", "Har", "Kar", "Kel", "Kor", "Lan",
        "Lev", "Mar", "Mel", "Mor", "Nal", "Nor", "Ost", "Pal", "Per", "Ral", "Ros", "Sal", "Sev",
        "Tar", "Tem", "Vol", "Vor", "Wal", "Zar", "Bran", "Klim", "Stav", "Grin", "Prok", "Fed",
        "Hub", "Lind",
    ];
    const MIDDLES: &[&str] = &[
        "", "a", "e", "i", "o", "u", "an", "el", "ov", "in", "ar", "ed",
    ];
    const ENDINGS: &[&str] = &[
        "enko", "chuk", "ski", "sky", "ova", "ov", "son", "sen", "mann", "er", "ez", "ini", "ak",
        "ek", "ley", "ton", "berg", "ich", "uk", "is",
    ];
    if !rng.chance(75) {
        return;
    }
    if let Some(name) = &p.name {
        let first = name.split(' ').next().unwrap_or(name).to_owned();
        let surname = format!(
            "{}{}{}",
            rng.pick(STEMS),
            rng.pick(MIDDLES),
            rng.pick(ENDINGS)
        );
        p.name = Some(format!("{first} {surname}"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_slugs_are_ascii() {
        assert_eq!(ascii_slug("Jürgen"), "juergen");
        assert_eq!(ascii_slug("Олена"), "olena");
        assert_eq!(ascii_slug("O'Brien"), "obrien");
        assert_eq!(ascii_slug("Łukasz"), "lukasz");
    }

    #[test]
    fn generated_phones_are_unique_and_well_formed() {
        let culture = &CULTURES[0];
        let mut seen = std::collections::HashSet::new();
        for n in 0..50_000 {
            let p = phone_for(culture, "+38050", n);
            assert_eq!(p.len(), "+38050".len() + 7, "{p}");
            assert!(seen.insert(p));
        }
    }
}
