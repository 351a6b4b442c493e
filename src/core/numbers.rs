//! Decimal text for measured numbers (milliseconds, sizes, rates) without Rust's float
//! formatter: `{:.1}` and friends pull about 12 KB of gzip into the wasm bundle, and these
//! numbers need nothing more than a fixed count of decimals.

/// `value` with exactly `decimals` digits after the point (at most 3), rounded half away from
/// zero. "NaN", "inf" and "-inf" for values that are not numbers.
pub fn fixed(value: f64, decimals: u32) -> String {
    if value.is_nan() {
        return "NaN".to_owned();
    }
    if value.is_infinite() {
        return if value > 0.0 { "inf" } else { "-inf" }.to_owned();
    }
    let decimals = decimals.min(3);
    let sign = if value < 0.0 { "-" } else { "" };
    // From 2^53 on a float is a whole number (and times 1000 it would not fit a u64).
    if value.abs() >= TWO_POW_53 {
        let zeros = "0".repeat(decimals as usize);
        let point = if decimals == 0 { "" } else { "." };
        return format!("{sign}{}{point}{zeros}", whole_digits(value.abs()));
    }
    let scale = 10_u64.pow(decimals);
    let scaled = (value.abs() * scale as f64).round() as u64;
    let sign = if scaled == 0 { "" } else { sign };
    let whole = scaled / scale;
    if decimals == 0 {
        return format!("{sign}{whole}");
    }
    let fraction = scaled % scale;
    format!(
        "{sign}{whole}.{fraction:0width$}",
        width = decimals as usize
    )
}

const TWO_POW_53: f64 = 9_007_199_254_740_992.0;

/// The exact decimal digits of a finite whole float ≥ 2^53: mantissa × 2^exponent, worked out
/// in base-10⁹ limbs (at most 309 digits).
fn whole_digits(value: f64) -> String {
    const BASE: u64 = 1_000_000_000;
    let bits = value.to_bits();
    let mantissa = (bits & ((1 << 52) - 1)) | (1 << 52);
    let mut exponent = ((bits >> 52) & 0x7ff) as i64 - 1075;
    let mut limbs = vec![
        mantissa % BASE,
        mantissa / BASE % BASE,
        mantissa / BASE / BASE,
    ];
    while exponent > 0 {
        let shift = exponent.min(29);
        exponent -= shift;
        let mut carry = 0;
        for limb in limbs.iter_mut() {
            let wide = (*limb << shift) + carry;
            *limb = wide % BASE;
            carry = wide / BASE;
        }
        while carry > 0 {
            limbs.push(carry % BASE);
            carry /= BASE;
        }
    }
    while limbs.len() > 1 && limbs.last() == Some(&0) {
        limbs.pop();
    }
    let mut out = String::new();
    for (i, limb) in limbs.iter().rev().enumerate() {
        if i == 0 {
            out.push_str(&limb.to_string());
        } else {
            out.push_str(&format!("{limb:09}"));
        }
    }
    out
}

/// As [`fixed`], with trailing zeros (and a bare point) removed: "1.5", "2", "0.1".
pub fn trimmed(value: f64, decimals: u32) -> String {
    let text = fixed(value, decimals);
    if !text.contains('.') {
        return text;
    }
    text.trim_end_matches('0').trim_end_matches('.').to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_decimals() {
        assert_eq!(fixed(0.0, 1), "0.0");
        assert_eq!(fixed(1.5, 1), "1.5");
        assert_eq!(fixed(1.04, 1), "1.0");
        assert_eq!(fixed(1.96, 1), "2.0");
        assert_eq!(fixed(183.4, 0), "183");
        assert_eq!(fixed(183.5, 0), "184");
        // Ties round away from zero, as people do (Rust's `{:.1}` would give 412.2).
        assert_eq!(fixed(412.25, 1), "412.3");
        assert_eq!(fixed(1.2345, 2), "1.23");
        assert_eq!(fixed(5.0, 2), "5.00");
        assert_eq!(fixed(0.05, 3), "0.050");
        assert_eq!(fixed(12.0, 7), "12.000");
    }

    #[test]
    fn signs_and_oddities() {
        assert_eq!(fixed(-2.25, 1), "-2.3");
        assert_eq!(fixed(-0.01, 1), "0.0");
        assert_eq!(fixed(f64::NAN, 1), "NaN");
        assert_eq!(fixed(f64::INFINITY, 0), "inf");
        assert_eq!(fixed(f64::NEG_INFINITY, 2), "-inf");
        // Past 2^53 every float is whole: its exact digits, as `{:.1}` writes them.
        for v in [
            TWO_POW_53,
            1e17,
            123_456_789_012_345_680_000.0,
            1e300,
            f64::MAX,
            -3.97e243,
        ] {
            assert_eq!(fixed(v, 1), format!("{v:.1}"));
            assert_eq!(fixed(v, 0), format!("{v:.0}"));
        }
    }

    #[test]
    fn trimmed_drops_zeros() {
        assert_eq!(trimmed(240.0, 1), "240");
        assert_eq!(trimmed(12.34, 1), "12.3");
        assert_eq!(trimmed(0.0, 1), "0");
        assert_eq!(trimmed(-0.04, 1), "0");
        assert_eq!(trimmed(100.0, 0), "100");
    }

    #[test]
    fn agrees_with_the_float_formatter_away_from_ties() {
        for i in 0..20_000 {
            let v = i as f64 * 0.37 + 0.013;
            assert_eq!(fixed(v, 1), format!("{v:.1}"), "{v}");
            assert_eq!(fixed(v, 0), format!("{v:.0}"), "{v}");
        }
    }
}
