//! Small sorts for the engine's own vectors.
//!
//! The standard library's sorts are fast, but every call site with its own
//! element type and comparator instantiates about ten kilobytes of code
//! (driftsort, ipnsort and their helpers): in the wasm build, the engine's
//! dozen sorts cost over 100 KB before compression, more than the whole
//! matcher. These are a heapsort (a few hundred bytes an instance, O(n log
//! n) in the worst case, so hostile input cannot make them quadratic) and
//! stable sorts built on it by sorting `(key, index)` pairs and then moving
//! the elements into place.

use std::cmp::Ordering;

/// Sorts `v` by `cmp`, not stable, in place: heapsort.
pub fn sort_unstable_by<T>(v: &mut [T], mut cmp: impl FnMut(&T, &T) -> Ordering) {
    let n = v.len();
    if n < 2 {
        return;
    }
    let mut sift = |v: &mut [T], mut root: usize, end: usize| loop {
        let mut child = 2 * root + 1;
        if child >= end {
            return;
        }
        if child + 1 < end && cmp(&v[child], &v[child + 1]) == Ordering::Less {
            child += 1;
        }
        if cmp(&v[root], &v[child]) != Ordering::Less {
            return;
        }
        v.swap(root, child);
        root = child;
    };
    for start in (0..n / 2).rev() {
        sift(v, start, n);
    }
    for end in (1..n).rev() {
        v.swap(0, end);
        sift(v, 0, end);
    }
}

/// Sorts `v` in order, not stable.
pub fn sort_unstable<T: Ord>(v: &mut [T]) {
    sort_unstable_by(v, T::cmp);
}

/// Sorts `v` by a key, stable.
pub fn sort_by_key<T, K: Ord>(v: &mut [T], mut key: impl FnMut(&T) -> K) {
    let mut keyed: Vec<(K, usize)> = v.iter().enumerate().map(|(i, x)| (key(x), i)).collect();
    sort_unstable(&mut keyed);
    permute(v, keyed.into_iter().map(|(_, i)| i).collect());
}

/// Sorts `v` by a comparator, stable.
pub fn sort_by<T>(v: &mut [T], mut cmp: impl FnMut(&T, &T) -> Ordering) {
    let mut order: Vec<usize> = (0..v.len()).collect();
    sort_unstable_by(&mut order, |&a, &b| cmp(&v[a], &v[b]).then(a.cmp(&b)));
    permute(v, order);
}

/// Moves `v[order[k]]` to position `k` for every `k`, in place (follows
/// the permutation's cycles with swaps).
fn permute<T>(v: &mut [T], mut order: Vec<usize>) {
    const PLACED: usize = usize::MAX;
    for start in 0..order.len() {
        let mut k = start;
        while order[k] != PLACED {
            let from = order[k];
            order[k] = PLACED;
            if from == start {
                break;
            }
            // v[k] takes the element now at `from`; the cycle goes on there.
            v.swap(k, from);
            k = from;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn agrees_with_the_standard_sorts(v in proptest::collection::vec((0u8..8, any::<u16>()), 0..200)) {
            let mut want = v.clone();
            want.sort_by_key(|x| x.0);
            let mut got = v.clone();
            sort_by_key(&mut got, |x| x.0);
            prop_assert_eq!(&got, &want, "stable by key");

            let mut got = v.clone();
            sort_by(&mut got, |a, b| b.0.cmp(&a.0));
            let mut want = v.clone();
            want.sort_by_key(|x| std::cmp::Reverse(x.0));
            prop_assert_eq!(&got, &want, "stable by comparator");

            let mut got = v.clone();
            sort_unstable(&mut got);
            let mut want = v;
            want.sort_unstable();
            prop_assert_eq!(got, want, "unstable");
        }
    }
}
