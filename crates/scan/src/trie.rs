//! Many phrases found at once in folded text: a trie entered through its
//! first two characters.
//!
//! Why not an Aho-Corasick automaton: on a large list most characters of a
//! Chinese text begin some phrase (78 % of the waimai reviews' characters
//! begin one of the 64k benchmark phrases), so an automaton is almost never
//! at its root and pays a failure transition or two at most characters. But
//! only one position in ten begins a phrase's first *two* characters. So
//! each position is tested against a bitmap of the phrases' first-two-
//! character pairs (a few kilobytes, in cache), and only where the pair is
//! one does the trie walk on from it. The time per position is one hash and
//! one bit test, plus a walk no longer than the longest phrase where a pair
//! begins one: linear in the text, bounded by the longest phrase, and
//! independent of how many phrases there are. Measured against daachorse
//! and `aho-corasick` in `benches/lists.rs` (BENCHMARKS.md).
//!
//! Layout: nodes are numbered breadth first, so the children of a node are
//! consecutive — `first[n]..first[n + 1]` — in order of their `label`; each
//! node may hold a `value` (the key that ends there). The pair index (the
//! bitmap and a small hash table from a pair to its depth-two node) is
//! rebuilt from those three arrays, so they are all a compiled list stores.

/// The value of a node where no key ends.
pub const NONE: u32 = u32::MAX;

/// Compiled keys; see the module documentation.
#[derive(Debug, Clone, Default)]
pub struct Trie {
    first: Vec<u32>,
    label: Vec<u32>,
    value: Vec<u32>,
    /// `(first, second, node)` by the pair's hash, open addressing; node 0
    /// (the root, never a depth-two node) marks an empty bucket.
    pairs: Vec<[u32; 3]>,
    pair_shift: u32,
    /// One bit per hash of a pair (more buckets than `pairs`), so that most
    /// positions are dismissed by a bit test.
    bits: Vec<u64>,
    bit_shift: u32,
    /// Whether some key is one character long: those are in `pairs` with
    /// 0 (never a folded character) as their second character.
    singles: bool,
}

#[inline(always)]
fn mix(a: u32, b: u32) -> u64 {
    ((u64::from(a) << 32) | u64::from(b)).wrapping_mul(0x9e37_79b9_7f4a_7c15)
}

impl Trie {
    /// Builds a trie of `keys`; the value of a key is its index. Keys should
    /// be distinct (of equal keys the last one's index is kept); empty keys
    /// are left out, and a key must not contain `'\0'`.
    #[inline(never)]
    pub fn new(keys: &[Vec<char>]) -> Trie {
        let mut order: Vec<u32> = (0..keys.len() as u32)
            .filter(|&k| !keys[k as usize].is_empty())
            .collect();
        sort_keys(keys, &mut order);
        let (mut first, mut label, mut value) = (Vec::new(), vec![0u32], vec![NONE]);
        // The nodes of one depth, in number order: each as the range of
        // `order` whose keys begin with the node's characters.
        let mut level: Vec<(u32, u32)> = vec![(0, order.len() as u32)];
        let mut node = 0usize;
        let mut depth = 0usize;
        while !level.is_empty() {
            let mut next = Vec::new();
            for &(lo, hi) in &level {
                first.push(label.len() as u32);
                let mut i = lo as usize;
                let key = |i: usize| &keys[order[i] as usize];
                // Sorted, a key that ends here comes before those it begins.
                while i < hi as usize && key(i).len() == depth {
                    value[node] = order[i];
                    i += 1;
                }
                while i < hi as usize {
                    let c = key(i)[depth];
                    let mut j = i + 1;
                    while j < hi as usize && key(j)[depth] == c {
                        j += 1;
                    }
                    label.push(c as u32);
                    value.push(NONE);
                    next.push((i as u32, j as u32));
                    i = j;
                }
                node += 1;
            }
            level = next;
            depth += 1;
        }
        first.push(label.len() as u32);
        let mut t = Trie {
            first,
            label,
            value,
            ..Trie::default()
        };
        t.index();
        t
    }

