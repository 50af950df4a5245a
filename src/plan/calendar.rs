//! Release calendars: the dates that fill a plan's `date` and `remove_after`.

use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorCode, Result};

/// A calendar date (proleptic Gregorian).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date {
    /// Year.
    pub year: i32,
    /// Month, 1-12.
    pub month: u32,
    /// Day, 1-31.
    pub day: u32,
}

fn is_leap(y: i32) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i32, m: u32) -> u32 {
    match m {
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(y) => 29,
        2 => 28,
        _ => 31,
    }
}

impl Date {
    /// Parses `YYYY-MM-DD`.
    pub fn parse(text: &str) -> Result<Date> {
        let bad = || {
            Error::new(
                ErrorCode::BadOptions,
                format!("`{text}` is not a date: write YYYY-MM-DD, e.g. 2019-12-22"),
            )
        };
        let parts: Vec<&str> = text.trim().split('-').collect();
        let [y, m, d] = parts.as_slice() else {
            return Err(bad());
        };
        if y.len() != 4 || m.len() != 2 || d.len() != 2 {
            return Err(bad());
        }
        let year: i32 = y.parse().map_err(|_| bad())?;
        let month: u32 = m.parse().map_err(|_| bad())?;
        let day: u32 = d.parse().map_err(|_| bad())?;
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return Err(bad());
        }
        Ok(Date { year, month, day })
    }

    /// Day of the week, 0 = Monday ... 6 = Sunday.
    pub fn weekday(self) -> u32 {
        // Days since 1970-01-01 (a Thursday), by Howard Hinnant's algorithm.
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        let days = era * 146_097 + doe - 719_468;
        // 1970-01-01 was a Thursday (3).
        u32::try_from((days + 3).rem_euclid(7)).unwrap_or(0)
    }
}

impl std::fmt::Display for Date {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

const WEEKDAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/// When releases ship: monthly on a rule, or on listed dates.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case", deny_unknown_fields)]
pub enum Calendar {
    /// One minor release a month, from the month of the first release.
    Monthly {
        /// The day: `22` (day of month), `3-thu` (third Thursday), `last-fri`.
        on: String,
        /// The month of the plan's first release, `YYYY-MM`.
        first: String,
    },
    /// Release `k` of the plan ships on `dates[k]`.
    Dates {
        /// `YYYY-MM-DD`, one per release, in order.
        dates: Vec<String>,
    },
}

/// The day rule of a monthly calendar.
enum Day {
    Of(u32),
    Nth(u32, u32),
    Last(u32),
}

fn parse_on(on: &str) -> Result<Day> {
    let bad = || {
        Error::new(
            ErrorCode::BadOptions,
            format!("`{on}` is not a monthly release day: write a day of the month (22), or N-WEEKDAY (3-thu) or last-WEEKDAY (last-fri)"),
        )
    };
    let on_l = on.trim().to_ascii_lowercase();
    if let Ok(d) = on_l.parse::<u32>() {
        return if (1..=28).contains(&d) {
            Ok(Day::Of(d))
        } else {
            Err(Error::new(
                ErrorCode::BadOptions,
                format!("monthly release day `{on}` must be 1 to 28 so that every month has it"),
            ))
        };
    }
    let (n, wd) = on_l.split_once('-').ok_or_else(bad)?;
    let wd = WEEKDAYS
        .iter()
        .position(|w| wd.starts_with(w))
        .ok_or_else(bad)?;
    let wd = u32::try_from(wd).map_err(|_| bad())?;
    if n == "last" {
        return Ok(Day::Last(wd));
    }
    let n: u32 = n
        .trim_end_matches(|c: char| c.is_ascii_alphabetic())
        .parse()
        .map_err(|_| bad())?;
    if (1..=4).contains(&n) {
        Ok(Day::Nth(n, wd))
    } else {
        Err(bad())
    }
}

fn parse_month(text: &str) -> Result<(i32, u32)> {
    let d = Date::parse(&format!("{}-01", text.trim())).map_err(|_| {
        Error::new(
            ErrorCode::BadOptions,
            format!("`{text}` is not a month: write YYYY-MM, e.g. 2019-11"),
        )
    })?;
    Ok((d.year, d.month))
}

impl Calendar {
    /// Parses the command-line form: `monthly:ON:YYYY-MM` (e.g.
    /// `monthly:3-thu:2023-11`, `monthly:22:2019-11`), or dates separated by
    /// commas (`2019-11-22,2019-12-22`).
    pub fn parse(text: &str) -> Result<Calendar> {
        let t = text.trim();
        let c = if let Some(rest) = t.strip_prefix("monthly:") {
            let (on, first) = rest.split_once(':').ok_or_else(|| {
                Error::new(
                    ErrorCode::BadOptions,
                    format!("`{text}`: write monthly:DAY:YYYY-MM, e.g. monthly:3-thu:2023-11"),
                )
            })?;
            Calendar::Monthly {
                on: on.to_string(),
                first: first.to_string(),
            }
        } else {
            Calendar::Dates {
                dates: t.split(',').map(|d| d.trim().to_string()).collect(),
            }
        };
        c.validate()?;
        Ok(c)
    }

