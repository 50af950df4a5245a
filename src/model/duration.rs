//! Durations as PostgreSQL writes them for `lock_timeout`: a number with an
//! optional unit (`us`, `ms`, `s`, `min`, `h`, `d`); a bare number is
//! milliseconds, the unit of `lock_timeout`.

/// Parses a `lock_timeout`-style duration into milliseconds (rounded up, so
/// `500us` is 1 ms: only `0` means "no timeout"). None when PostgreSQL
/// would refuse it, or when it is out of PostgreSQL's range (about 24.8 days).
pub fn parse_duration_ms(text: &str) -> Option<u64> {
    let t = text.trim();
    let split = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let (int, frac) = num.split_once('.').unwrap_or((num, ""));
    if (int.is_empty() && frac.is_empty()) || frac.contains('.') || int.len() > 12 {
        return None;
    }
    // Microseconds per unit.
    let scale: u64 = match unit.trim_start() {
        "" | "ms" => 1_000,
        "us" => 1,
        "s" => 1_000_000,
        "min" => 60_000_000,
        "h" => 3_600_000_000,
        "d" => 86_400_000_000,
        _ => return None,
    };
    // Integer arithmetic on at most 12 whole and 6 decimal digits (finer
    // than PostgreSQL, which rounds to milliseconds): parsing a float
    // would pull a 20 KB table into the WebAssembly module.
    let digits = |s: &str| -> Option<u64> {
        if s.is_empty() {
            Some(0)
        } else {
            s.parse().ok()
        }
    };
    let frac = &frac[..frac.len().min(6)];
    let whole = digits(int)?.checked_mul(scale)?;
    let ten = 10u64.pow(u32::try_from(frac.len()).ok()?);
    let part = (digits(frac)? * scale).div_ceil(ten);
    let ms = whole.checked_add(part)?.div_ceil(1_000);
    // lock_timeout is an int of milliseconds on the server.
    (ms <= i32::MAX as u64).then_some(ms)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_postgres_units() {
        assert_eq!(parse_duration_ms("5s"), Some(5_000));
        assert_eq!(parse_duration_ms(" 200ms "), Some(200));
        assert_eq!(parse_duration_ms("200"), Some(200));
        assert_eq!(parse_duration_ms("1.5s"), Some(1_500));
        assert_eq!(parse_duration_ms("2 min"), Some(120_000));
        assert_eq!(parse_duration_ms("1h"), Some(3_600_000));
        assert_eq!(parse_duration_ms("1d"), Some(86_400_000));
        assert_eq!(parse_duration_ms("500us"), Some(1));
        assert_eq!(parse_duration_ms("0"), Some(0));
    }

    #[test]
    fn refuses_what_postgres_refuses() {
        for bad in ["", "s", "5 sec", "-1s", "1.2.3s", "5S", "ten", "30d", "."] {
            assert_eq!(parse_duration_ms(bad), None, "{bad}");
        }
    }
}
