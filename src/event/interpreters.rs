//! Languages and interpreters: the `languages` cells of both participant files (ISO 639-1
//! codes, or the language's name in English or Italian, normalised to the code), and the
//! optional `interpreters.csv` (sheet `interpreters` / `interpreti`).
//!
//! Who needs an interpreter is a fact of the event (`Event::needs_interpreter`); which
//! interpreters can serve a meeting is `Event::interpreters_for`. The solver turns both into
//! a resource (`solve/interp.rs`).

use super::sheet::{opt, req, Column, Sheet};
use super::{Event, PairId, Participant};
use crate::diag::{suggest, Problems};
use crate::id::Id;

pub(crate) type InterpId = Id<Interpreter>;

#[derive(Debug, Clone)]
pub(crate) struct Interpreter {
    pub id: String,
    pub name: String,
    /// ISO 639-1 codes, at least two.
    pub languages: Vec<String>,
    pub email: String,
    /// Per slot: free to interpret.
    pub available: Vec<bool>,
    pub max_meetings: Option<u32>,
}

pub(super) const INTERPRETER_COLUMNS: &[Column] = &[
    req("id"),
    req("name"),
    req("languages"),
    opt("email"),
    opt("unavailable"),
    opt("max_meetings"),
];

/// ISO 639-1 code, English name, Italian name (and a few other spellings organisers write).
const LANGUAGES: &[(&str, &[&str])] = &[
    ("ar", &["arabic", "arabo"]),
    ("bg", &["bulgarian", "bulgaro"]),
    ("ca", &["catalan", "catalano"]),
    ("cs", &["czech", "ceco"]),
    ("da", &["danish", "danese"]),
    ("de", &["german", "tedesco", "deutsch"]),
    ("el", &["greek", "greco"]),
    ("en", &["english", "inglese"]),
    (
        "es",
        &["spanish", "spagnolo", "español", "espanol", "castellano"],
    ),
    ("et", &["estonian", "estone"]),
    ("fa", &["persian", "persiano", "farsi"]),
    ("fi", &["finnish", "finlandese"]),
    ("fr", &["french", "francese", "français", "francais"]),
    ("he", &["hebrew", "ebraico"]),
    ("hi", &["hindi"]),
    ("hr", &["croatian", "croato"]),
    ("hu", &["hungarian", "ungherese"]),
    ("id", &["indonesian", "indonesiano"]),
    ("it", &["italian", "italiano"]),
    ("ja", &["japanese", "giapponese"]),
    ("ko", &["korean", "coreano"]),
    ("lt", &["lithuanian", "lituano"]),
    ("lv", &["latvian", "lettone"]),
    ("ms", &["malay", "malese"]),
    ("nl", &["dutch", "olandese", "nederlands"]),
    ("no", &["norwegian", "norvegese"]),
    ("pl", &["polish", "polacco"]),
    ("pt", &["portuguese", "portoghese", "português"]),
    ("ro", &["romanian", "rumeno"]),
    ("ru", &["russian", "russo"]),
    ("sk", &["slovak", "slovacco"]),
    ("sl", &["slovenian", "sloveno"]),
    ("sq", &["albanian", "albanese"]),
    ("sr", &["serbian", "serbo"]),
    ("sv", &["swedish", "svedese"]),
    ("th", &["thai", "tailandese"]),
    ("tr", &["turkish", "turco"]),
    ("uk", &["ukrainian", "ucraino"]),
    ("vi", &["vietnamese", "vietnamita"]),
    ("zh", &["chinese", "cinese", "mandarin", "mandarino"]),
];

/// A language as written (`de`, `DE`, `de-AT`, `German`, `tedesco`) → its ISO 639-1 code.
pub(crate) fn normalise_language(s: &str) -> Option<&'static str> {
    let w = s.trim().to_lowercase();
    // A region or script (`pt-BR`, `zh_Hans`) does not change who understands whom.
    let base = w.split(['-', '_']).next().unwrap_or("");
    LANGUAGES
        .iter()
        .find(|(code, names)| *code == base || names.contains(&w.as_str()))
        .map(|(code, _)| *code)
}

/// A `;`-list of languages, normalised; an unknown one is a located error with a hint.
pub(super) fn parse_languages(
    f: &Sheet,
    row: &super::sheet::Row,
    column: &str,
    pr: &mut Problems,
) -> Vec<String> {
    let c = f.cell(row, column);
    let mut out: Vec<String> = Vec::new();
    for word in super::load::parse_id_list(c.value) {
        match normalise_language(&word) {
            Some(code) => {
                if !out.iter().any(|x| x == code) {
                    out.push(code.to_string());
                }
            }
            None => {
                let names = LANGUAGES
                    .iter()
                    .flat_map(|(code, names)| std::iter::once(*code).chain(names.iter().copied()));
                let hint = match suggest(&word.to_lowercase(), names) {
                    Some(s) => format!(
                        "did you mean '{s}'? write ISO 639-1 codes (it, en, de, fr, es, ja...) or language names in English or Italian, separated by ';'"
                    ),
                    None => "write ISO 639-1 codes (it, en, de, fr, es, ja...) or language names in English or Italian, separated by ';'".to_string(),
                };
                pr.error(
                    f.diag(
                        &c,
                        format!("unknown language '{word}' in column '{column}'"),
                    )
                    .hint(hint),
                );
            }
        }
    }
    out
}

/// Whether the two understand each other: a shared language, or one of them lists none
/// (assumed to understand everyone).
pub(crate) fn understand(a: &Participant, b: &Participant) -> bool {
    a.languages.is_empty()
        || b.languages.is_empty()
        || a.languages.iter().any(|x| b.languages.contains(x))
}

