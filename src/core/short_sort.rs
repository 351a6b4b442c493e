//! Sorting the page's short lists: claims, profiles, scopes, secrets, field names — tens of
//! items. The standard library's stable sort puts about 4 KB of wasm in the build for each
//! element type and order it is used with (seven of them were 29 KB before wasm-opt; see
//! `make size-report`); this insertion sort is a few hundred bytes each, and as fast on lists
//! this short. Unbounded lists (the matches of a secret in a 5 MB body) keep the standard sort.

/// Sorts `list` so that no item is `less` than the one before it; equal items keep their
/// order (stable). Quadratic: for lists of at most a few hundred items.
pub fn sort_short_by<T>(list: &mut [T], less: impl Fn(&T, &T) -> bool) {
    for i in 1..list.len() {
        let mut j = i;
        while j > 0 {
            let (Some(before), Some(item)) = (list.get(j - 1), list.get(j)) else {
                break;
            };
            if !less(item, before) {
                break;
            }
            list.swap(j - 1, j);
            j -= 1;
        }
    }
}

/// [`sort_short_by`] in the items' own order.
pub fn sort_short<T: Ord>(list: &mut [T]) {
    sort_short_by(list, |a, b| a < b);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every order of a list with repeated keys sorts as the standard stable sort does.
    #[test]
    fn agrees_with_the_standard_stable_sort_on_every_permutation() {
        let items = [(2, 'a'), (1, 'b'), (2, 'c'), (0, 'd'), (1, 'e'), (3, 'f')];
        let mut order: Vec<usize> = (0..items.len()).collect();
        let mut permutations = 0;
        // Heap's algorithm, iteratively.
        let mut c = vec![0; order.len()];
        let mut check = |order: &[usize]| {
            let list: Vec<(i32, char)> = order.iter().map(|&i| items[i]).collect();
            let mut ours = list.clone();
            sort_short_by(&mut ours, |a, b| a.0 < b.0);
            let mut std = list;
            std.sort_by_key(|x| x.0);
            assert_eq!(ours, std);
            permutations += 1;
        };
        check(&order);
        let mut i = 0;
        while i < order.len() {
            if c[i] < i {
                if i % 2 == 0 {
                    order.swap(0, i);
                } else {
                    order.swap(c[i], i);
                }
                check(&order);
                c[i] += 1;
                i = 0;
            } else {
                c[i] = 0;
                i += 1;
            }
        }
        assert_eq!(permutations, 720);
    }

    #[test]
    fn short_and_empty_lists() {
        let mut empty: Vec<u8> = Vec::new();
        sort_short(&mut empty);
        assert!(empty.is_empty());
        let mut one = vec!["x"];
        sort_short(&mut one);
        assert_eq!(one, ["x"]);
        let mut names = vec!["scope", "id_token", "refresh_token", "id_token"];
        sort_short(&mut names);
        assert_eq!(names, ["id_token", "id_token", "refresh_token", "scope"]);
    }
}
