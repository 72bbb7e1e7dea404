//! Where an event's lists are: a folder in which each list is a CSV file or a workbook
//! (`slots.csv`, `buyers.xlsx`, `acquirenti.ods`...), or one workbook with a sheet per list
//! (`evento.xlsx` with sheets `fasce`, `acquirenti`, ...). The names a list goes by, in English
//! and in Italian, are in `LISTS`: a new list is one line there.

use super::csvfile;
use super::sheet::{Column, Sheet};
use super::workbook::{self, Book};
use crate::diag::{suggest, Diagnostic, Problems};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// A list of an event and the names its file (without extension) or sheet may have: English
/// first (the name messages use), then Italian. Compared without regard to case.
pub(crate) struct List {
    pub key: &'static str,
    pub names: &'static [&'static str],
}

const fn list(key: &'static str, names: &'static [&'static str]) -> List {
    List { key, names }
}

pub(crate) const LISTS: &[List] = &[
    list("tables", &["tables", "tavoli"]),
    list("slots", &["slots", "fasce", "orari", "fasce orarie"]),
    list("buyers", &["buyers", "acquirenti", "compratori"]),
    list("firms", &["firms", "aziende", "imprese", "espositori"]),
    list("preferences", &["preferences", "preferenze", "richieste"]),
    list("event", &["event", "evento"]),
    list(
        "cancellations",
        &["cancellations", "cancellazioni", "disdette"],
    ),
    list("venues", &["venues", "sedi", "luoghi"]),
    list("travel", &["travel", "spostamenti", "tragitti"]),
    list("programme", &["programme", "programma", "program"]),
    list("visits", &["visits", "visite"]),
    list("interpreters", &["interpreters", "interpreti"]),
];

/// The list a file stem or sheet name stands for.
fn list_of(name: &str) -> Option<&'static List> {
    let name = name.trim().to_lowercase();
    LISTS.iter().find(|l| l.names.contains(&name.as_str()))
}

fn names_of(key: &str) -> &'static [&'static str] {
    LISTS.iter().find(|l| l.key == key).map_or(&[], |l| l.names)
}

/// Every list with its names, for hints: "slots (fasce, orari, fasce orarie), ...".
fn all_names() -> String {
    LISTS
        .iter()
        .map(|l| format!("{} ({})", l.names[0], l.names[1..].join(", ")))
        .collect::<Vec<_>>()
        .join(", ")
}

enum Found {
    /// A CSV file of a folder.
    Csv(PathBuf),
    /// A workbook of a folder holding one list (its sheet named like the list, else its first).
    Book(PathBuf),
    /// A sheet of the event's workbook.
    Sheet(String),
}

/// The lists of one event, found; `read` turns one into rows.
pub(crate) struct EventFiles {
    /// The folder or the workbook, as given.
    pub root: PathBuf,
    book: Option<Book>,
    found: BTreeMap<&'static str, Found>,
}

impl EventFiles {
    /// Finds the lists of the event at `path` (a folder or a workbook). Problems that make
    /// the event unreadable are errors; a sheet that is no list is a warning.
    pub(crate) fn open(path: &Path, pr: &mut Problems) -> Option<EventFiles> {
        let shown = path.display().to_string();
        let mut files = EventFiles {
            root: path.to_path_buf(),
            book: None,
            found: BTreeMap::new(),
        };
        if path.is_dir() {
            files.scan_folder(pr);
            return Some(files);
        }
        if path.is_file() && workbook::is_workbook(path) {
            let book = Book::open(path, pr)?;
            files.scan_book(&book, pr);
            files.book = Some(book);
            return Some(files);
        }
        let d = if path.is_file() {
            Diagnostic::file(&shown, "is neither an event folder nor a workbook").hint(
                "give the folder that holds slots.csv, buyers.csv, firms.csv and preferences.csv, \
                 or a workbook (.xlsx, .xls, .ods) with a sheet per list",
            )
        } else if workbook::is_workbook(path) {
            Diagnostic::file(&shown, "event workbook not found")
                .hint("give the path of a workbook with a sheet per list, or the event folder")
        } else {
            Diagnostic::file(&shown, "event folder not found").hint(
                "give the folder that holds slots.csv, buyers.csv, firms.csv and preferences.csv; \
                 `t4s-schedule init DIR` writes a template",
            )
        };
        pr.error(d);
        None
    }

