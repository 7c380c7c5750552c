"""100,000 forum topics for bench/search.py: realistic Indonesian threads, built fast, seeded.

The text is bench/relevance/corpus.json's, recombined: each new topic takes a topic of that
corpus as its subject (its competency area, some of its tags, sentences of its question, its
replies and its accepted answer) and mixes in sentences of other topics in the same area, of
the best-practice articles, and sentences from bench/forum_data.py's generator (dates, amounts,
people, places). Every sentence is varied as it is reused: numbers drawn anew, another town or
school named, now and then a misspelt word (more often in the informal replies), so that the
vocabulary has the long tail of real posts (names, figures, typos) and no two documents are
the same. Titles are the subject's title with a setting added or a word dropped, or a title of
forum_data's.

Written with the models and bulk inserts, not forum.services (as bench/forum_data.py, whose
members this reuses): no rate limits, no notifications, past dates, and no search indexing while
building: the bench measures the reindex. Posts are rendered with forum.rendering, as posting
does, so that the forum's search adapter reads the HTML it reads on the site. A few topics are
hidden by moderators (not indexable) and a few replies hidden or deleted (not indexed), so that
the adapter has something to leave out. Topics carry the counters the adapter reads (helpful
votes as the topic's counter, without vote rows; the solution; the last activity).

Import only after Django is set up (bench.lib.django_site.setup_django).
"""

from __future__ import annotations

import json
import random
import re
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify
from taggit.models import Tag

from bench import forum_data
from bench.lib.report import number, step
from forum import rendering
from forum.models import Category, Post, TaggedTopic, Topic

SEED = 20261204
CORPUS = Path(__file__).resolve().parents[1] / "relevance" / "corpus.json"
TOPICS_PER_CHUNK = 2_000  # one transaction each; a progress line every PROGRESS_EVERY
PROGRESS_EVERY = 10_000
BATCH = 2_000  # rows per INSERT where the database allows
HISTORY_DAYS = 3 * 365

HIDDEN_TOPIC_SHARE = 0.003  # hidden by a moderator: not indexable (built beyond --documents)
HIDDEN_REPLY_SHARE = 0.005
UNANSWERED_SHARE = 0.08
SOLVED_SHARE = 0.45  # of answered topics
GENERATED_SENTENCE_SHARE = 0.2  # sentences from forum_data's generator rather than the corpus
TYPO_RATE = {"formal": 0.004, "question": 0.01, "reply": 0.02}  # per word of 5+ letters

SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(])")
# A figure standing alone: 37, 1.000, Rp5.000 (its digits), not rekan2, 4x3, 08.00 or 2,5.
_ALONE = r"(?:(?<=Rp)|(?<![\w.,]))"
NUMBER = re.compile(rf"{_ALONE}\d{{1,3}}(?:\.\d{{3}})+(?![\w,]|\.\d)|{_ALONE}\d+(?![\w.,]\w|[\w])")
TOWNS = (
    "Lubuklinggau", "Musi Rawas", "Muara Beliti", "Tugumulyo", "Megang Sakti", "Muara Kelingi",
    "Jayaloka", "Terawas", "Rupit", "Karang Jaya", "Palembang", "Lahat", "Curup", "Tebing Tinggi",
    "Muara Enim", "Pagar Alam", "Prabumulih", "Sekayu", "Empat Lawang", "Kepahiang",
)  # fmt: skip
SETTINGS = (
    "di sekolah kami", "di perpustakaan desa", "untuk TBM", "di kampus", "di pesantren",
    "tahun ini", "menjelang akreditasi", "dengan anggaran terbatas", "mohon saran",
    "butuh masukan", "pengalaman rekan-rekan?", "(SLiMS 9)", "untuk siswa SD", "di kecamatan",
    "bulan depan", "setelah banjir", "tanpa tenaga IT", "untuk pemustaka lansia",
)  # fmt: skip


@dataclass
class Pools:
    """The corpus' sentences by role, and by competency area."""

    subjects: list[dict]  # the corpus' topics
    questions: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    replies: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    answers: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    tags: list[str] = field(default_factory=list)


def sentences(text: str | None) -> list[str]:
    return [s.strip() for s in SENTENCE_END.split(text or "") if s.strip()]


def load_pools() -> Pools:
    corpus = json.loads(CORPUS.read_text(encoding="utf-8"))
    pools = Pools(subjects=[d for d in corpus if d["kind"] == "topic"])
    for item in corpus:
        for area in item["areas"]:
            if item["kind"] == "topic":
                pools.questions[area] += sentences(item["question"])
                pools.replies[area] += [s for r in item["replies"] for s in sentences(r)]
                pools.answers[area] += sentences(item["accepted_answer"])
            else:  # articles and reports: formal prose, as accepted answers are
                pools.answers[area] += sentences(item["body"])
    pools.tags = sorted({slugify(t) for d in corpus for t in d["tags"]} | set(forum_data.TAG_NAMES))
    return pools


@dataclass
class Thread:
    title: str
    area: str
    tags: list[str]
    posts: list[str]  # Markdown; the first is the question
    solution: int | None  # index into posts
    helpful: int
    hidden: bool


