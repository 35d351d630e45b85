//! Reading CSV as offices write it: RFC 4180 (quoted fields holding delimiters, doubled
//! quotes and line breaks; CRLF or LF), with the delimiter sniffed among `,` `;` and tab
//! (Excel in a Ukrainian or German locale writes `;`, "Unicode text" tabs).
//!
//! [`Reader`] is an iterator over the records of a text, each with the number of the line
//! it starts on (1-based, the header is line 1), so a message can say "line 5" of the
//! file as a spreadsheet or an editor shows it, whatever line breaks quoted fields hold.
//! It is lenient where Excel is: a quote inside an unquoted field is a character, and
//! characters after a closing quote belong to the field. Only a quote never closed is an
//! error (the rest of the file would be one field).

/// The delimiters offered, in the order a tie is settled.
pub const DELIMITERS: [char; 3] = [',', ';', '\t'];

/// Records looked at to sniff the delimiter.
const SNIFF_RECORDS: usize = 10;

/// The delimiter of `text`: the one of [`DELIMITERS`] found (outside quotes) the same
/// number of times, at least once, on each of the first lines; the most such times when
/// several are. Else the one found most on the first line; `,` when none is.
pub fn sniff_delimiter(text: &str) -> char {
    let mut counts: Vec<[usize; 3]> = Vec::new();
    let mut current = [0usize; 3];
    let mut in_quotes = false;
    let mut chars = text.chars().peekable();
    let mut any = false;
    while let Some(c) = chars.next() {
        if counts.len() >= SNIFF_RECORDS {
            break;
        }
        match c {
            '"' => in_quotes = !in_quotes,
            '\r' | '\n' if !in_quotes => {
                if c == '\r' && chars.peek() == Some(&'\n') {
                    chars.next();
                }
                if any {
                    counts.push(current);
                }
                current = [0; 3];
                any = false;
                continue;
            }
            _ if !in_quotes => {
                if let Some(i) = DELIMITERS.iter().position(|d| *d == c) {
                    current[i] += 1;
                }
            }
            _ => {}
        }
        any = true;
    }
    if any && counts.len() < SNIFF_RECORDS {
        counts.push(current);
    }
    let Some(first) = counts.first() else {
        return ',';
    };
    let consistent = (0..3)
        .filter(|&i| first[i] > 0 && counts.iter().all(|c| c[i] == first[i]))
        .max_by(|&a, &b| first[a].cmp(&first[b]).then(b.cmp(&a)));
    if let Some(i) = consistent {
        return DELIMITERS[i];
    }
    (0..3)
        .filter(|&i| first[i] > 0)
        .max_by(|&a, &b| first[a].cmp(&first[b]).then(b.cmp(&a)))
        .map_or(',', |i| DELIMITERS[i])
}

/// One record: the line it starts on and its fields, as written (not trimmed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    pub line: usize,
    pub fields: Vec<String>,
}

impl Record {
    /// Whether every field is empty or spaces (a line Excel left as ";;;").
    pub fn is_blank(&self) -> bool {
        self.fields.iter().all(|f| f.trim().is_empty())
    }
}

/// A quoted field that is never closed: the line it was opened on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UnclosedQuote {
    pub line: usize,
}

/// The records of a text, in order. Empty lines are skipped (their numbers still count).
pub struct Reader<'a> {
    rest: std::str::Chars<'a>,
    delimiter: char,
    /// The line the next character is on.
    line: usize,
    failed: bool,
}

impl<'a> Reader<'a> {
    pub fn new(text: &'a str, delimiter: char) -> Reader<'a> {
        Reader {
            rest: text.chars(),
            delimiter,
            line: 1,
            failed: false,
        }
    }
}

impl Iterator for Reader<'_> {
    type Item = Result<Record, UnclosedQuote>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.failed {
            return None;
        }
        loop {
            let start = self.line;
            let mut fields: Vec<String> = Vec::new();
            let mut field = String::new();
            // Whether anything (a character, a delimiter, quotes) was read on this record.
            let mut started = false;
            let mut quoted_open: Option<usize> = None;
            let mut ended = false;
            while let Some(c) = self.rest.next() {
                if quoted_open.is_some() {
                    match c {
                        '"' => {
                            let mut peek = self.rest.clone();
                            if peek.next() == Some('"') {
                                self.rest.next();
                                field.push('"');
                            } else {
                                quoted_open = None;
                            }
                        }
                        '\n' => {
                            self.line += 1;
                            field.push('\n');
                        }
                        '\r' => {
                            let mut peek = self.rest.clone();
                            if peek.next() == Some('\n') {
                                self.rest.next();
                                field.push_str("\r\n");
                            } else {
                                field.push('\r');
                            }
                            self.line += 1;
                        }
                        _ => field.push(c),
                    }
                    continue;
                }
                match c {
                    '"' if field.is_empty() => {
                        quoted_open = Some(self.line);
                        started = true;
                    }
                    '\n' | '\r' => {
                        if c == '\r' {
                            let mut peek = self.rest.clone();
                            if peek.next() == Some('\n') {
                                self.rest.next();
                            }
                        }
                        self.line += 1;
                        ended = true;
                        break;
                    }
                    d if d == self.delimiter => {
                        fields.push(std::mem::take(&mut field));
                        started = true;
                    }
                    _ => {
                        field.push(c);
                        started = true;
                    }
                }
            }
            if let Some(line) = quoted_open {
                self.failed = true;
                return Some(Err(UnclosedQuote { line }));
            }
            if !started {
                if ended {
                    // An empty line.
                    continue;
                }
                return None;
            }
            fields.push(field);
            return Some(Ok(Record {
                line: start,
                fields,
            }));
        }
    }
}

