//! Every word the agendas, floor sheets, calendars and the HTML report print, per language.
//! A language is one file (`en.rs`, `it.rs`) holding one `Labels` value; adding one is a new
//! file plus a line in `Lang`. CSV headers stay English: they are read by programs.

mod de;
mod en;
mod es;
mod fr;
mod it;

use crate::event::time::Date;

/// Languages of the printed outputs (`--lang`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, clap::ValueEnum)]
pub enum Lang {
    #[default]
    En,
    It,
    Fr,
    De,
    Es,
    /// Each participant's agenda, calendar and notices in the first of its languages that has
    /// labels, else English; what the organiser reads (floor sheets, report) in English.
    Auto,
}

impl Lang {
    /// Every language, e.g. to recognise a sheet name written in any of them.
    pub const ALL: [Lang; 5] = [Lang::En, Lang::It, Lang::Fr, Lang::De, Lang::Es];

    pub fn labels(self) -> &'static Labels {
        match self {
            Lang::En | Lang::Auto => &en::LABELS,
            Lang::It => &it::LABELS,
            Lang::Fr => &fr::LABELS,
            Lang::De => &de::LABELS,
            Lang::Es => &es::LABELS,
        }
    }

    /// The language someone reads: the first of `languages` (ISO 639-1 codes) that has
    /// labels; `None` when none has.
    pub fn of_languages(languages: &[String]) -> Option<Lang> {
        languages.iter().find_map(|code| {
            let primary = code.split(['-', '_']).next().unwrap_or("").trim();
            Lang::ALL
                .into_iter()
                .find(|l| l.labels().code.eq_ignore_ascii_case(primary))
        })
    }
}