class Writer:
    """Threads drawn from the pools, one seeded generator for everything."""

    def __init__(self, rng: random.Random, pools: Pools) -> None:
        self.rng, self.pools = rng, pools

    def vary(self, sentence: str, register: str) -> str:
        rng = self.rng
        sentence = NUMBER.sub(lambda m: _figure(m[0], rng.uniform(0.5, 1.8)), sentence)
        if rng.random() < 0.15:
            for town in TOWNS[:4]:
                if town in sentence:
                    sentence = sentence.replace(town, rng.choice(TOWNS))
                    break
        words = sentence.split(" ")
        rate = TYPO_RATE[register]
        for i, word in enumerate(words):
            if len(word) >= 5 and word.isalpha() and rng.random() < rate:
                words[i] = self.misspell(word)
        return " ".join(words)

    def misspell(self, word: str) -> str:
        rng = self.rng
        i = rng.randrange(1, len(word) - 1)
        kind = rng.random()
        if kind < 0.35:
            return word[:i] + word[i + 1 :]  # a letter left out
        if kind < 0.6:
            return word[:i] + word[i] + word[i:]  # a letter doubled
        if kind < 0.85:
            return word[: i - 1] + word[i] + word[i - 1] + word[i + 1 :]  # two swapped
        return word[:i] + rng.choice("aeiounrstkmlg") + word[i + 1 :]

    def some(self, own: list[str], area_pool: list[str], count: int, register: str) -> list[str]:
        """`count` sentences: from the subject's own text first (taken from `own`, shuffled,
        so that a thread never says the same thing twice), then its area's, now and then one of
        forum_data's generator."""
        rng, chosen = self.rng, []
        for _ in range(count):
            roll = rng.random()
            if roll < GENERATED_SENTENCE_SHARE:
                chosen.append(forum_data.make_sentence(rng))
            elif own and roll < 0.65:
                chosen.append(own.pop())
            else:
                chosen.append(rng.choice(area_pool))
        return [self.vary(s, register) for s in chosen]

    def shuffled(self, items: list[str]) -> list[str]:
        self.rng.shuffle(items)
        return items

    def title(self, subject: dict) -> str:
        rng = self.rng
        if rng.random() < 0.3:
            return forum_data.make_title(rng)
        title = subject["title"].rstrip("?")
        words = title.split()
        if len(words) > 5 and rng.random() < 0.3:
            del words[rng.randrange(1, len(words))]
        title = " ".join(words)
        if rng.random() < 0.6:
            title = f"{title} {rng.choice(SETTINGS)}"
        if rng.random() < 0.2:
            school = f"{rng.choice(forum_data.SCHOOLS)} {rng.randint(1, 30)}"
            title = f"{title} ({school} {rng.choice(TOWNS)})"
        return title[: Topic._meta.get_field("title").max_length]

    def thread(self) -> Thread:
        rng, pools = self.rng, self.pools
        subject = rng.choice(pools.subjects)
        area = subject["areas"][0]
        question = " ".join(
            self.some(
                sentences(subject["question"]), pools.questions[area], rng.randint(2, 6), "question"
            )
        )
        replies = (
            0 if rng.random() < UNANSWERED_SHARE else min(30, 1 + int(rng.expovariate(1 / 2.6)))
        )
        own_replies = self.shuffled([s for r in subject["replies"] for s in sentences(r)])
        posts = [question]
        for _ in range(replies):
            count = rng.choice((1, 1, 2, 2, 2, 3, 3, 4))
            posts.append(" ".join(self.some(own_replies, pools.replies[area], count, "reply")))
        solution = None
        if replies and rng.random() < SOLVED_SHARE:
            solution = rng.randint(1, min(replies, 3))
            answer = self.some(
                sentences(subject["accepted_answer"]),
                pools.answers[area],
                rng.randint(3, 7),
                "formal",
            )
            half = len(answer) // 2
            paragraphs = [" ".join(answer[: max(1, half)]), " ".join(answer[max(1, half) :])]
            posts[solution] = "\n\n".join(p for p in paragraphs if p)
        own_tags = [slugify(t) for t in subject["tags"]]
        tags = rng.sample(own_tags, k=min(len(own_tags), rng.randint(1, 4)))
        if rng.random() < 0.3:
            tags.append(rng.choice(pools.tags))
        return Thread(
            title=self.title(subject),
            area=area,
            tags=list(dict.fromkeys(tags))[:5],
            posts=posts,
            solution=solution,
            helpful=min(60, int(rng.paretovariate(1.6)) - 1 + (3 if solution else 0)),
            hidden=rng.random() < HIDDEN_TOPIC_SHARE,
        )


def _figure(written: str, factor: float) -> str:
    """The figure scaled, written as it was (with thousands dots if it had them)."""
    value = max(1, round(int(written.replace(".", "")) * factor))
    if len(written) == 4 and written[:2] in ("19", "20"):
        return str(2015 + round(factor * 5))  # a year stays a year
    if "." in written:
        value = max(1000, round(value, -3) if value >= 10_000 else value)
        return f"{value:,}".replace(",", ".")
    return str(value)


