//! Demo data: two accounts (the second proves isolation) with realistic contacts, and a
//! generator of synthetic contacts for benchmarks.
//!
//! Everything is generated from a fixed seed, so every fresh database holds the same data.

use serde_json::{json, Map, Value};
use sqlx::{QueryBuilder, Sqlite, SqlitePool, Transaction};

use crate::auth::create_user;
use crate::AppError;

pub const DEMO_AGENT_EMAIL: &str = "agent@demo.test";
pub const OTHER_AGENT_EMAIL: &str = "agent@other.test";
pub const DEMO_PASSWORD: &str = "novatalks-demo";
/// Contacts in the demo account.
pub const DEMO_CONTACTS: usize = 2_000;
/// Contacts in the second account.
pub const OTHER_CONTACTS: usize = 60;

const DAY: i64 = 86_400;

/// True when no account exists yet (a fresh database).
pub async fn is_empty(db: &SqlitePool) -> Result<bool, AppError> {
    let n: i64 = sqlx::query_scalar("SELECT count(*) FROM accounts")
        .fetch_one(db)
        .await?;
    Ok(n == 0)
}

/// SplitMix64: a small deterministic generator, enough for demo data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// A people group: first names, last names, language, country, phone plan, cities.
struct Culture {
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

const CULTURES: &[Culture] = &[
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

const COMPANIES: &[&str] = &[
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

/// (title, colour, description)
const LABELS: &[(&str, &str, &str)] = &[
    ("vip", "#f5a623", "Key customers: answer first"),
    ("billing", "#1f93ff", "Invoices, payments, refunds"),
    ("support", "#44ce4b", "Open technical question"),
    ("lead", "#9b51e0", "Interested, not yet a customer"),
    ("partner", "#00b5ad", "Resellers and partners"),
    ("churn-risk", "#e0245e", "Unhappy or about to leave"),
    ("wholesale", "#8b572a", "Buys in bulk"),
    ("feedback", "#7b8794", "Gave product feedback"),
];

/// A demo custom attribute definition: (key, display name, type, list values, regex).
type AttributeSeed = (
    &'static str,
    &'static str,
    &'static str,
    &'static [&'static str],
    Option<&'static str>,
);

const ATTRIBUTES: &[AttributeSeed] = &[
    (
        "plan",
        "Plan",
        "list",
        &["free", "basic", "gold", "platinum"],
        None,
    ),
    ("order_count", "Orders", "number", &[], None),
    ("lifetime_value", "Lifetime value", "currency", &[], None),
    ("discount", "Discount", "percent", &[], None),
    ("website", "Website", "link", &[], None),
    ("renewal_date", "Renewal date", "date", &[], None),
    ("newsletter", "Newsletter", "checkbox", &[], None),
    ("account_manager", "Account manager", "text", &[], None),
    (
        "tax_id",
        "Tax ID",
        "text",
        &[],
        Some("^[A-Z]{2}[0-9]{8,10}$"),
    ),
];

/// (name, channel type, can write first)
const INBOXES: &[(&str, &str, bool)] = &[
    ("Website chat", "Channel::WebWidget", false),
    ("Support email", "Channel::Email", true),
    ("WhatsApp Business", "Channel::Whatsapp", true),
    ("Telegram bot", "Channel::Telegram", false),
    ("Viber", "Channel::Viber", false),
    ("Call center", "Channel::Call", true),
    ("CRM integration", "Channel::Api", false),
];

const INCOMING: &[&str] = &[
    "Hello! Where is my order?",
    "Can I change the delivery address?",
    "The invoice shows the wrong amount.",
    "Добрий день! Коли буде доставка?",
    "Здравствуйте, не могу войти в личный кабинет.",
    "Guten Tag, ich möchte mein Abo kündigen.",
    "Bonjour, le colis est arrivé abîmé.",
    "¿Tienen descuento para clientes frecuentes?",
    "Dzień dobry, proszę o fakturę VAT.",
    "Thanks, that solved it!",
    "Missed call",
];

const OUTGOING: &[&str] = &[
    "Thanks for reaching out! Let me check.",
    "Your order ships tomorrow.",
    "I have corrected the invoice and sent it again.",
    "Дякуємо! Замовлення вже в дорозі.",
    "We called you back: please confirm the new address.",
];

const NOTES: &[&str] = &[
    "Prefers email over calls.",
    "Asked for a discount on the annual plan; promised to follow up in March.",
    "Called twice about the same invoice — escalate if it happens again.",
    "Клієнт просить дзвонити після 18:00.",
    "Decision maker at the company. Be <b>polite</b> & quick.",
];

/// Seeds the demo account, its agents and data, and the second account.
pub async fn demo(db: &SqlitePool) -> Result<(), AppError> {
    let now = crate::db::now();
    let demo = create_account(db, "NovaTalks Demo").await?;
    let demo_agent = create_user(db, demo, "Demo Agent", DEMO_AGENT_EMAIL, DEMO_PASSWORD).await?;
    let colleague =
        create_user(db, demo, "Maria Support", "maria@demo.test", DEMO_PASSWORD).await?;
    let other = create_account(db, "Other Company").await?;
    let other_agent =
        create_user(db, other, "Other Agent", OTHER_AGENT_EMAIL, DEMO_PASSWORD).await?;

    let mut tx = crate::db::write_tx(db).await?;
    seed_account(
        &mut tx,
        demo,
        &[demo_agent, colleague],
        DEMO_CONTACTS - DUPLICATE_PAIR.len(),
        0,
        now,
        0xC0FFEE,
    )
    .await?;
    seed_duplicate_pair(&mut tx, demo, demo_agent, now).await?;
    seed_account(
        &mut tx,
        other,
        &[other_agent],
        OTHER_CONTACTS,
        500_000,
        now,
        0xBEEF,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// A person the demo account knows twice, to merge: (name, email, phone as stored,
/// identifier, labels, channel of the conversation, what the customer wrote).
type DuplicateSeed = (
    &'static str,
    Option<&'static str>,
    &'static str,
    Option<&'static str>,
    &'static [&'static str],
    &'static str,
    &'static str,
);

/// One customer as two contacts sharing a phone in different formats: imported from the
/// old CRM before numbers were normalised ("0501234567", as written then), and created
/// by WhatsApp in E.164. Found by their names (no generated contact is an Olha Hnatiuk).
pub const DUPLICATE_PAIR: [DuplicateSeed; 2] = [
    (
        "Olha Hnatiuk",
        Some("olha.hnatiuk@ukr.net"),
        "0501234567",
        Some("crm-legacy-0042"),
        &["billing", "vip"],
        "Channel::Email",
        "Please send the invoice for March again.",
    ),
    (
        "Olha H.",
        None,
        "+380501234567",
        None,
        &["support"],
        "Channel::Whatsapp",
        "The app does not open since the update.",
    ),
];

async fn seed_duplicate_pair(
    tx: &mut Transaction<'_, Sqlite>,
    account: i64,
    agent: i64,
    now: i64,
) -> Result<(), AppError> {
    const CITIES: [&str; 2] = ["Lviv", "Kyiv"];
    for (i, (name, email, phone, identifier, labels, channel, wrote)) in
        DUPLICATE_PAIR.iter().enumerate()
    {
        let created_at = now - (400 - 300 * i as i64) * DAY;
        let active_at = now - (3 - i as i64) * DAY;
        let contact: i64 = sqlx::query_scalar(
            "INSERT INTO contacts (account_id, name, email, phone_number, identifier,
               additional_attributes, custom_attributes, last_activity_at, created_at, updated_at)
             VALUES (?, ?, ?, ?, ?, ?, '{}', ?, ?, ?) RETURNING id",
        )
        .bind(account)
        .bind(name)
        .bind(email)
        .bind(phone)
        .bind(identifier)
        .bind(json!({"city": CITIES[i], "language": "uk"}).to_string())
        .bind(active_at)
        .bind(created_at)
        .bind(created_at)
        .fetch_one(&mut **tx)
        .await?;
        for title in labels.iter() {
            sqlx::query(
                "INSERT INTO contact_labels (contact_id, account_id, title) VALUES (?, ?, ?)",
            )
            .bind(contact)
            .bind(account)
            .bind(title)
            .execute(&mut **tx)
            .await?;
        }
        let inbox: i64 = sqlx::query_scalar(
            "SELECT id FROM inboxes WHERE account_id = ? AND channel_type = ? ORDER BY id LIMIT 1",
        )
        .bind(account)
        .bind(channel)
        .fetch_one(&mut **tx)
        .await?;
        let source_id = email.unwrap_or(phone.trim_start_matches('+'));
        let contact_inbox: i64 = sqlx::query_scalar(
            "INSERT INTO contact_inboxes (contact_id, inbox_id, source_id, created_at)
             VALUES (?, ?, ?, ?) RETURNING id",
        )
        .bind(contact)
        .bind(inbox)
        .bind(source_id)
        .bind(created_at)
        .fetch_one(&mut **tx)
        .await?;
        let conversation: i64 = sqlx::query_scalar(
            "INSERT INTO conversations (account_id, inbox_id, contact_id, contact_inbox_id, status,
               created_at, last_activity_at)
             VALUES (?, ?, ?, ?, 'open', ?, ?) RETURNING id",
        )
        .bind(account)
        .bind(inbox)
        .bind(contact)
        .bind(contact_inbox)
        .bind(active_at - 600)
        .bind(active_at)
        .fetch_one(&mut **tx)
        .await?;
        sqlx::query(
            "INSERT INTO messages (account_id, conversation_id, content, message_type, created_at)
             VALUES (?, ?, ?, 0, ?)",
        )
        .bind(account)
        .bind(conversation)
        .bind(wrote)
        .bind(active_at)
        .execute(&mut **tx)
        .await?;
        if i == 0 {
            sqlx::query(
                "INSERT INTO notes (account_id, contact_id, user_id, content, created_at, updated_at)
                 VALUES (?, ?, ?, ?, ?, ?)",
            )
            .bind(account)
            .bind(contact)
            .bind(agent)
            .bind("Imported from the old CRM; the phone was written without the country code.")
            .bind(created_at)
            .bind(created_at)
            .execute(&mut **tx)
            .await?;
        }
    }
    Ok(())
}

async fn create_account(db: &SqlitePool, name: &str) -> Result<i64, AppError> {
    Ok(
        sqlx::query_scalar("INSERT INTO accounts (name, created_at) VALUES (?, ?) RETURNING id")
            .bind(name)
            .bind(crate::db::now())
            .fetch_one(db)
            .await?,
    )
}

/// A generated person.
struct Person {
    name: Option<String>,
    email: Option<String>,
    phone: Option<String>,
    language: &'static str,
    country: &'static str,
    city: &'static str,
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

fn person(rng: &mut Rng, serial: u64) -> Person {
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

#[allow(clippy::too_many_arguments)]
async fn seed_account(
    tx: &mut Transaction<'_, Sqlite>,
    account: i64,
    agents: &[i64],
    contacts: usize,
    serial_base: u64,
    now: i64,
    seed: u64,
) -> Result<(), AppError> {
    let mut rng = Rng(seed);
    let inboxes = seed_catalog(tx, account, now).await?;

    for i in 0..contacts {
        let serial = serial_base + i as u64;
        let p = person(&mut rng, serial);
        let created_at = now - 730 * DAY + (rng.next() % (725 * DAY as u64)) as i64;
        let mut additional = Map::new();
        if rng.chance(75) {
            additional.insert("language".into(), json!(p.language));
        }
        if rng.chance(50) {
            additional.insert("city".into(), json!(p.city));
            additional.insert("country_code".into(), json!(p.country));
        }
        if rng.chance(30) {
            additional.insert("company_name".into(), json!(rng.pick(COMPANIES)));
        }
        let custom = custom_values(&mut rng, now);
        let identifier = rng.chance(40).then(|| format!("crm-{}", 10_000 + serial));
        // 3% blocked: forever, until a future time, or with a block that has already
        // expired (which reads as not blocked).
        let (blocked, blocked_until, reason) = match rng.below(100) {
            0 => (true, None, Some("Spam")),
            1 => (
                true,
                Some(now + (1 + rng.below(20)) as i64 * DAY),
                Some("Abusive language"),
            ),
            2 => (true, None, None),
            3 if i % 2 == 0 => (true, Some(now - DAY), Some("Expired block")),
            _ => (false, None, None),
        };
        let contact_id: i64 = sqlx::query_scalar(
            "INSERT INTO contacts (account_id, name, email, phone_number, identifier,
               additional_attributes, custom_attributes, blocked, blocked_until, block_reason,
               created_at, updated_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        )
        .bind(account)
        .bind(&p.name)
        .bind(&p.email)
        .bind(&p.phone)
        .bind(&identifier)
        .bind(Value::Object(additional).to_string())
        .bind(Value::Object(custom).to_string())
        .bind(blocked)
        .bind(blocked_until)
        .bind(reason)
        .bind(created_at)
        .bind(created_at)
        .fetch_one(&mut **tx)
        .await?;

        let label_count = [0, 0, 0, 1, 1, 1, 2, 3][rng.below(8)];
        let mut titles: Vec<&str> = (0..label_count).map(|_| rng.pick(LABELS).0).collect();
        titles.sort_unstable();
        titles.dedup();
        for title in titles {
            sqlx::query(
                "INSERT INTO contact_labels (contact_id, account_id, title) VALUES (?, ?, ?)",
            )
            .bind(contact_id)
            .bind(account)
            .bind(title)
            .execute(&mut **tx)
            .await?;
        }

        if rng.chance(70) {
            let conversations = 1 + rng.below(3);
            let mut last_activity = created_at;
            for _ in 0..conversations {
                let reachable: Vec<&(i64, &str)> = inboxes
                    .iter()
                    .filter(|(_, ch)| match *ch {
                        "Channel::Email" => p.email.is_some(),
                        "Channel::Whatsapp" | "Channel::Viber" | "Channel::Call" => {
                            p.phone.is_some()
                        }
                        _ => true,
                    })
                    .collect();
                let (inbox_id, channel) = **rng.pick(&reachable);
                let source_id = match channel {
                    "Channel::Email" => p.email.clone().unwrap_or_default(),
                    "Channel::Whatsapp" | "Channel::Viber" | "Channel::Call" => p
                        .phone
                        .clone()
                        .unwrap_or_default()
                        .trim_start_matches('+')
                        .to_owned(),
                    _ => format!("src-{account}-{contact_id}-{inbox_id}"),
                };
                let ci: i64 = sqlx::query_scalar(
                    "INSERT INTO contact_inboxes (contact_id, inbox_id, source_id, created_at)
                     VALUES (?, ?, ?, ?)
                     ON CONFLICT (inbox_id, source_id) DO UPDATE SET source_id = excluded.source_id
                     RETURNING id",
                )
                .bind(contact_id)
                .bind(inbox_id)
                .bind(&source_id)
                .bind(created_at)
                .fetch_one(&mut **tx)
                .await?;
                let started = created_at + (rng.next() % ((now - created_at).max(1) as u64)) as i64;
                let status = *rng.pick(&["open", "resolved", "resolved", "pending"]);
                let conv: i64 = sqlx::query_scalar(
                    "INSERT INTO conversations (account_id, inbox_id, contact_id, contact_inbox_id, status,
                       created_at, last_activity_at)
                     VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
                )
                .bind(account)
                .bind(inbox_id)
                .bind(contact_id)
                .bind(ci)
                .bind(status)
                .bind(started)
                .bind(started)
                .fetch_one(&mut **tx)
                .await?;
                let mut at = started;
                for m in 0..1 + rng.below(4) {
                    let (content, kind) = if m % 2 == 0 {
                        (*rng.pick(INCOMING), 0)
                    } else {
                        (*rng.pick(OUTGOING), 1)
                    };
                    sqlx::query(
                        "INSERT INTO messages (account_id, conversation_id, content, message_type, created_at)
                         VALUES (?, ?, ?, ?, ?)",
                    )
                    .bind(account)
                    .bind(conv)
                    .bind(content)
                    .bind(kind)
                    .bind(at)
                    .execute(&mut **tx)
                    .await?;
                    at = (at + 60 + (rng.next() % 3_600) as i64).min(now);
                }
                sqlx::query("UPDATE conversations SET last_activity_at = ? WHERE id = ?")
                    .bind(at)
                    .bind(conv)
                    .execute(&mut **tx)
                    .await?;
                last_activity = last_activity.max(at);
            }
            sqlx::query("UPDATE contacts SET last_activity_at = ? WHERE id = ?")
                .bind(last_activity)
                .bind(contact_id)
                .execute(&mut **tx)
                .await?;
        }

        if rng.chance(15) {
            for _ in 0..1 + rng.below(2) {
                let at = created_at + (rng.next() % ((now - created_at).max(1) as u64)) as i64;
                sqlx::query(
                    "INSERT INTO notes (account_id, contact_id, user_id, content, created_at, updated_at)
                     VALUES (?, ?, ?, ?, ?, ?)",
                )
                .bind(account)
                .bind(contact_id)
                .bind(rng.pick(agents))
                .bind(rng.pick(NOTES))
                .bind(at)
                .bind(at)
                .execute(&mut **tx)
                .await?;
            }
        }
    }
    Ok(())
}

/// An account's labels, custom attribute definitions and inboxes (one of every channel
/// type); returns the inboxes as (id, channel type).
async fn seed_catalog(
    tx: &mut Transaction<'_, Sqlite>,
    account: i64,
    now: i64,
) -> Result<Vec<(i64, &'static str)>, AppError> {
    for (title, color, description) in LABELS {
        sqlx::query(
            "INSERT INTO labels (account_id, title, description, color) VALUES (?, ?, ?, ?)",
        )
        .bind(account)
        .bind(title)
        .bind(description)
        .bind(color)
        .execute(&mut **tx)
        .await?;
    }
    for (key, display, kind, values, regex) in ATTRIBUTES {
        sqlx::query(
            "INSERT INTO custom_attribute_definitions
             (account_id, attribute_key, attribute_display_name, attribute_display_type, attribute_values,
              attribute_model, regex_pattern, created_at)
             VALUES (?, ?, ?, ?, ?, 'contact_attribute', ?, ?)",
        )
        .bind(account)
        .bind(key)
        .bind(display)
        .bind(kind)
        .bind(json!(values).to_string())
        .bind(regex)
        .bind(now)
        .execute(&mut **tx)
        .await?;
    }
    let mut inboxes = Vec::new();
    for (name, channel, write_first) in INBOXES {
        // An API inbox's public key and identity validation secret are random: the
        // identifier is all a caller of the public API needs.
        let (identifier, secret) = match *channel {
            "Channel::Api" => {
                let (identifier, secret) = crate::inboxes::new_api_inbox_keys()?;
                (Some(identifier), Some(secret))
            }
            _ => (None, None),
        };
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO inboxes (account_id, name, channel_type, can_write_first, inbox_identifier, hmac_token)
             VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
        )
        .bind(account)
        .bind(name)
        .bind(channel)
        .bind(write_first)
        .bind(identifier)
        .bind(secret)
        .fetch_one(&mut **tx)
        .await?;
        inboxes.push((id, *channel));
    }

