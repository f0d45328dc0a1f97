//! Common questions: comments that ask the same thing share a cluster id.
//!
//! Each question becomes a set of character bigrams of its folded text;
//! two questions whose sets overlap enough (Jaccard ≥ 0.4) are joined, and
//! joined questions form one cluster (union-find). Only clusters of two or
//! more get an id.

use crate::fold::fold;
use std::collections::HashSet;

const THRESHOLD: f64 = 0.4;

/// For each text, its cluster id (numbered from 0 in order of first
/// member), or `None`. Only texts with `eligible` set take part.
pub fn clusters(texts: &[&str], eligible: &[bool]) -> Vec<Option<u32>> {
    let grams: Vec<HashSet<(char, char)>> = texts
        .iter()
        .map(|t| {
            let f = fold(t).chars;
            f.windows(2).map(|w| (w[0], w[1])).collect()
        })
        .collect();
    let mut parent: Vec<usize> = (0..texts.len()).collect();
    fn root(p: &mut [usize], mut i: usize) -> usize {
        while p[i] != i {
            p[i] = p[p[i]];
            i = p[i];
        }
        i
    }
    for i in 0..texts.len() {
        if !eligible[i] || grams[i].is_empty() {
            continue;
        }
        for j in 0..i {
            if !eligible[j] || grams[j].is_empty() {
                continue;
            }
            let inter = grams[i].intersection(&grams[j]).count() as f64;
            let union = (grams[i].len() + grams[j].len()) as f64 - inter;
            if inter / union >= THRESHOLD {
                let (a, b) = (root(&mut parent, i), root(&mut parent, j));
                parent[a] = b;
            }
        }
    }
    let roots: Vec<usize> = (0..texts.len()).map(|i| root(&mut parent, i)).collect();
    let mut ids = std::collections::HashMap::new();
    let mut next = 0;
    (0..texts.len())
        .map(|i| {
            let size = roots.iter().filter(|&&r| r == roots[i]).count();
            if !eligible[i] || size < 2 {
                return None;
            }
            Some(*ids.entry(roots[i]).or_insert_with(|| {
                next += 1;
                next - 1
            }))
        })
        .collect()
}
