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

/// A node: its character, its children (`first..first + count`, in order
/// of their characters) and the key that ends here. One record, so that a
/// step of a walk reads one place in memory: the children's block.
#[derive(Debug, Clone, Copy, Default)]
struct Node {
    label: u32,
    first: u32,
    count: u32,
    value: u32,
}

/// A pair of first characters and the depth-two node they lead to, inlined
/// (its `first`, `count`, `value`): a walk's first step reads only this.
/// `a` = 0 (never a folded character) marks an empty bucket; `b` = 0 a
/// one-character key (the depth-one node).
#[derive(Debug, Clone, Copy, Default)]
struct Pair {
    a: u32,
    b: u32,
    first: u32,
    count: u32,
    value: u32,
}

/// Compiled keys; see the module documentation.
#[derive(Debug, Clone, Default)]
pub struct Trie {
    /// Breadth first; `nodes[0]` is the root.
    nodes: Vec<Node>,
    /// The pairs by hash, open addressing.
    pairs: Vec<Pair>,
    pair_shift: u32,
    /// One bit per hash of a pair (more buckets than `pairs`), so that most
    /// positions are dismissed by a bit test.
    bits: Vec<u64>,
    bit_shift: u32,
    /// One bit per hash of a two-character key `a b` (as `a b 0`) and of
    /// the first three characters `a b c` of every longer key: most pairs
    /// that begin a key begin none that the text goes on with, and this
    /// test, without reading the pair's entry, dismisses them.
    deep: Vec<u64>,
    deep_shift: u32,
    /// Whether some key is one character long.
    singles: bool,
    /// One bit per char of a one-character key, by its low 11 bits: the
    /// first test of whether a char may be a key (no multiplication).
    single_bits: [u64; 32],
}

#[inline(always)]
fn mix(a: u32, b: u32) -> u64 {
    ((u64::from(a) << 32) | u64::from(b)).wrapping_mul(0x9e37_79b9_7f4a_7c15)
}

/// The hash of `a b c` from that of `a b`.
#[inline(always)]
fn mix3(ab: u64, c: u32) -> u64 {
    (ab ^ u64::from(c)).wrapping_mul(0xff51_afd7_ed55_8ccd)
}

#[inline(always)]
fn has(bits: &[u64], shift: u32, h: u64) -> bool {
    let bit = (h >> shift) as usize;
    bits[bit >> 6] & (1 << (bit & 63)) != 0
}

/// A bitmap of `2^k` bits, 32 for each of `n` hashes (at least 512), and
/// the shift that takes a hash to a bit.
fn bitmap(n: usize) -> (Vec<u64>, u32) {
    let bits = (n * 32).max(512).next_power_of_two();
    (vec![0; bits / 64], 64 - bits.trailing_zeros())
}

fn set(bits: &mut [u64], shift: u32, h: u64) {
    let bit = (h >> shift) as usize;
    bits[bit >> 6] |= 1 << (bit & 63);
}

impl Trie {
    /// Builds a trie of `keys`; the value of a key is its index. Keys should
    /// be distinct (of equal keys the last one's index is kept); empty keys
    /// and keys that contain `'\0'` are left out.
    #[inline(never)]
    pub fn new(keys: &[Vec<char>]) -> Trie {
        let mut order: Vec<u32> = (0..keys.len() as u32)
            .filter(|&k| !keys[k as usize].is_empty() && !keys[k as usize].contains(&'\0'))
            .collect();
        sort_keys(keys, &mut order);
        let mut nodes = vec![Node {
            value: NONE,
            ..Node::default()
        }];
        // The nodes of one depth, in number order: each as the range of
        // `order` whose keys begin with the node's characters.
        let mut level: Vec<(u32, u32)> = vec![(0, order.len() as u32)];
        let mut node = 0usize;
        let mut depth = 0usize;
        while !level.is_empty() {
            let mut next = Vec::new();
            for &(lo, hi) in &level {
                let first = nodes.len() as u32;
                let mut i = lo as usize;
                let key = |i: usize| &keys[order[i] as usize];
                // Sorted, a key that ends here comes before those it begins.
                while i < hi as usize && key(i).len() == depth {
                    nodes[node].value = order[i];
                    i += 1;
                }
                while i < hi as usize {
                    let c = key(i)[depth];
                    let mut j = i + 1;
                    while j < hi as usize && key(j)[depth] == c {
                        j += 1;
                    }
                    nodes.push(Node {
                        label: c as u32,
                        value: NONE,
                        ..Node::default()
                    });
                    next.push((i as u32, j as u32));
                    i = j;
                }
                nodes[node].first = first;
                nodes[node].count = nodes.len() as u32 - first;
                node += 1;
            }
            level = next;
            depth += 1;
        }
        let mut t = Trie {
            nodes,
            ..Trie::default()
        };
        t.index();
        t
    }