@dataclass
class BuildStats:
    topics: int = 0
    indexable: int = 0
    posts: int = 0
    characters: int = 0  # of the posts' Markdown, for the mean document length
    seconds: float = 0.0


def build(documents: int, *, progress: Callable[[str], None] = step) -> BuildStats:
    """Fill the migrated, empty database with `documents` indexable topics (and the few hidden
    ones beyond them)."""
    rng = random.Random(SEED)
    started = time.monotonic()
    now = timezone.now().replace(microsecond=0)
    with transaction.atomic():
        members = forum_data.create_members(rng, BATCH)
    pools = load_pools()
    tags = {
        tag.slug: tag.pk
        for tag in Tag.objects.bulk_create(
            [Tag(name=slug.replace("-", " "), slug=slug) for slug in pools.tags], batch_size=BATCH
        )
    }
    categories = dict(Category.objects.values_list("slug", "id"))
    writer = Writer(rng, pools)
    stats = BuildStats()
    shown = 0
    while stats.indexable < documents:
        threads = []
        while len(threads) < TOPICS_PER_CHUNK and stats.indexable < documents:
            thread = writer.thread()
            threads.append(thread)
            stats.indexable += not thread.hidden
        with transaction.atomic():
            _create(rng, threads, members, tags, categories, now, stats)
        if stats.indexable - shown >= PROGRESS_EVERY or stats.indexable >= documents:
            shown = stats.indexable
            progress(
                f"topics {number(stats.indexable)}/{number(documents)} indexable "
                f"(+{number(stats.topics - stats.indexable)} hidden), posts "
                f"{number(stats.posts)} ({time.monotonic() - started:.0f} s)"
            )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")  # what autovacuum would have done by now
    stats.seconds = time.monotonic() - started
    return stats


def _create(rng, threads, members, tags, categories, now: datetime, stats: BuildStats) -> None:
    def render(source: str) -> str:
        return rendering.render_markdown(source, existing_usernames=lambda names: set()).html

    plans = []
    for thread in threads:
        created = now - timedelta(days=rng.uniform(0, HISTORY_DAYS))
        times = [created]
        for _ in thread.posts[1:]:
            times.append(min(now, times[-1] + timedelta(hours=rng.expovariate(1 / 20))))
        authors = [rng.randrange(len(members)) for _ in thread.posts]
        plans.append((thread, times, authors))
    topics = Topic.objects.bulk_create(
        [
            Topic(
                category_id=categories[thread.area],
                title=thread.title,
                slug=slugify(thread.title)[:80].strip("-") or "topik",
                author_id=members[authors[0]].pk,
                created_at=times[0],
                is_visible=not thread.hidden,
                last_position=len(thread.posts),
                reply_count=len(thread.posts) - 1,
                helpful_count=thread.helpful,
                view_count=rng.randint(5, 40) * len(thread.posts),
                last_activity_at=times[-1],
            )
            for thread, times, authors in plans
        ],
        batch_size=BATCH,
    )
    TaggedTopic.objects.bulk_create(
        [
            TaggedTopic(tag_id=tags[slug], content_object_id=topic.pk)
            for (thread, _t, _a), topic in zip(plans, topics, strict=True)
            for slug in thread.tags
        ],
        batch_size=BATCH,
    )
    posts = []
    for (thread, times, authors), topic in zip(plans, topics, strict=True):
        for position, source in enumerate(thread.posts, 1):
            post = Post(
                topic_id=topic.pk,
                position=position,
                author_id=members[authors[position - 1]].pk,
                source=source,
                html=render(source),
                created_at=times[position - 1],
            )
            solution = position - 1 == thread.solution
            if position > 1 and not solution and rng.random() < HIDDEN_REPLY_SHARE:
                post.deleted_at = post.created_at  # deleted by its author: not indexed
            posts.append(post)
            stats.characters += len(source) if not thread.hidden else 0
    posts = Post.objects.bulk_create(posts, batch_size=BATCH)
    by_topic: dict[int, list[Post]] = defaultdict(list)
    for post in posts:
        by_topic[post.topic_id].append(post)
    changed = []
    for (thread, _times, _authors), topic in zip(plans, topics, strict=True):
        thread_posts = by_topic[topic.pk]
        topic.last_post_id = thread_posts[-1].pk
        if thread.solution is not None:
            answer = thread_posts[thread.solution]
            topic.solution_id, topic.solved_by_id = answer.pk, topic.author_id
            topic.solved_at = answer.created_at + timedelta(hours=rng.uniform(1, 48))
        if len(thread_posts) > 1:
            topic.first_answered_at = thread_posts[1].created_at
            topic.first_answered_by_id = thread_posts[1].author_id
        changed.append(topic)
    Topic.objects.bulk_update(
        changed,
        [
            "last_post",
            "solution",
            "solved_by",
            "solved_at",
            "first_answered_at",
            "first_answered_by",
        ],
        batch_size=500,
    )
    stats.topics += len(topics)
    stats.posts += len(posts)
