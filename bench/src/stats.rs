//! Median and p95 of a sample.

/// The values sorted, NaN-free.
fn sorted(values: &[f64]) -> Vec<f64> {
    let mut v: Vec<f64> = values.iter().copied().filter(|x| x.is_finite()).collect();
    v.sort_by(f64::total_cmp);
    v
}

/// The middle value (the mean of the two middle ones for an even count); NaN when empty.
pub fn median(values: &[f64]) -> f64 {
    let v = sorted(values);
    let n = v.len();
    match (v.get(n / 2), n % 2) {
        (None, _) => f64::NAN,
        (Some(hi), 1) => *hi,
        (Some(hi), _) => v.get(n / 2 - 1).map_or(*hi, |lo| (lo + hi) / 2.0),
    }
}

/// The nearest-rank 95th percentile: the smallest value at least 95 % of the sample is ≤ to.
pub fn p95(values: &[f64]) -> f64 {
    let v = sorted(values);
    let rank = (v.len() * 95).div_ceil(100);
    v.get(rank.saturating_sub(1)).copied().unwrap_or(f64::NAN)
}

pub fn max(values: &[f64]) -> f64 {
    sorted(values).last().copied().unwrap_or(f64::NAN)
}

pub fn min(values: &[f64]) -> f64 {
    sorted(values).first().copied().unwrap_or(f64::NAN)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_and_p95() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&[4.0, 1.0, 2.0, 3.0]), 2.5);
        assert!(median(&[]).is_nan());
        let hundred: Vec<f64> = (1..=100).map(f64::from).collect();
        assert_eq!(p95(&hundred), 95.0);
        let twenty: Vec<f64> = (1..=20).map(f64::from).collect();
        assert_eq!(p95(&twenty), 19.0);
        assert_eq!(max(&twenty), 20.0);
        assert_eq!(min(&twenty), 1.0);
    }
}