    fn scan_folder(&mut self, pr: &mut Problems) {
        let Ok(entries) = std::fs::read_dir(&self.root) else {
            return;
        };
        let mut names: Vec<String> = entries
            .filter_map(|e| e.ok()?.file_name().into_string().ok())
            .collect();
        names.sort();
        for name in names {
            let Some((stem, ext)) = name.rsplit_once('.') else {
                continue;
            };
            let ext = ext.to_ascii_lowercase();
            let path = self.root.join(&name);
            let found = if ext == "csv" {
                Found::Csv(path)
            } else if workbook::EXTENSIONS.contains(&ext.as_str()) {
                Found::Book(path)
            } else {
                continue;
            };
            let Some(list) = list_of(stem) else { continue };
            if let Some(first) = self.found.get(list.key) {
                let first = self.shown(first);
                pr.error(
                    Diagnostic::file(&first, format!("{name} holds the {} too", list.key)).hint(
                        "keep one file per list (CSV or workbook): remove or rename the other",
                    ),
                );
                continue;
            }
            self.found.insert(list.key, found);
        }
    }

    fn scan_book(&mut self, book: &Book, pr: &mut Problems) {
        for sheet in book.sheet_names() {
            match list_of(&sheet) {
                Some(list) => {
                    if let Some(Found::Sheet(first)) = self.found.get(list.key) {
                        pr.error(
                            Diagnostic::file(
                                &book.name,
                                format!(
                                    "sheets '{first}' and '{sheet}' both hold the {}",
                                    list.key
                                ),
                            )
                            .hint("keep one sheet per list: delete or rename the other"),
                        );
                        continue;
                    }
                    self.found.insert(list.key, Found::Sheet(sheet));
                }
                None => {
                    let known = LISTS.iter().flat_map(|l| l.names.iter().copied());
                    let mut d = Diagnostic::file(
                        &book.name,
                        "the sheet is no list of the event; it is ignored",
                    )
                    .in_sheet(Some(&sheet));
                    d = match suggest(&sheet, known) {
                        Some(s) => d.hint(format!("did you mean '{s}'?")),
                        None => d.hint(format!("the lists are {}", all_names())),
                    };
                    pr.warn(d);
                }
            }
        }
    }

    fn shown(&self, f: &Found) -> String {
        match f {
            Found::Csv(p) | Found::Book(p) => p.display().to_string(),
            Found::Sheet(_) => self.root.display().to_string(),
        }
    }

    /// Whether the event is one workbook.
    pub(crate) fn is_workbook(&self) -> bool {
        self.book.is_some()
    }

    /// Whether the event has the list `key` (a file of the folder or a sheet).
    pub(crate) fn has(&self, key: &str) -> bool {
        self.found.contains_key(key)
    }

    /// Where the list `key` is, for messages: the file, or the workbook and its sheet.
    pub(crate) fn shown_name(&self, key: &str) -> String {
        match self.found.get(key) {
            Some(f) => self.shown(f),
            None if self.is_workbook() => self.root.display().to_string(),
            None => self.root.join(format!("{key}.csv")).display().to_string(),
        }
    }

    /// Where the list `key` is, as messages name it: file, and sheet when known before reading.
    pub(crate) fn origin(&self, key: &str) -> (String, Option<String>) {
        match self.found.get(key) {
            Some(Found::Sheet(s)) => (self.root.display().to_string(), Some(s.clone())),
            _ => (self.shown_name(key), None),
        }
    }

    /// The files the lists were found in (the workbook itself for a workbook event), for the
    /// plan folder's copy of its event.
    pub(crate) fn paths(&self) -> Vec<PathBuf> {
        if self.is_workbook() {
            return vec![self.root.clone()];
        }
        self.found
            .values()
            .filter_map(|f| match f {
                Found::Csv(p) | Found::Book(p) => Some(p.clone()),
                Found::Sheet(_) => None,
            })
            .collect()
    }