    /// Checks every part.
    pub fn validate(&self) -> Result<()> {
        match self {
            Calendar::Monthly { on, first } => {
                parse_on(on)?;
                parse_month(first)?;
            }
            Calendar::Dates { dates } => {
                let mut prev: Option<Date> = None;
                for d in dates {
                    let date = Date::parse(d)?;
                    if prev.is_some_and(|p| p >= date) {
                        return Err(Error::new(
                            ErrorCode::BadOptions,
                            format!("release dates must increase: `{d}` is not after the date before it"),
                        ));
                    }
                    prev = Some(date);
                }
            }
        }
        Ok(())
    }

    /// The date of release `k` (0 = the plan's first release).
    pub fn date(&self, k: u32) -> Option<Date> {
        match self {
            Calendar::Dates { dates } => dates.get(k as usize).and_then(|d| Date::parse(d).ok()),
            Calendar::Monthly { on, first } => {
                let (y, m) = parse_month(first).ok()?;
                let months = i64::from(y) * 12 + i64::from(m) - 1 + i64::from(k);
                let year = i32::try_from(months.div_euclid(12)).ok()?;
                let month = u32::try_from(months.rem_euclid(12)).ok()? + 1;
                let day = match parse_on(on).ok()? {
                    Day::Of(d) => d,
                    Day::Nth(n, wd) => {
                        let first_wd = Date {
                            year,
                            month,
                            day: 1,
                        }
                        .weekday();
                        1 + (wd + 7 - first_wd) % 7 + 7 * (n - 1)
                    }
                    Day::Last(wd) => {
                        let last = days_in_month(year, month);
                        let last_wd = Date {
                            year,
                            month,
                            day: last,
                        }
                        .weekday();
                        last - (last_wd + 7 - wd) % 7
                    }
                };
                Some(Date { year, month, day })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dates(c: &Calendar, n: u32) -> Vec<String> {
        (0..n).map(|k| c.date(k).unwrap().to_string()).collect()
    }

    #[test]
    fn weekdays_are_right() {
        assert_eq!(Date::parse("1970-01-01").unwrap().weekday(), 3);
        assert_eq!(Date::parse("2019-12-22").unwrap().weekday(), 6);
        assert_eq!(Date::parse("2024-02-29").unwrap().weekday(), 3);
    }

    #[test]
    fn monthly_on_nth_and_last_weekday_and_day_of_month() {
        let c = Calendar::parse("monthly:3-thu:2023-11").unwrap();
        assert_eq!(dates(&c, 3), ["2023-11-16", "2023-12-21", "2024-01-18"]);
        let c = Calendar::parse("monthly:last-fri:2024-01").unwrap();
        assert_eq!(dates(&c, 2), ["2024-01-26", "2024-02-23"]);
        let c = Calendar::parse("monthly:22:2019-11").unwrap();
        assert_eq!(dates(&c, 3), ["2019-11-22", "2019-12-22", "2020-01-22"]);
    }

    #[test]
    fn a_date_list_gives_dates_while_it_lasts() {
        let c = Calendar::parse("2019-11-22, 2019-12-22").unwrap();
        assert_eq!(dates(&c, 2), ["2019-11-22", "2019-12-22"]);
        assert_eq!(c.date(2), None);
    }

    #[test]
    fn bad_calendars_are_clear_errors() {
        for (bad, says) in [
            ("monthly:5-thu:2023-11", "5-thu"),
            ("monthly:31:2023-11", "1 to 28"),
            ("monthly:3-thu", "monthly:DAY:YYYY-MM"),
            ("monthly:3-thu:2023-13", "2023-13"),
            ("2019-02-30", "2019-02-30"),
            ("2019-12-22,2019-11-22", "must increase"),
            ("next tuesday", "next tuesday"),
        ] {
            let e = Calendar::parse(bad).unwrap_err();
            assert_eq!(e.code, ErrorCode::BadOptions);
            assert!(e.message.contains(says), "{bad}: {}", e.message);
        }
    }
}