    Ok(inboxes)
}

/// A fresh account for tests: one agent (password [`DEMO_PASSWORD`]), the demo labels,
/// attribute definitions and inboxes, and no contacts.
pub struct Fixture {
    pub account_id: i64,
    pub user_id: i64,
    /// The agent's personal access token, in clear (the database keeps its digest).
    pub token: String,
    /// (id, channel type), one inbox of each type.
    pub inboxes: Vec<(i64, &'static str)>,
    /// The `Channel::Api` inbox's random identifier (the key of its public API) and
    /// identity validation secret (`hmac_token`).
    pub api_inbox_identifier: String,
    pub api_hmac_token: String,
}

pub async fn fixture_account(
    db: &SqlitePool,
    name: &str,
    agent_email: &str,
) -> Result<Fixture, AppError> {
    let account_id = create_account(db, name).await?;
    let (user_id, token) = crate::auth::create_user_with_token(
        db,
        account_id,
        "Test Agent",
        agent_email,
        DEMO_PASSWORD,
    )
    .await?;
    let mut tx = crate::db::write_tx(db).await?;
    let inboxes = seed_catalog(&mut tx, account_id, crate::db::now()).await?;
    let (api_inbox_identifier, api_hmac_token): (String, String) = sqlx::query_as(
        "SELECT inbox_identifier, hmac_token FROM inboxes
         WHERE account_id = ? AND channel_type = 'Channel::Api' ORDER BY id LIMIT 1",
    )
    .bind(account_id)
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(Fixture {
        account_id,
        user_id,
        token,
        inboxes,
        api_inbox_identifier,
        api_hmac_token,
    })
}

fn custom_values(rng: &mut Rng, now: i64) -> Map<String, Value> {
    let mut custom = Map::new();
    if !rng.chance(55) {
        return custom;
    }
    custom.insert(
        "plan".into(),
        json!(rng.pick(&["free", "basic", "gold", "platinum"])),
    );
    if rng.chance(60) {
        custom.insert("order_count".into(), json!(rng.below(120)));
    }
    if rng.chance(40) {
        custom.insert(
            "lifetime_value".into(),
            json!((rng.below(500_000) as f64) / 100.0),
        );
    }
    if rng.chance(25) {
        custom.insert("discount".into(), json!(rng.below(30)));
    }
    if rng.chance(20) {
        custom.insert(
            "website".into(),
            json!(format!("https://example-{}.com", rng.below(900))),
        );
    }
    if rng.chance(35) {
        let day = chrono::DateTime::from_timestamp(now + (rng.below(400) as i64 - 30) * DAY, 0)
            .map(|d| d.format("%Y-%m-%d").to_string())
            .unwrap_or_default();
        custom.insert("renewal_date".into(), json!(day));
    }
    if rng.chance(50) {
        custom.insert("newsletter".into(), json!(rng.chance(60)));
    }
    if rng.chance(20) {
        custom.insert(
            "account_manager".into(),
            json!(rng.pick(&["Maria", "Oleh", "Sam", "Ines"])),
        );
    }
    if rng.chance(10) {
        custom.insert(
            "tax_id".into(),
            json!(format!("UA{}", 10_000_000 + rng.below(89_999_999))),
        );
    }
    custom
}

/// Real contact bases have tens of thousands of surnames; the demo cultures have a few
/// each. Synthetic contacts get a surname built from syllables most of the time, so that
/// searching a million of them behaves like searching a real base.
fn diversify_surname(rng: &mut Rng, p: &mut Person) {
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

/// Adds `n` synthetic contacts to the demo account (the first account), in big batches.
/// Returns a line saying how many and how fast.
pub async fn synthetic(db: &SqlitePool, n: u64) -> Result<String, AppError> {
    let started = std::time::Instant::now();
    let account: i64 = sqlx::query_scalar("SELECT min(id) FROM accounts")
        .fetch_one(db)
        .await?;
    let already: i64 = sqlx::query_scalar("SELECT count(*) FROM contacts WHERE account_id = ?")
        .bind(account)
        .fetch_one(db)
        .await?;
    let now = crate::db::now();
    let mut rng = Rng(0x5EED ^ already as u64);
    // Serials far above the demo's, so numbers and emails never collide with it.
    let base = 1_000_000 + already as u64;
    // One connection with a big page cache, and tens of thousands of rows a transaction:
    // the ten sort indexes and two full-text indexes stay in memory while they grow.
    let mut conn = db.acquire().await?;
    sqlx::query("PRAGMA cache_size = -524288")
        .execute(&mut *conn)
        .await?;
    const BATCH: u64 = 500;
    const BATCHES_PER_TRANSACTION: u64 = 100;
    let mut done = 0u64;
    while done < n {
        let mut tx = sqlx::Connection::begin(&mut *conn).await?;
        for _ in 0..BATCHES_PER_TRANSACTION {
            if done >= n {
                break;
            }
            let size = BATCH.min(n - done);
            let mut qb = QueryBuilder::<Sqlite>::new(
                "INSERT INTO contacts (account_id, name, email, phone_number, identifier,
                   additional_attributes, created_at, updated_at, last_activity_at) ",
            );
            let mut labels = Vec::new();
            qb.push_values(0..size, |mut row, k| {
                let serial = base + done + k;
                let mut p = person(&mut rng, serial);
                diversify_surname(&mut rng, &mut p);
                let created_at = now - 1_000 * DAY + (rng.next() % (995 * DAY as u64)) as i64;
                let last = rng
                    .chance(80)
                    .then(|| created_at + (rng.next() % ((now - created_at) as u64)) as i64);
                let language = json!({ "language": p.language }).to_string();
                row.push_bind(account)
                    .push_bind(p.name)
                    .push_bind(p.email)
                    .push_bind(p.phone)
                    .push_bind(rng.chance(30).then(|| format!("syn-{serial}")))
                    .push_bind(language)
                    .push_bind(created_at)
                    .push_bind(created_at)
                    .push_bind(last);
                if rng.chance(30) {
                    labels.push((k, rng.pick(LABELS).0));
                }
            });
            qb.push(" RETURNING id");
            let ids: Vec<i64> = qb.build_query_scalar().fetch_all(&mut *tx).await?;
            if !labels.is_empty() {
                let mut lq = QueryBuilder::<Sqlite>::new(
                    "INSERT INTO contact_labels (contact_id, account_id, title) ",
                );
                lq.push_values(labels, |mut row, (k, title)| {
                    row.push_bind(ids.get(k as usize).copied().unwrap_or_default())
                        .push_bind(account)
                        .push_bind(title);
                });
                lq.build().execute(&mut *tx).await?;
            }
            done += size;
        }
        tx.commit().await?;
    }
    sqlx::query("PRAGMA cache_size = -2000")
        .execute(&mut *conn)
        .await?;
    let secs = started.elapsed().as_secs_f64();
    Ok(format!(
        "seeded {n} synthetic contacts in {secs:.1} s ({:.0} per minute)",
        n as f64 / secs.max(1e-9) * 60.0
    ))
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