    /// Reads the list `key` as rows. A list that is not there is an error ("file not found",
    /// "no sheet"): ask `has` first for optional ones.
    pub(crate) fn read(&mut self, key: &str, spec: &[Column], pr: &mut Problems) -> Option<Sheet> {
        match self.found.get(key) {
            Some(Found::Csv(p)) => csvfile::read(p, spec, pr),
            Some(Found::Book(p)) => {
                let mut book = Book::open(p, pr)?;
                let sheets = book.sheet_names();
                let sheet = sheets
                    .iter()
                    .find(|s| list_of(s).is_some_and(|l| l.key == key))
                    .or(sheets.first())
                    .cloned();
                match sheet {
                    Some(s) => book.read(&s, spec, pr),
                    None => {
                        pr.error(Diagnostic::file(&book.name, "the workbook has no sheet"));
                        None
                    }
                }
            }
            Some(Found::Sheet(s)) => {
                let s = s.clone();
                self.book.as_mut()?.read(&s, spec, pr)
            }
            None => {
                pr.error(self.missing(key, spec));
                None
            }
        }
    }

    fn missing(&self, key: &str, spec: &[Column]) -> Diagnostic {
        let columns = super::sheet::column_list(spec);
        let names = names_of(key);
        if let Some(book) = &self.book {
            let sheets = book.sheet_names();
            return Diagnostic::file(&book.name, format!("no sheet '{key}'")).hint(format!(
                "the workbook needs a sheet per list: {}; its sheets are {}; the {key} sheet's columns: {columns}",
                all_names(),
                if sheets.is_empty() { "none".into() } else { sheets.join(", ") }
            ));
        }
        let mut hint = format!(
            "an event folder holds slots.csv, buyers.csv, firms.csv and preferences.csv \
             (tables.csv is optional); expected columns: {columns}; `t4s-schedule init DIR` writes a template"
        );
        if let Some(b) = self.workbook_beside() {
            hint.push_str(&format!(
                "; each list may also be a workbook ({}.xlsx) or have an Italian name ({}); \
                 if {b} holds the whole event, give its path instead of the folder",
                key,
                names[1..].join(", ")
            ));
        }
        Diagnostic::file(&self.shown_name(key), "file not found").hint(hint)
    }

    /// A workbook in the folder: perhaps the whole event (`evento.xlsx` is also the name of the
    /// event's facts, so any workbook counts).
    fn workbook_beside(&self) -> Option<String> {
        let entries = std::fs::read_dir(&self.root).ok()?;
        let mut books: Vec<PathBuf> = entries
            .filter_map(|e| Some(e.ok()?.path()))
            .filter(|p| p.is_file() && workbook::is_workbook(p))
            .collect();
        books.sort();
        books.first().map(|p| p.display().to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_belongs_to_one_list() {
        let mut seen = std::collections::HashSet::new();
        for l in LISTS {
            assert_eq!(l.names[0], l.key);
            for n in l.names {
                assert_eq!(*n, n.to_lowercase());
                assert!(seen.insert(*n), "{n} twice");
            }
        }
        assert_eq!(list_of(" Acquirenti ").map(|l| l.key), Some("buyers"));
        assert_eq!(list_of("Fasce orarie").map(|l| l.key), Some("slots"));
        assert!(list_of("Foglio1").is_none());
    }

    #[test]
    fn a_list_in_two_files_is_an_error_naming_both() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("buyers.csv"), "id\n").unwrap();
        std::fs::write(dir.path().join("Acquirenti.xlsx"), "").unwrap();
        let mut pr = Problems::default();
        EventFiles::open(dir.path(), &mut pr).unwrap();
        assert_eq!(pr.errors.len(), 1);
        let d = pr.errors[0].to_string();
        assert!(
            d.contains("Acquirenti.xlsx") && d.contains("buyers.csv"),
            "{d}"
        );
    }
}