/// Labels; `{}` in a label is replaced by a value (`fill`).
pub struct Labels {
    /// BCP 47 code, for `<html lang>` and iCalendar `LANGUAGE`.
    pub code: &'static str,
    pub weekdays: [&'static str; 7],
    pub months: [&'static str; 12],
    pub agenda_of: &'static str,
    pub buyer: &'static str,
    pub firm: &'static str,
    pub buyers: &'static str,
    pub firms: &'static str,
    pub your_table: &'static str,
    pub languages: &'static str,
    pub meeting: [&'static str; 2],
    pub break_: [&'static str; 2],
    pub participant: [&'static str; 2],
    pub time: &'static str,
    pub table: &'static str,
    pub meeting_with: &'static str,
    pub company: &'static str,
    pub country: &'static str,
    pub language_hint: &'static str,
    pub shared_language: &'static str,
    pub no_shared_language: &'static str,
    pub break_row: &'static str,
    pub pause_between_sessions: &'static str,
    pub no_meetings: &'static str,
    pub venue: &'static str,
    pub address: &'static str,
    pub organiser: &'static str,
    pub contact: &'static str,
    pub times_in: &'static str,
    pub booklet: &'static str,
    pub grid: &'static str,
    pub table_sheets: &'static str,
    pub table_sheet: &'static str,
    pub firm_of_table: &'static str,
    pub free_table: &'static str,
    pub day_overview: &'static str,
    pub slot: &'static str,
    pub meetings_col: &'static str,
    pub tables_in_use: &'static str,
    pub buyers_busy: &'static str,
    pub firms_busy: &'static str,
    pub arrivals: &'static str,
    pub first_meeting: &'static str,
    pub last_meeting: &'static str,
    pub report: &'static str,
    pub histogram: &'static str,
    pub histogram_axis: &'static str,
    pub heat_map: &'static str,
    pub heat_map_note: &'static str,
    pub figures: &'static str,
    pub not_scheduled: &'static str,
    pub every_pair_meets: &'static str,
    pub from: &'static str,
    pub to: &'static str,
    pub reason: &'static str,
    pub breaks_col: &'static str,
    pub side: &'static str,
    pub name: &'static str,
    pub calendar_summary: &'static str,
    pub cancelled: &'static str,
    pub made_with: &'static str,
    pub participants_heading: &'static str,
    pub page_contents: &'static str,
    pub fig_meetings_scheduled: &'static str,
    /// The line of visit requests met ("29 of 30"), shown when visits were asked for.
    pub fig_visits: &'static str,
    pub fig_of_requested: &'static str,
    pub fig_required_met: &'static str,
    pub fig_of: &'static str,
    pub fig_value: &'static str,
    pub fig_value_of_bound: &'static str,
    pub fig_optimal: &'static str,
    pub fig_min_median_max: &'static str,
    pub fig_breaks: &'static str,
    pub fig_breaks_total: &'static str,
    pub fig_worst: &'static str,
    pub fig_minimum: &'static str,
    pub fig_minimum_met: &'static str,
    pub fig_below_minimum: &'static str,
    pub fig_short: &'static str,
    pub fig_status: &'static str,
    pub st_optimal: &'static str,
    pub st_edited: &'static str,
    pub st_time_limit: &'static str,
    pub st_interrupted: &'static str,
    pub st_heuristic: &'static str,
    pub st_unknown: &'static str,
    pub st_value_optimal: &'static str,
    pub st_value_gap: &'static str,
    pub st_breaks_optimal: &'static str,
    pub st_breaks_bound: &'static str,
    pub st_in_seconds: &'static str,
    pub fig_meetings_per: [&'static str; 2],
    pub n_changed: &'static str,
    pub n_cancelled: &'static str,
    pub n_moved: &'static str,
    pub n_added: &'static str,
    pub n_from_to: &'static str,
    pub n_follows: &'static str,
    pub mail_subject: &'static str,
    pub mail_subject_changed: &'static str,
    pub mail_greeting: &'static str,
    pub mail_intro: &'static str,
    pub mail_intro_changed: &'static str,
    pub mail_the_event: &'static str,
    pub mail_closing: &'static str,
    pub mail_agenda_file: &'static str,
    /// After the mark ✗ in an agenda's language column: the two share no language.
    pub no_shared_legend: &'static str,
    /// The back page a duplex booklet leaves after an agenda of an odd number of pages.
    pub notes: &'static str,
    pub r_cancelled: &'static str,
    pub r_pair_cancelled: &'static str,
    pub r_passed: &'static str,
    pub r_forbidden: &'static str,
    pub r_unavailable: &'static str,
    pub r_no_common_slot: &'static str,
    pub r_no_slot_in_when: &'static str,
    pub r_table_venue: &'static str,
    pub r_fully_booked: &'static str,
    pub r_lower_value: &'static str,
    pub r_max_reached: &'static str,
    pub r_time_limit: &'static str,
    pub r_no_free_table: &'static str,
    pub r_booked_apart: &'static str,
    pub r_booked_apart_tables: &'static str,
    /// schedule.xlsx: sheet names (at most 31 characters, none of `[]:*?/\`), headers and the
    /// number formats of dates and times.
    pub x_schedule: &'static str,
    pub x_grid: &'static str,
    pub x_buyers: &'static str,
    pub x_firms: &'static str,
    pub x_unscheduled: &'static str,
    pub x_summary: &'static str,
    pub x_id: &'static str,
    pub x_day: &'static str,
    pub x_start: &'static str,
    pub x_end: &'static str,
    pub x_value: &'static str,
    pub x_organiser: &'static str,
    pub x_required: &'static str,
    pub x_forbidden: &'static str,
    pub x_figure: &'static str,
    pub x_date_format: &'static str,
    pub r_no_visit: &'static str,
    pub r_visit_full: &'static str,
    pub x_travel: &'static str,
    pub x_visit_to: &'static str,
    pub x_programme: &'static str,
    pub x_visitors: &'static str,
    pub x_host: &'static str,
    pub x_venue: &'static str,
    /// Interpreters and roles.
    pub r_no_interpreter: &'static str,
    pub interpreter: &'static str,
    pub interpreters: &'static str,
    pub role: &'static str,
    pub n_interpreter: &'static str,
    pub fig_interpreters: &'static str,
    pub fig_interp_needed: &'static str,
}

impl Labels {
    /// "Thursday 11 March 2027" / "giovedì 11 marzo 2027".
    pub fn long_date(&self, d: Date) -> String {
        format!(
            "{} {} {} {}",
            self.weekdays[d.weekday()],
            d.day(),
            self.months[usize::from(d.month().unsigned_abs()) - 1],
            d.year()
        )
    }
    /// "1 meeting", "3 meetings".
    pub fn count(&self, n: usize, word: [&str; 2]) -> String {
        format!("{n} {}", if n == 1 { word[0] } else { word[1] })
    }
    pub fn side(&self, side: crate::event::Side) -> &'static str {
        match side {
            crate::event::Side::Buyer => self.buyer,
            crate::event::Side::Firm => self.firm,
        }
    }
}

/// Replaces each `{}` of `pattern` by the next value.
pub(crate) fn fill(pattern: &str, values: &[&str]) -> String {
    let mut out = String::with_capacity(pattern.len() + 16);
    let mut vals = values.iter();
    let mut rest = pattern;
    while let Some(i) = rest.find("{}") {
        out.push_str(&rest[..i]);
        out.push_str(vals.next().copied().unwrap_or(""));
        rest = &rest[i + 2..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The labels that take values.
    fn patterns(l: &Labels) -> Vec<&'static str> {
        vec![
            l.agenda_of,
            l.your_table,
            l.languages,
            l.shared_language,
            l.no_shared_language,
            l.times_in,
            l.table_sheet,
            l.calendar_summary,
            l.fig_of_requested,
            l.fig_of,
            l.fig_value_of_bound,
            l.fig_min_median_max,
            l.fig_breaks_total,
            l.fig_worst,
            l.fig_below_minimum,
            l.fig_short,
            l.st_value_gap,
            l.st_breaks_bound,
            l.st_in_seconds,
            l.r_unavailable,
            l.r_table_venue,
            l.r_fully_booked,
            l.r_lower_value,
            l.r_max_reached,
            l.r_booked_apart,
            l.r_booked_apart_tables,
            l.n_changed,
            l.n_from_to,
            l.mail_subject,
            l.mail_subject_changed,
            l.mail_greeting,
            l.mail_intro,
            l.mail_intro_changed,
            l.x_grid,
            l.r_no_interpreter,
            l.fig_interp_needed,
        ]
    }

    #[test]
    fn every_language_fills_the_same_patterns() {
        let en = patterns(Lang::En.labels());
        for lang in [Lang::It, Lang::Fr, Lang::De, Lang::Es] {
            let l = lang.labels();
            for (p, e) in patterns(l).iter().zip(&en) {
                assert_eq!(
                    p.matches("{}").count(),
                    e.matches("{}").count(),
                    "{}: {p}",
                    l.code
                );
            }
        }
        assert_eq!(fill("a {} b {}", &["1", "2"]), "a 1 b 2");
    }

    #[test]
    fn dates_in_both_languages() {
        let d = Date::parse("2027-03-11").unwrap();
        assert_eq!(Lang::En.labels().long_date(d), "Thursday 11 March 2027");
        assert_eq!(Lang::It.labels().long_date(d), "giovedì 11 marzo 2027");
    }
}