impl Interpreter {
    /// Speaks a language of each side.
    pub(crate) fn serves(&self, a: &Participant, b: &Participant) -> bool {
        let speaks = |p: &Participant| p.languages.iter().any(|x| self.languages.contains(x));
        speaks(a) && speaks(b)
    }
}

impl Event {
    pub(crate) fn interpreter(&self, k: InterpId) -> &Interpreter {
        &self.interpreters[k.index()]
    }

    /// The pair's two sides share no language: its meeting needs an interpreter (when the
    /// event lists interpreters; otherwise it is only counted, for the forecast).
    pub(crate) fn needs_interpreter(&self, p: PairId) -> bool {
        let pair = self.pair(p);
        !understand(self.part(pair.a), self.part(pair.b))
    }

    /// `None` when the pair's meeting needs no interpreter (a shared language, or no
    /// interpreters.csv: planning is then as without languages); else the interpreters who
    /// speak a language of each side (possibly none).
    pub(crate) fn interpreters_for(&self, p: PairId) -> Option<Vec<InterpId>> {
        if !self.interpreters_listed || !self.needs_interpreter(p) {
            return None;
        }
        let pair = self.pair(p);
        let (a, b) = (self.part(pair.a), self.part(pair.b));
        Some(
            (0..self.interpreters.len())
                .filter(|&k| self.interpreters[k].serves(a, b))
                .map(Id::new)
                .collect(),
        )
    }

    /// "ja–it": the first language of each side, for reasons and the forecast.
    pub(crate) fn language_pair(&self, p: PairId) -> String {
        let pair = self.pair(p);
        let first = |i| {
            self.part(i)
                .languages
                .first()
                .cloned()
                .unwrap_or_else(|| "?".into())
        };
        let (x, y) = (first(pair.a), first(pair.b));
        if x <= y {
            format!("{x}–{y}")
        } else {
            format!("{y}–{x}")
        }
    }
}

/// The slots an `unavailable` list names, with warnings, or what is wrong with it.
type Resolve<'a> = &'a dyn Fn(&str) -> Result<(Vec<bool>, Vec<String>), String>;

/// Reads interpreters.csv: every problem located, with a hint.
pub(super) fn read(
    f: &Sheet,
    resolve: Resolve,
    taken: &dyn Fn(&str) -> Option<String>,
    n_slots: usize,
    pr: &mut Problems,
) -> Vec<Interpreter> {
    let mut out: Vec<Interpreter> = Vec::new();
    for row in &f.rows {
        let idc = f.cell(row, "id");
        if let Err(m) = super::load::check_id(idc.value) {
            pr.error(f.diag(&idc, m).hint(super::load::ID_HINT));
            continue;
        }
        let id = idc.value.to_string();
        if out.iter().any(|k| k.id == id) {
            pr.error(
                f.diag(&idc, format!("duplicate interpreter id '{id}'"))
                    .hint("every interpreter needs its own id"),
            );
            continue;
        }
        if let Some(first) = taken(&id) {
            pr.error(
                f.diag(
                    &idc,
                    format!("interpreter id '{id}' is also a participant ({first})"),
                )
                .hint(
                    "interpreters, buyers and firms each need their own id (ids name agenda files)",
                ),
            );
            continue;
        }
        let name_c = f.cell(row, "name");
        if name_c.value.is_empty() {
            pr.error(
                f.diag(&name_c, format!("interpreter '{id}' has no name"))
                    .hint("the name is printed on every agenda of the meetings they interpret"),
            );
        }
        let languages = parse_languages(f, row, "languages", pr);
        let lc = f.cell(row, "languages");
        if languages.len() < 2
            && !lc.value.is_empty()
            && languages.len() == super::load::parse_id_list(lc.value).len()
        {
            pr.error(
                f.diag(
                    &lc,
                    format!(
                        "interpreter '{id}' has {} language: an interpreter needs at least two",
                        languages.len()
                    ),
                )
                .hint("list every language they interpret from and into, e.g. it;de;en"),
            );
        } else if lc.value.is_empty() {
            pr.error(
                f.diag(&lc, format!("interpreter '{id}' has no languages"))
                    .hint("list every language they interpret from and into, e.g. it;de;en"),
            );
        }
        let mc = f.cell(row, "max_meetings");
        let max_meetings = if mc.value.is_empty() {
            None
        } else {
            let v = mc.value.parse::<u32>().ok().filter(|&v| v <= 100_000);
            if v.is_none() {
                pr.error(
                    f.diag(&mc, format!("bad max_meetings '{}'", mc.value))
                        .hint("write a whole number from 0 to 100000"),
                );
            }
            v
        };
        let un = f.cell(row, "unavailable");
        let available = match resolve(un.value) {
            Ok((mask, warnings)) => {
                for w in warnings {
                    pr.warn(f.diag(&un, format!("unavailable: {w}")));
                }
                mask.iter().map(|&m| !m).collect()
            }
            Err(m) => {
                pr.error(
                    f.diag(&un, format!("bad unavailable: {m}"))
                        .hint(super::load::SPEC_HINT),
                );
                vec![true; n_slots]
            }
        };
        out.push(Interpreter {
            name: if name_c.value.is_empty() {
                id.clone()
            } else {
                name_c.value.to_string()
            },
            id,
            languages,
            email: f.cell(row, "email").value.to_string(),
            available,
            max_meetings,
        });
    }
    out
}
