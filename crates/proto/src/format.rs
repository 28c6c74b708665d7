//! Number formatting shared by the app and the server's pages.

/// `n` with its digits grouped by three (`1 250 000` with a no-break space,
/// `1,250,000` with a comma); negative numbers get a true minus sign.
pub fn group_digits(n: i64, sep: &str) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push_str(sep);
        }
        out.push(c);
    }
    if n < 0 {
        format!("−{out}")
    } else {
        out
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn groups_by_three() {
        assert_eq!(super::group_digits(1_250_000, ","), "1,250,000");
        assert_eq!(super::group_digits(-999, ","), "−999");
        assert_eq!(super::group_digits(1000, "\u{a0}"), "1\u{a0}000");
    }
}