    /// A trie from the arrays of [`Trie::parts`], checked so that no walk
    /// can index out of bounds or loop.
    #[inline(never)]
    pub fn from_parts(
        first: Vec<u32>,
        label: Vec<u32>,
        value: Vec<u32>,
    ) -> Result<Trie, &'static str> {
        let n = label.len();
        if n == 0 || value.len() != n || first.len() != n + 1 {
            return Err("trie arrays of unequal lengths");
        }
        if first[n] as usize != n {
            return Err("trie ranges do not cover the nodes");
        }
        // Children come after their parent and ranges follow each other, so
        // every walk moves forward and stays inside the arrays.
        for (i, w) in first.windows(2).enumerate() {
            if w[0] > w[1] || w[1] as usize > n || (w[0] < w[1] && w[0] as usize <= i) {
                return Err("trie ranges out of order");
            }
            let labels = &label[w[0] as usize..w[1] as usize];
            if labels.windows(2).any(|l| l[0] >= l[1]) || labels.first() == Some(&0) {
                return Err("trie labels out of order");
            }
        }
        let mut t = Trie {
            first,
            label,
            value,
            ..Trie::default()
        };
        t.index();
        Ok(t)
    }

    /// The arrays that define the trie: `first`, `label`, `value`.
    pub fn parts(&self) -> (&[u32], &[u32], &[u32]) {
        (&self.first, &self.label, &self.value)
    }

    /// Number of nodes, the root included.
    pub fn len(&self) -> usize {
        self.label.len()
    }

    /// Whether no key is in the trie.
    pub fn is_empty(&self) -> bool {
        self.label.len() <= 1
    }

    /// Approximate heap memory held, in bytes.
    pub fn heap_bytes(&self) -> usize {
        (self.first.len() + self.label.len() + self.value.len()) * 4
            + self.pairs.len() * 12
            + self.bits.len() * 8
    }

    fn children(&self, node: u32) -> std::ops::Range<usize> {
        let n = node as usize;
        match (self.first.get(n), self.first.get(n + 1)) {
            (Some(&a), Some(&b)) => a as usize..b as usize,
            _ => 0..0,
        }
    }

    #[inline(always)]
    fn child(&self, node: u32, c: u32) -> Option<u32> {
        let r = self.children(node);
        let start = r.start;
        let labels = &self.label[r];
        let i = if labels.len() <= 8 {
            labels.iter().position(|&l| l == c)?
        } else {
            labels.binary_search(&c).ok()?
        };
        Some((start + i) as u32)
    }

    /// Builds the pair index from the arrays.
    fn index(&mut self) {
        let mut entries: Vec<[u32; 3]> = Vec::new();
        for n1 in self.children(0) {
            let c1 = self.label[n1];
            if self.value[n1] != NONE {
                entries.push([c1, 0, n1 as u32]);
            }
            for n2 in self.children(n1 as u32) {
                entries.push([c1, self.label[n2], n2 as u32]);
            }
        }
        self.singles = entries.iter().any(|e| e[1] == 0);
        let buckets = (entries.len() * 2).max(8).next_power_of_two();
        self.pair_shift = 64 - buckets.trailing_zeros();
        let bits = (entries.len() * 16).max(512).next_power_of_two();
        self.bit_shift = 64 - bits.trailing_zeros();
        self.pairs = vec![[0; 3]; buckets];
        self.bits = vec![0; bits / 64];
        for [a, b, node] in entries {
            let h = mix(a, b);
            let bit = (h >> self.bit_shift) as usize;
            self.bits[bit >> 6] |= 1 << (bit & 63);
            let mut i = (h >> self.pair_shift) as usize;
            while self.pairs[i][2] != 0 {
                i = (i + 1) & (buckets - 1);
            }
            self.pairs[i] = [a, b, node];
        }
    }

    /// The depth-two node of the pair `a b` (depth one for `b` = 0).
    #[inline(always)]
    fn pair(&self, a: u32, b: u32, h: u64) -> Option<u32> {
        let bit = (h >> self.bit_shift) as usize;
        if self.bits[bit >> 6] & (1 << (bit & 63)) == 0 {
            return None;
        }
        let mask = self.pairs.len() - 1;
        let mut i = (h >> self.pair_shift) as usize;
        loop {
            let [x, y, node] = self.pairs[i];
            if node == 0 {
                return None;
            }
            if x == a && y == b {
                return Some(node);
            }
            i = (i + 1) & mask;
        }
    }

    /// Every occurrence of every key in `text`, overlapping ones included,
    /// in order of start (and of end for one start): `f(value, start, end)`
    /// in chars.
    #[inline(never)]
    pub fn find(&self, text: &[char], f: &mut dyn FnMut(u32, u32, u32)) {
        if self.is_empty() {
            return;
        }
        for (i, w) in text.windows(2).enumerate() {
            let (a, b) = (w[0] as u32, w[1] as u32);
            if self.singles {
                self.single(a, i, f);
            }
            let Some(mut node) = self.pair(a, b, mix(a, b)) else {
                continue;
            };
            let mut end = i + 2;
            loop {
                let v = self.value[node as usize];
                if v != NONE {
                    f(v, i as u32, end as u32);
                }
                let Some(&c) = text.get(end) else { break };
                match self.child(node, c as u32) {
                    Some(n) => node = n,
                    None => break,
                }
                end += 1;
            }
        }
        if self.singles {
            if let Some(&c) = text.last() {
                self.single(c as u32, text.len() - 1, f);
            }
        }
    }

    #[inline(always)]
    fn single(&self, a: u32, i: usize, f: &mut dyn FnMut(u32, u32, u32)) {
        if let Some(n) = self.pair(a, 0, mix(a, 0)) {
            f(self.value[n as usize], i as u32, i as u32 + 1);
        }
    }
}