/// `fields` as one CSV record (RFC 4180, `,`, CRLF): a field with a delimiter, quote or
/// line break quoted, quotes doubled. Text a spreadsheet would run as a formula (`=`,
/// `+`, `-`, `@` first) gets a leading `'`, as the export does.
pub fn write_record(out: &mut String, fields: &[&str]) {
    for (i, field) in fields.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let defused = field.starts_with(['=', '+', '-', '@']) && !is_number_like(field);
        let needs_quotes = field.contains([',', '"', '\n', '\r', ';']) || defused;
        if needs_quotes {
            out.push('"');
            if defused {
                out.push('\'');
            }
            out.push_str(&field.replace('"', "\"\""));
            out.push('"');
        } else {
            out.push_str(field);
        }
    }
    out.push_str("\r\n");
}

/// "+380501234567" or "-5": a phone or a number, not a formula.
fn is_number_like(field: &str) -> bool {
    let rest = &field[1..];
    !rest.is_empty()
        && rest
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '.' | '(' | ')' | '-'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str, d: char) -> Vec<(usize, Vec<String>)> {
        Reader::new(text, d)
            .map(|r| r.expect("closed quotes"))
            .map(|r| (r.line, r.fields))
            .collect()
    }

    fn strings(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn delimiters_are_sniffed_outside_quotes() {
        assert_eq!(sniff_delimiter("name,email\nOlena,o@x.ua\n"), ',');
        assert_eq!(sniff_delimiter("Ім'я;Пошта\r\nОлена;o@x.ua\r\n"), ';');
        assert_eq!(sniff_delimiter("name\temail\nOlena\to@x.ua"), '\t');
        // Commas in a quoted field and in a name do not outvote the semicolons.
        assert_eq!(
            sniff_delimiter(
                "name;city;note\n\"Kovalenko, Olena\";Kyiv;\"a, b, c\"\nTaras;Lviv;x\n"
            ),
            ';'
        );
        // A quoted field with a line break counts as one record.
        assert_eq!(sniff_delimiter("a;b\n\"x\ny,z,w\";2\n3;4\n"), ';');
        assert_eq!(sniff_delimiter("just one column\nand another\n"), ',');
        assert_eq!(sniff_delimiter(""), ',');
    }

    #[test]
    fn quoted_fields_hold_delimiters_quotes_and_line_breaks() {
        let text = "name,note,phone\r\n\"Kovalenko, Olena\",\"said \"\"hi\"\"\nthen left\",+380501234567\r\nTaras,,050\r\n";
        assert_eq!(
            read(text, ','),
            vec![
                (1, strings(&["name", "note", "phone"])),
                (
                    2,
                    strings(&[
                        "Kovalenko, Olena",
                        "said \"hi\"\nthen left",
                        "+380501234567"
                    ])
                ),
                (4, strings(&["Taras", "", "050"])),
            ],
            "Taras starts on line 4: the note took two lines"
        );
    }

    #[test]
    fn lf_crlf_empty_lines_and_a_missing_last_break() {
        let text = "a;b\n\n1;2\r\n\r\n3;\"4\r\nfour\"\n5;6";
        assert_eq!(
            read(text, ';'),
            vec![
                (1, strings(&["a", "b"])),
                (3, strings(&["1", "2"])),
                (5, strings(&["3", "4\r\nfour"])),
                (7, strings(&["5", "6"])),
            ]
        );
        assert_eq!(read("", ','), Vec::<(usize, Vec<String>)>::new());
        assert_eq!(read("x", ','), vec![(1, strings(&["x"]))]);
        assert_eq!(read(",\n", ','), vec![(1, strings(&["", ""]))]);
    }

    #[test]
    fn stray_quotes_are_characters_and_an_unclosed_one_is_an_error() {
        assert_eq!(
            read("name\n5\" screen\n\"a\"b\n", ','),
            vec![
                (1, strings(&["name"])),
                (2, strings(&["5\" screen"])),
                (3, strings(&["ab"])),
            ]
        );
        let mut reader = Reader::new("name\nok\n\"never closed\nmore\n", ',');
        assert!(reader.next().is_some_and(|r| r.is_ok()));
        assert!(reader.next().is_some_and(|r| r.is_ok()));
        assert_eq!(reader.next(), Some(Err(UnclosedQuote { line: 3 })));
        assert_eq!(reader.next(), None);
    }

    #[test]
    fn tabs_and_semicolons_leave_commas_alone() {
        assert_eq!(
            read("a\tb\nx, y\tz\n", '\t'),
            vec![(1, strings(&["a", "b"])), (2, strings(&["x, y", "z"]))]
        );
    }

    #[test]
    fn records_are_written_back_quoted_and_defused() {
        let mut out = String::new();
        write_record(
            &mut out,
            &["Olena", "a, b", "say \"hi\"", "=1+2", "+380501234567", ""],
        );
        assert_eq!(
            out,
            "Olena,\"a, b\",\"say \"\"hi\"\"\",\"'=1+2\",+380501234567,\r\n"
        );
        let back: Vec<Record> = Reader::new(&out, ',').map(|r| r.unwrap()).collect();
        assert_eq!(back[0].fields[1], "a, b");
        assert_eq!(back[0].fields[2], "say \"hi\"");
    }
}