    /// The trie as bytes: the node count, then each node's character, child
    /// count and value (little-endian u32s); [`Trie::from_bytes`] reads it.
    #[inline(never)]
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(4 + self.nodes.len() * 12);
        out.extend_from_slice(&(self.nodes.len() as u32).to_le_bytes());
        for n in &self.nodes {
            out.extend_from_slice(&n.label.to_le_bytes());
        }
        for n in &self.nodes {
            out.extend_from_slice(&n.count.to_le_bytes());
        }
        for n in &self.nodes {
            out.extend_from_slice(&n.value.to_le_bytes());
        }
        out
    }

    /// A trie from [`Trie::to_bytes`], checked so that no walk can index
    /// out of bounds or loop: children come after their parent, every node
    /// but the root is some node's child, and siblings are in order.
    #[inline(never)]
    pub fn from_bytes(bytes: &[u8]) -> Result<Trie, &'static str> {
        let Some(head) = bytes.get(..4) else {
            return Err("trie truncated");
        };
        let n = u32::from_le_bytes([head[0], head[1], head[2], head[3]]) as usize;
        if n == 0 || n.checked_mul(12).and_then(|b| b.checked_add(4)) != Some(bytes.len()) {
            return Err("trie of the wrong length");
        }
        let words = |at: usize| bytes[at..at + n * 4].chunks_exact(4);
        let le = |c: &[u8]| u32::from_le_bytes([c[0], c[1], c[2], c[3]]);
        let mut nodes = Vec::with_capacity(n);
        // Where the children of the nodes read so far begin: each node is
        // the first of its siblings or comes after one with a smaller char.
        let mut first: u64 = 1;
        let mut first_child = vec![0u64; n.div_ceil(64)];
        let parts = words(4).zip(words(4 + n * 4)).zip(words(4 + n * 8));
        for (i, ((label, count), value)) in parts.enumerate() {
            let (label, count) = (le(label), le(count));
            if count > 0 && first <= i as u64 {
                return Err("trie children before their parent");
            }
            if i > 0 {
                let is_first = first_child[i / 64] & (1 << (i % 64)) != 0;
                if label == 0 || !is_first && nodes.last().is_some_and(|p: &Node| p.label >= label)
                {
                    return Err("trie labels out of order");
                }
            }
            if count > 0 {
                first_child[first as usize / 64] |= 1 << (first % 64);
            }
            nodes.push(Node {
                label,
                first: first as u32,
                count,
                value: le(value),
            });
            first += u64::from(count);
            if first > n as u64 {
                return Err("trie children outside the nodes");
            }
        }
        if first != n as u64 {
            return Err("trie nodes that no node leads to");
        }
        let mut t = Trie {
            nodes,
            ..Trie::default()
        };
        t.index();
        Ok(t)
    }

    /// Number of nodes, the root included.
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    /// Whether no key is in the trie.
    pub fn is_empty(&self) -> bool {
        self.nodes.len() <= 1
    }

    /// Approximate heap memory held, in bytes.
    pub fn heap_bytes(&self) -> usize {
        self.nodes.len() * std::mem::size_of::<Node>()
            + self.pairs.len() * std::mem::size_of::<Pair>()
            + (self.bits.len() + self.deep.len()) * 8
    }

    fn children(&self, n: &Node) -> &[Node] {
        self.nodes
            .get(n.first as usize..(n.first as usize).saturating_add(n.count as usize))
            .unwrap_or(&[])
    }

    /// Builds the pair index from the nodes.
    fn index(&mut self) {
        let mut entries: Vec<Pair> = Vec::new();
        let mut deep: Vec<u64> = Vec::new();
        let Some(root) = self.nodes.first() else {
            return;
        };
        for n1 in self.children(root) {
            if n1.value != NONE {
                entries.push(Pair {
                    a: n1.label,
                    b: 0,
                    first: 0,
                    count: 0,
                    value: n1.value,
                });
            }
            for n2 in self.children(n1) {
                let ab = mix(n1.label, n2.label);
                if n2.value != NONE {
                    deep.push(mix3(ab, 0));
                }
                deep.extend(self.children(n2).iter().map(|n3| mix3(ab, n3.label)));
                entries.push(Pair {
                    a: n1.label,
                    b: n2.label,
                    first: n2.first,
                    count: n2.count,
                    value: n2.value,
                });
            }
        }
        self.singles = entries.iter().any(|e| e.b == 0);
        self.single_bits = [0; 32];
        for e in entries.iter().filter(|e| e.b == 0) {
            self.single_bits[(e.a as usize >> 6) & 31] |= 1 << (e.a & 63);
        }
        (self.deep, self.deep_shift) = bitmap(deep.len());
        for h in deep {
            set(&mut self.deep, self.deep_shift, h);
        }
        (self.bits, self.bit_shift) = bitmap(entries.len());
        let buckets = (entries.len() * 2).max(8).next_power_of_two();
        self.pair_shift = 64 - buckets.trailing_zeros();
        self.pairs = vec![Pair::default(); buckets];
        for e in entries {
            let h = mix(e.a, e.b);
            set(&mut self.bits, self.bit_shift, h);
            let mut i = (h >> self.pair_shift) as usize;
            while self.pairs[i].a != 0 {
                i = (i + 1) & (buckets - 1);
            }
            self.pairs[i] = e;
        }
    }

    /// The entry of the pair `a b` (`b` = 0: the one-character key `a`),
    /// whose hash is `h`.
    #[inline(always)]
    fn pair(&self, a: u32, b: u32, h: u64) -> Option<&Pair> {
        let mask = self.pairs.len() - 1;
        let mut i = (h >> self.pair_shift) as usize;
        loop {
            let p = &self.pairs[i];
            if p.a == 0 {
                return None;
            }
            if p.a == a && p.b == b {
                return Some(p);
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
            // Most positions end here: no key begins with `a b`.
            if self.may_begin(a, b) {
                self.walk(text, i, f);
            }
        }
        if self.singles {
            if let Some(&c) = text.last() {
                self.single(c as u32, text.len() - 1, f);
            }
        }
    }

    /// What [`Trie::find`] reports, from the positions of `text` that
    /// [`fold_with_starts`](crate::fold_with_starts) gave (those where a
    /// key may begin, in order).
    #[inline(never)]
    pub fn find_from(&self, text: &[char], starts: &[u32], f: &mut dyn FnMut(u32, u32, u32)) {
        for &i in starts {
            let Some(&a) = text.get(i as usize) else {
                continue;
            };
            if self.singles {
                self.single(a as u32, i as usize, f);
            }
            self.walk(text, i as usize, f);
        }
    }

    /// Whether some key begins with `a b` (or a hash collision says so).
    #[inline(always)]
    pub(crate) fn may_begin(&self, a: u32, b: u32) -> bool {
        has(&self.bits, self.bit_shift, mix(a, b))
    }

    /// Whether `a` may be a key of one character.
    #[inline(always)]
    pub(crate) fn may_be_single(&self, a: u32) -> bool {
        self.single_bits[(a as usize >> 6) & 31] & (1 << (a & 63)) != 0
    }

    /// Reports the keys of two characters or more that begin at `i`.
    #[inline(always)]
    fn walk(&self, text: &[char], i: usize, f: &mut dyn FnMut(u32, u32, u32)) {
        let (Some(&a), Some(&b)) = (text.get(i), text.get(i + 1)) else {
            return;
        };
        let rest = text.get(i + 2..).unwrap_or(&[]).iter();
        let rest = rest.zip(i as u32 + 3..).map(|(&c, end)| (c as u32, end));
        self.walk_from(a as u32, b as u32, i as u32, i as u32 + 2, rest, f);
    }

    /// Reports the keys that begin with `a b` at `start` (`b` ending at
    /// `after_b`), `rest` being the chars after `b`, each with where it
    /// ends: offsets in whatever unit the caller counts.
    #[inline(always)]
    fn walk_from(
        &self,
        a: u32,
        b: u32,
        start: u32,
        after_b: u32,
        rest: impl Iterator<Item = (u32, u32)>,
        f: &mut dyn FnMut(u32, u32, u32),
    ) {
        if b == 0 {
            // A NUL in the text (never in folded text; raw text may have
            // one): `a 0` is how one-character keys are stored, no pair.
            return;
        }
        let ab = mix(a, b);
        let mut rest = rest.peekable();
        // Most pairs that begin a key end here: `a b` is no key, and no key
        // begins with `a b c`.
        let c = rest.peek().map_or(0, |&(c, _)| c);
        if !has(&self.deep, self.deep_shift, mix3(ab, 0))
            && !has(&self.deep, self.deep_shift, mix3(ab, c))
        {
            return;
        }
        let Some(p) = self.pair(a, b, ab) else {
            return;
        };
        if p.value != NONE {
            f(p.value, start, after_b);
        }
        let (mut first, mut count) = (p.first, p.count);
        for (c, end) in rest {
            if count == 0 {
                return;
            }
            let Some(kids) = self.nodes.get(first as usize..(first + count) as usize) else {
                return;
            };
            let at = if kids.len() <= 8 {
                kids.iter().position(|k| k.label == c)
            } else {
                kids.binary_search_by_key(&c, |k| k.label).ok()
            };
            let Some(k) = at.map(|at| &kids[at]) else {
                return;
            };
            if k.value != NONE {
                f(k.value, start, end);
            }
            (first, count) = (k.first, k.count);
        }
    }

    /// [`Trie::find`] on a `str`, with byte offsets, and no copy of the
    /// text: for the lexicons, which search short texts many times.
    #[inline(never)]
    pub fn find_str(&self, text: &str, f: &mut dyn FnMut(u32, u32, u32)) {
        if self.is_empty() {
            return;
        }
        let mut chars = text.char_indices().peekable();
        while let Some((i, a)) = chars.next() {
            let a_end = (i + a.len_utf8()) as u32;
            if self.singles && self.may_be_single(a as u32) {
                if let Some(p) = self.pair(a as u32, 0, mix(a as u32, 0)) {
                    f(p.value, i as u32, a_end);
                }
            }
            let Some(&(j, b)) = chars.peek() else { break };
            if !self.may_begin(a as u32, b as u32) {
                continue;
            }
            let after_b = j + b.len_utf8();
            let rest = text[after_b..]
                .char_indices()
                .map(|(k, c)| (c as u32, (after_b + k + c.len_utf8()) as u32));
            self.walk_from(a as u32, b as u32, i as u32, after_b as u32, rest, f);
        }
    }

    #[inline(always)]
    fn single(&self, a: u32, i: usize, f: &mut dyn FnMut(u32, u32, u32)) {
        if !self.may_be_single(a) {
            return;
        }
        let h = mix(a, 0);
        if !has(&self.bits, self.bit_shift, h) {
            return;
        }
        if let Some(p) = self.pair(a, 0, h) {
            f(p.value, i as u32, i as u32 + 1);
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
        // On the str itself, in bytes.
        let byte_of: Vec<u32> = text
            .char_indices()
            .map(|(b, _)| b as u32)
            .chain([text.len() as u32])
            .collect();
        let mut in_bytes = Vec::new();
        t.find_str(&text, &mut |v, s, e| in_bytes.push((v, s, e)));
        let want: Vec<(u32, u32, u32)> = naive(&ks, &text)
            .into_iter()
            .map(|(v, s, e)| (v, byte_of[s as usize], byte_of[e as usize]))
            .collect();
        assert_eq!(in_bytes, want);
        let back = Trie::from_bytes(&t.to_bytes()).unwrap();
        assert_eq!(all(&back, &text), naive(&ks, &text));
    }

    #[test]
    fn damaged_bytes_are_refused() {
        let t = Trie::new(&keys(&["ab", "ac", "b"]));
        let good = t.to_bytes();
        assert!(Trie::from_bytes(&good).is_ok());
        let n = t.len();
        let count = |i: usize| 4 + n * 4 + i * 4;
        // The root's children counted as the root's own: a walk could loop.
        let mut loops = good.clone();
        loops[count(1)..count(1) + 4].copy_from_slice(&2u32.to_le_bytes());
        loops[count(0)..count(0) + 4].copy_from_slice(&0u32.to_le_bytes());
        assert!(Trie::from_bytes(&loops).is_err());
        // Siblings out of order (binary search would miss).
        let mut unsorted = good.clone();
        unsorted.swap(4, 8);
        unsorted.swap(5, 9);
        assert!(Trie::from_bytes(&unsorted).is_err());
        assert!(Trie::from_bytes(&good[..good.len() - 1]).is_err());
        assert!(Trie::from_bytes(&[]).is_err());
        // Any byte changed: an error or a trie that walks safely.
        for i in 0..good.len() {
            let mut b = good.clone();
            b[i] ^= 0xff;
            if let Ok(t) = Trie::from_bytes(&b) {
                t.find(&"abcab".chars().collect::<Vec<_>>(), &mut |_, _, _| {});
            }
        }
    }

    #[test]
    fn empty_and_single_key_tries() {
        assert_eq!(all(&Trie::new(&[]), "abc"), []);
        assert_eq!(all(&Trie::new(&keys(&[""])), "abc"), []);
        assert_eq!(all(&Trie::new(&keys(&["c"])), "abc"), [(0, 2, 3)]);
    }
}
