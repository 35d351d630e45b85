-- Name search by word prefixes, and attribute text as SQLite reads it. Added after 0002
-- landed: a migration already applied is never edited (sqlx refuses a changed checksum
-- at start), so what 0002 gained later is here. contacts::search and contacts::filter
-- say which query each function and index serves.

-- ---------------------------------------------------------------------------------------
-- Names: every word typed is the prefix of a word of the name (SQLite's
-- contacts_name_fts, unicode61 with prefix indexes), case and accents folded.
--
-- 0001's contacts_name_words index (name_vector) holds the words, and a prefix query
-- ('ole':*) reads every word that starts so, each one's contacts merged into a bitmap
-- first: at 1,000,000
-- contacts, "ole kova" took 21 to 29 ms where a name in one in twenty rows starts with
-- "ole" and one in twenty with "kova". Here the index holds each word's prefixes as
-- words of their own ('o', 'ol', 'ole', 'olen', 'olena'), so a typed word is one exact
-- entry and GIN intersects the entries' lists directly: 5 to 11 ms for the same
-- searches, and the same rows (an index of 81 MB instead of 57 MB there).

-- name_prefixes(text): the prefixes of each of the name's words (name_words(): folded,
-- accents removed, any script), of up to 12 characters, and each whole word.
-- 'Olena Kovalenkovychenko' -> 'o' 'ol' 'ole' 'olen' 'olena' 'k' … 'kovalenkovyc'
-- 'kovalenkovychenko'.
CREATE FUNCTION name_prefixes(text) RETURNS tsvector
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    RETURN (SELECT array_to_tsvector(coalesce(array_agg(DISTINCT left(w, n)), '{}'))
            FROM unnest(name_words($1)) AS w, generate_series(1, length(w)) AS n
            WHERE n <= 12 OR n = length(w));

-- name_prefixes_query(q): each word of q, as name_words() makes it, required: an exact
-- entry when it has up to 12 characters, a prefix of the whole words beyond ('ole kova'
-- -> 'ole' & 'kova'; 'kovalenkovych' -> 'kovalenkovych':*). Each word is quoted, so q is
-- never tsquery syntax. NULL when q has no word: then nothing matches.
CREATE FUNCTION name_prefixes_query(text) RETURNS tsquery
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    RETURN (SELECT string_agg(
                '''' || replace(replace(w, '\', '\\'), '''', '''''') || ''''
                    || CASE WHEN length(w) > 12 THEN ':*' ELSE '' END, ' & ')::tsquery
            FROM unnest(name_words($1)) AS w);

--   name_prefixes(c.name) @@ name_prefixes_query($q)
CREATE INDEX contacts_name_prefixes ON contacts USING gin (name_prefixes(name));
-- Nothing reads 0001's word index any more; each write would keep it for nothing.
DROP INDEX IF EXISTS contacts_name_words;

-- ---------------------------------------------------------------------------------------
-- The filter's text conditions on attributes (contacts::filter).

-- json_text(value): a JSON value as text, as SQLite's json_extract() gives it to a text
-- comparison: a string's text (no quotes), true and false as 1 and 0, JSON null as NULL,
-- anything else its JSON text. So a text attribute that holds true is "1" on both engines.
CREATE FUNCTION json_text(jsonb) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    RETURN CASE jsonb_typeof($1)
        WHEN 'string' THEN $1 #>> '{}'
        WHEN 'boolean' THEN CASE WHEN $1 = 'true'::jsonb THEN '1' ELSE '0' END
        WHEN 'null' THEN NULL
        ELSE $1::text END;