/// Sorts key indices by their keys (multikey quicksort: three-way partition
/// on one character at a time), so that a key comes before the keys it is a
/// prefix of. Pivots are picked pseudo-randomly, so no list can make it
/// quadratic on purpose.
fn sort_keys(keys: &[Vec<char>], order: &mut [u32]) {
    let at = |k: u32, d: usize| {
        keys[k as usize]
            .get(d)
            .map_or(-1i64, |&c| i64::from(c as u32))
    };
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    let mut stack: Vec<(usize, usize, usize)> = vec![(0, order.len(), 0)];
    while let Some((lo, hi, d)) = stack.pop() {
        if hi - lo < 12 {
            // Insertion sort on what is left of the keys.
            for i in lo + 1..hi {
                let mut j = i;
                while j > lo && keys[order[j - 1] as usize][d..] > keys[order[j] as usize][d..] {
                    order.swap(j - 1, j);
                    j -= 1;
                }
            }
            continue;
        }
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let p = at(order[lo + (seed % (hi - lo) as u64) as usize], d);
        let (mut lt, mut i, mut gt) = (lo, lo, hi);
        while i < gt {
            let c = at(order[i], d);
            if c < p {
                order.swap(lt, i);
                lt += 1;
                i += 1;
            } else if c > p {
                gt -= 1;
                order.swap(i, gt);
            } else {
                i += 1;
            }
        }
        stack.push((lo, lt, d));
        stack.push((gt, hi, d));
        if p >= 0 {
            stack.push((lt, gt, d + 1));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(ks: &[&str]) -> Vec<Vec<char>> {
        ks.iter().map(|k| k.chars().collect()).collect()
    }

    fn all(t: &Trie, text: &str) -> Vec<(u32, u32, u32)> {
        let chars: Vec<char> = text.chars().collect();
        let mut out = Vec::new();
        t.find(&chars, &mut |v, s, e| out.push((v, s, e)));
        out
    }

    /// Every occurrence by brute force, in the order `find` gives.
    fn naive(ks: &[Vec<char>], text: &str) -> Vec<(u32, u32, u32)> {
        let chars: Vec<char> = text.chars().collect();
        let mut out = Vec::new();
        for s in 0..chars.len() {
            for e in s + 1..=chars.len() {
                if let Some(v) = ks.iter().position(|k| k[..] == chars[s..e]) {
                    out.push((v as u32, s as u32, e as u32));
                }
            }
        }
        out
    }

    #[test]
    fn finds_every_occurrence_overlapping_and_nested() {
        let ks = keys(&[
            "口交",
            "路口交通",
            "交通",
            "滚",
            "第一",
            "第一时间",
            "a",
            "ab",
            "abc",
            "b",
        ]);
        let t = Trie::new(&ks);
        for text in [
            "路口交通第一时间",
            "滚滚",
            "abcab",
            "x",
            "",
            "第一第",
            "口交口",
        ] {
            assert_eq!(all(&t, text), naive(&ks, text), "{text}");
        }
    }

    #[test]
    fn many_keys_match_brute_force_and_survive_parts() {
        // Keys over a small alphabet, so that they share prefixes and
        // children lists are both short and long (binary search).
        let alphabet: Vec<char> = "abcdefghij一二三四五六七八九十".chars().collect();
        let mut x: u64 = 7;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        let mut ks: Vec<Vec<char>> = Vec::new();
        for _ in 0..400 {
            let len = 1 + next() as usize % 5;
            let k: Vec<char> = (0..len)
                .map(|_| alphabet[next() as usize % alphabet.len()])
                .collect();
            if !ks.contains(&k) {
                ks.push(k);
            }
        }
        let text: String = (0..300)
            .map(|_| alphabet[next() as usize % alphabet.len()])
            .collect();
        let t = Trie::new(&ks);
        assert_eq!(all(&t, &text), naive(&ks, &text));
        let (f, l, v) = t.parts();
        let back = Trie::from_parts(f.to_vec(), l.to_vec(), v.to_vec()).unwrap();
        assert_eq!(all(&back, &text), naive(&ks, &text));
    }

    #[test]
    fn damaged_parts_are_refused() {
        let t = Trie::new(&keys(&["ab", "ac", "b"]));
        let (f, l, v) = t.parts();
        let (f, l, v) = (f.to_vec(), l.to_vec(), v.to_vec());
        let mut loops = f.clone();
        loops[1] = 0; // a node whose children include the root
        assert!(Trie::from_parts(loops, l.clone(), v.clone()).is_err());
        let mut unsorted = l.clone();
        unsorted.swap(1, 2);
        assert!(Trie::from_parts(f.clone(), unsorted, v.clone()).is_err());
        assert!(Trie::from_parts(f.clone(), l.clone(), v[1..].to_vec()).is_err());
        assert!(Trie::from_parts(f, l, v).is_ok());
    }

    #[test]
    fn empty_and_single_key_tries() {
        assert_eq!(all(&Trie::new(&[]), "abc"), []);
        assert_eq!(all(&Trie::new(&keys(&[""])), "abc"), []);
        assert_eq!(all(&Trie::new(&keys(&["c"])), "abc"), [(0, 2, 3)]);
    }
}
